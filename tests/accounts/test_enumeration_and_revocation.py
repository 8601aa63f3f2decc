"""Smaller guards: a token check says what authentication says, the admin turns users away
instead of looping, and with mandatory verification sign-up never tells whether an address
has an account."""

import pytest

from django.test import Client

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tokens import token_pair
from tasks.models import EmailEvent
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def verify(token):
    return client_for(None).post("/api/auth/token/verify/", {"token": token}, format="json")


def test_token_check_answers_valid_for_a_good_token(user):
    response = verify(token_pair(user)["access"])
    assert response.status_code == 200 and response.json() == {"valid": True}


def test_token_check_refuses_tokens_revoked_by_a_password_change(user):
    access = token_pair(user)["access"]
    user.set_password("a-brand-new-password-42")
    user.save()
    response = verify(access)
    assert response.status_code == 401 and response.json()["code"] == "password_changed"


def test_token_check_refuses_tokens_of_a_deactivated_account(user):
    access = token_pair(user)["access"]
    user.is_active = False
    user.save()
    assert verify(access).status_code == 401


def test_a_signed_in_user_without_admin_access_is_refused_not_looped(client, user):
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


@pytest.fixture
def mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_api_register_reads_the_same_for_a_taken_address(mandatory, user, site_pages):
    api = client_for(None)
    new = api.post(
        "/api/auth/register/",
        {"email": "fresh@example.test", "username": "fresh", "password": "sturdy-pass-99"},
        format="json",
    )
    taken = api.post(
        "/api/auth/register/",
        {"email": user.email.upper(), "username": "someone", "password": "sturdy-pass-99"},
        format="json",
    )
    assert new.status_code == taken.status_code == 202
    assert new.json() == taken.json()
    assert "access" not in taken.json()
    kinds = dict(EmailEvent.objects.values_list("recipient__email", "kind"))
    assert kinds == {
        "fresh@example.test": "email_confirmation",
        user.email: "account_already_exists",
    }


def test_web_signup_reads_the_same_for_a_taken_address(mandatory, user, site_pages):
    def signup(email, username):
        return Client().post(
            "/accounts/signup/",
            {
                "email": email,
                "username": username,
                "password1": "sturdy-pass-99",
                "password2": "sturdy-pass-99",
            },
        )

    new, taken = signup("other@example.test", "other"), signup(user.email, "copycat")
    assert new.status_code == taken.status_code == 302
    assert new.url == taken.url == "/accounts/confirm-email/"
    assert EmailEvent.objects.filter(recipient=user, kind="account_already_exists").exists()


def test_the_confirmation_link_is_made_when_the_email_is_built(mandatory, site_pages):
    from tasks.emails import build_message

    client_for(None).post(
        "/api/auth/register/",
        {"email": "link@example.test", "username": "link", "password": "sturdy-pass-99"},
        format="json",
    )
    event = EmailEvent.objects.get(kind="email_confirmation")
    assert "key" not in str(event.refs)
    message = build_message(event)
    link = next(w for w in message.body.split() if "/accounts/confirm-email/" in w)
    assert Client().get(link.replace("http://testserver", "")).status_code == 200


def test_password_changes_are_announced_on_every_route(user, client, site_pages):
    client.force_login(user)
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "new-pass-123!",
            "password2": "new-pass-123!",
        },
    )
    assert EmailEvent.objects.filter(recipient=user, kind="password_changed").count() == 1


def test_other_user_unaffected(site_pages):
    assert verify(token_pair(UserFactory())["access"]).status_code == 200
