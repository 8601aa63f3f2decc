"""One per-account failed sign-in counter, in the database, for the web, the admin and the API:
a lock earned on one route holds on the others, and a success starts the count again."""

import pytest

from django.test import Client

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    # The per-IP limits are another rule; make them large so only the account counts here.
    settings.ACCOUNT_RATE_LIMITS = {"login": "1000/m/ip", "login_failed": "1000/m/ip"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "1000/min",
        },
    }


def web_login(email, password):
    return Client().post("/accounts/login/", {"login": email, "password": password})


def api_login(email, password):
    return client_for(None).post(
        "/api/auth/token/", {"email": email, "password": password}, format="json"
    )


def test_a_web_lockout_holds_for_the_api(user):
    for _ in range(3):
        assert web_login(user.email, "wrong password").status_code == 200
    assert web_login(user.email, DEFAULT_PASSWORD).status_code == 429
    locked = api_login(user.email, DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0


def test_an_api_lockout_holds_for_the_web_and_the_admin(user):
    for _ in range(3):
        assert api_login(user.email, "wrong password").status_code == 401
    assert web_login(user.email, DEFAULT_PASSWORD).status_code == 429
    admin = Client()
    assert admin.get("/admin/login/").status_code == 302  # the admin signs in on the web page
    assert (
        admin.post(
            "/accounts/login/?next=/admin/", {"login": user.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 429
    )


def test_failures_on_both_routes_add_up(user):
    web_login(user.email, "wrong")
    api_login(user.email, "wrong")
    web_login(user.email, "wrong")
    assert api_login(user.email, DEFAULT_PASSWORD).status_code == 429


def test_a_success_starts_the_count_again(user):
    for _ in range(2):
        api_login(user.email, "wrong")
    assert api_login(user.email, DEFAULT_PASSWORD).status_code == 200
    for _ in range(2):
        api_login(user.email, "wrong")
    assert web_login(user.email, DEFAULT_PASSWORD).status_code == 302


def test_the_lock_ends_after_its_window(user, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 0
    for _ in range(3):
        api_login(user.email, "wrong")
    assert api_login(user.email, DEFAULT_PASSWORD).status_code == 200


def test_one_accounts_lock_does_not_touch_another():
    locked, other = UserFactory(), UserFactory()
    for _ in range(3):
        api_login(locked.email, "wrong")
    assert api_login(other.email, DEFAULT_PASSWORD).status_code == 200
