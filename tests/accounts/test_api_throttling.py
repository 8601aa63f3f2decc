"""DRF throttles on the account API: cache-backed, keyed by the trusted client address."""

import pytest
from rest_framework.settings import api_settings

from django.core.cache import cache

from accounts.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_account_lockout(settings):
    """These are the per-IP limits; the per-account lock is tested in test_lockout.py."""
    settings.LOGIN_FAILURE_LIMIT = 1000


def _rate(scope: str) -> int:
    return int(api_settings.DEFAULT_THROTTLE_RATES[scope].split("/")[0])


def _obtain(api, user, password="wrong", **extra):  # noqa: S107
    return api.post(
        "/api/auth/token/", {"email": user.email, "password": password}, format="json", **extra
    )


def test_token_obtain_is_throttled_with_retry_after(api, user):
    limit = _rate("auth")
    statuses = [_obtain(api, user).status_code for _ in range(limit)]
    assert set(statuses) == {401}
    blocked = _obtain(api, user, password=DEFAULT_PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    body = blocked.json()
    assert set(body) >= {"message", "errors"} and body["retry_after"]


def test_throttle_state_lives_in_the_shared_cache(api, user):
    for _ in range(_rate("auth")):
        _obtain(api, user)
    assert cache.keys("throttle_auth_*")
    cache.clear()  # another process sees the same store: clearing it lifts the limit
    assert _obtain(api, user, password=DEFAULT_PASSWORD).status_code == 200


def test_register_is_throttled(api):
    statuses = [
        api.post(
            "/api/auth/register/",
            {"email": f"r{n}@example.test", "username": f"r{n}", "password": "sturdy-pass-99"},
            format="json",
        ).status_code
        for n in range(_rate("auth") + 1)
    ]
    assert statuses[-1] == 429
    assert 201 in statuses


def test_password_reset_is_throttled_per_ip(api):
    statuses = [
        api.post(
            "/api/auth/password-reset/", {"email": f"x{n}@example.test"}, format="json"
        ).status_code
        for n in range(_rate("password_reset") + 1)
    ]
    assert statuses[:-1] == [202] * _rate("password_reset")
    assert statuses[-1] == 429


def test_password_reset_is_throttled_per_address_across_ips(api, user, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    statuses = [
        api.post(
            "/api/auth/password-reset/",
            {"email": user.email},
            format="json",
            HTTP_X_REAL_IP=f"192.0.2.{n}",
        ).status_code
        for n in range(_rate("password_reset") + 1)
    ]
    assert statuses[-1] == 429


def test_spoofed_x_forwarded_for_does_not_bypass_the_limit(api, user):
    for n in range(_rate("auth")):
        _obtain(api, user, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    spoofed = _obtain(api, user, HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.1")
    assert spoofed.status_code == 429


def test_trusted_header_is_the_client_address_when_configured(api, user, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(_rate("auth")):
        _obtain(api, user, HTTP_X_REAL_IP="192.0.2.1")
    assert _obtain(api, user, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    # A different client behind the same proxy has its own budget...
    assert _obtain(api, user, HTTP_X_REAL_IP="192.0.2.2").status_code == 401
    # ...and X-Forwarded-For is still ignored.
    blocked = _obtain(api, user, HTTP_X_REAL_IP="192.0.2.1", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert blocked.status_code == 429


def test_scoped_throttle_uses_the_same_client_address(rf, settings):
    from accounts.api.throttles import ClientIPScopedRateThrottle, client_ip

    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = rf.get("/", HTTP_X_REAL_IP="192.0.2.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "192.0.2.5"
    assert ClientIPScopedRateThrottle().get_ident(request) == "192.0.2.5"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    assert client_ip(request) == request.META["REMOTE_ADDR"]
