"""allauth's rate limits on the web (cache-backed: Redis in the suite) and the admin login."""

import pytest

from accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_failed_logins_for_one_account_are_limited_with_429(client, user):
    statuses = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    # Even the right password is refused while the account is locked.
    locked = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_from_one_ip_are_limited_across_accounts(client):
    users = UserFactory.create_batch(11)
    statuses = [
        client.post("/accounts/login/", {"login": u.email, "password": "wrong"}).status_code
        for u in users
    ]
    assert statuses[-1] == 429


def test_spoofed_forwarded_for_does_not_reset_the_web_limit(client, user):
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    others = UserFactory.create_batch(6)
    statuses = [
        client.post(
            "/accounts/login/",
            {"login": u.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n, u in enumerate(others)
    ]
    assert statuses[-1] == 429


def test_password_reset_requests_are_limited(client, user):
    statuses = [
        client.post("/accounts/password/reset/", {"email": user.email}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_signups_are_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "3/m/ip"}
    statuses = [
        client.post(
            "/accounts/signup/",
            {
                "email": f"s{n}@example.test",
                "username": f"s{n}",
                "password1": "sturdy-signup-passphrase-1",
                "password2": "sturdy-signup-passphrase-1",
            },
        ).status_code
        for n in range(4)
    ]
    assert statuses[3] == 429


def test_wagtail_admin_login_never_authenticates(client, user, admin):
    get = client.get("/admin/login/?next=/admin/pages/")
    assert get.status_code == 302
    assert get.url.startswith("/accounts/login/")
    assert "next=/admin/pages/" in get.url
    for account in (user, admin):
        post = client.post(
            "/admin/login/", {"username": account.email, "password": DEFAULT_PASSWORD}
        )
        assert post.status_code == 302 and post.url.startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


def test_wagtail_admin_password_reset_is_the_site_one(client, user, mailoutbox):
    from tasks.models import EmailEvent

    for path in ["/admin/password_reset/", "/admin/password_reset/confirm/MQ/abc-def/"]:
        get = client.get(path)
        assert get.status_code == 302
        assert get.url == "/accounts/password/reset/"
    post = client.post("/admin/password_reset/", {"email": user.email})
    assert post.status_code == 302
    assert mailoutbox == []
    assert not EmailEvent.objects.exists()
