"""Per-IP sign-in limits still bite while Redis is stopped: they count in process memory.

(In one process the count is exact; a server with N worker processes allows up to N times
the limit, see tests/faults/test_site_without_redis.py.)
"""

import copy

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from django.conf import settings as django_settings

from accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _no_account_lockout(settings):
    """The per-account lockout is in the database and tested in tests/accounts/test_lockout.py."""
    settings.LOGIN_FAILURE_LIMIT = 1000


@pytest.fixture
def cache_on_stopped_redis(settings, redis_server):
    """The site's cache settings, pointed at the test's own Redis, which is then stopped."""
    settings.CACHES = {
        alias: {**config, "LOCATION": redis_server.url()}
        for alias, config in django_settings.CACHES.items()
    }
    redis_server.stop()
    return redis_server


def test_api_sign_in_answers_429_after_the_limit_with_redis_stopped(cache_on_stopped_redis):
    user = UserFactory()
    api = APIClient()
    limit = int(api_settings.DEFAULT_THROTTLE_RATES["auth"].split("/")[0])

    def obtain(password):
        return api.post(
            "/api/auth/token/", {"email": user.email, "password": password}, format="json"
        )

    assert [obtain("wrong").status_code for _ in range(limit)] == [401] * limit
    blocked = obtain(DEFAULT_PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0


def test_api_sign_in_works_with_redis_stopped(cache_on_stopped_redis):
    user = UserFactory()
    response = APIClient().post(
        "/api/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["access"]


def test_web_failed_logins_from_one_ip_answer_429_with_redis_stopped(
    client, cache_on_stopped_redis
):
    users = UserFactory.create_batch(11)
    statuses = [
        client.post("/accounts/login/", {"login": u.email, "password": "wrong"}).status_code
        for u in users
    ]
    # allauth's login_failed limit: 10 per minute per IP.
    assert statuses == [200] * 10 + [429]


def test_web_sign_in_works_with_redis_stopped(client, cache_on_stopped_redis):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_api_rates_hold_with_redis_stopped(cache_on_stopped_redis, settings):
    """A viewset's throttles read and write their histories together; with Redis stopped they
    count in process memory, as one throttle alone does."""
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"]["anon"] = "3/min"
    settings.REST_FRAMEWORK = rest
    api = APIClient()
    assert [api.get("/api/categories/").status_code for _ in range(4)] == [200, 200, 200, 429]
