"""allauth on the web: sign-up, verification, login, logout, password change and reset."""

import re

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.passwords import reset_url
from tasks.emails import build_message
from tasks.models import EmailEvent

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-brand-new-passphrase-77"


def _signup(client, email="new.person@example.test", username="newperson"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "username": username,
            "password1": "sturdy-signup-passphrase-1",
            "password2": "sturdy-signup-passphrase-1",
        },
    )


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
)
def test_pages_use_the_site_layout(client, path):
    body = client.get(path).content.decode()
    assert 'class="site-header"' in body
    assert 'class="form"' in body
    assert "<h1>" in body


def test_signup_optional_verification_signs_in_and_sends_verification(client, site_pages):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="newperson")
    assert int(client.session["_auth_user_id"]) == user.pk
    # Sent by the worker from the outbox; the link is made when the email is built.
    event = EmailEvent.objects.get(kind="email_confirmation", recipient=user)
    assert "/accounts/confirm-email/" in build_message(event).body
    assert not EmailAddress.objects.get(user=user).verified


def test_signup_mandatory_verification_then_confirm(client, settings, site_pages):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = _signup(client)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert response.url.endswith("/accounts/confirm-email/")
    login = client.post(
        "/accounts/login/",
        {"login": "new.person@example.test", "password": "sturdy-signup-passphrase-1"},
    )
    assert "_auth_user_id" not in client.session
    assert login.status_code == 302
    body = build_message(EmailEvent.objects.get(kind="email_confirmation")).body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    path = link.split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.test").verified
    client.post(
        "/accounts/login/",
        {"login": "new.person@example.test", "password": "sturdy-signup-passphrase-1"},
    )
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("email", ["Taken@Example.test", "TAKEN@EXAMPLE.TEST"])
def test_signup_duplicate_email_in_any_case_is_refused(client, email):
    UserFactory(email="taken@example.test")
    # With enumeration prevention allauth answers like a success but creates no account.
    _signup(client, email=email, username="someoneelse")
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1
    assert not User.objects.filter(username="someoneelse").exists()


def test_signup_weak_password_is_refused(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "weak@example.test",
            "username": "weak",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="weak").exists()


def test_login_is_case_insensitive_and_logout_works(client, user):
    response = client.post(
        "/accounts/login/", {"login": user.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(is_active=False)
    client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_password_change(client, user):
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_goes_through_the_outbox(client, user):
    response = client.post("/accounts/password/reset/", {"email": user.email.upper()})
    assert response.status_code == 302
    event = EmailEvent.objects.get()
    assert (event.kind, event.recipient_id) == ("password_reset", user.pk)
    assert "key" not in str(event.refs)  # the token is made at send time, never stored
    assert mail.outbox == []


def test_password_reset_unknown_email_gets_the_same_answer(client, user):
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    done_known = client.get(known.url).content
    done_unknown = client.get(unknown.url).content
    assert done_known == done_unknown
    assert EmailEvent.objects.count() == 1
    assert mail.outbox == []


def _reset_with_link(client, link, password=NEW_PASSWORD):
    path = link.split("testserver", 1)[1]
    response = client.get(path)
    if response.status_code != 302:
        return response
    return client.post(response.url, {"password1": password, "password2": password})


def test_reset_link_works_once(client, user):
    link = reset_url(user)
    response = _reset_with_link(client, link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = _reset_with_link(client, link, password="yet-another-passphrase-99")
    assert again.status_code == 200
    assert again.context["token_fail"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_link_expires(client, user, settings):
    link = reset_url(user)
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = _reset_with_link(client, link)
    assert response.status_code == 200
    assert response.context["token_fail"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_email_verification_mode_comes_from_the_environment():
    import os
    import subprocess
    import sys

    from django.conf import settings

    assert settings.ACCOUNT_EMAIL_VERIFICATION == "optional"
    code = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, "ACCOUNT_EMAIL_VERIFICATION": "mandatory"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "mandatory"


def test_reset_email_is_delivered_by_the_queue_and_its_link_works(
    client, user, smtp_server, huey_immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    [message] = smtp_server.wait_for(1)
    assert user.email in str(message["To"])
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", smtp_server.text_of(message))
    assert link, smtp_server.text_of(message)
    assert _reset_with_link(client, link.group(0)).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
