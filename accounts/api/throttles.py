"""API rate limits, cache-backed (Redis in production), keyed like allauth's web limits."""

import hashlib

from allauth.account.adapter import get_adapter
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from django.core.exceptions import PermissionDenied


def client_ip(request) -> str:
    """The client's address by allauth's rule: the trusted header if configured, else the peer.

    X-Forwarded-For is ignored unless ALLAUTH_TRUSTED_PROXY_COUNT says how many hops to trust.
    """
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # trusted header configured but absent: not via the proxy
        return request.META.get("REMOTE_ADDR", "")


class ClientIPScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle (view.throttle_scope), keyed by the trusted client address."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class _ClientIPThrottle(SimpleRateThrottle):
    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AuthRateThrottle(_ClientIPThrottle):
    """Token obtain, register and reset confirm: per client IP."""

    scope = "auth"


class PasswordResetRateThrottle(_ClientIPThrottle):
    """Password-reset requests: per client IP."""

    scope = "password_reset"


class PasswordResetEmailThrottle(SimpleRateThrottle):
    """Password-reset requests: per target address, so many IPs cannot flood one inbox."""

    scope = "password_reset"

    def get_cache_key(self, request, view) -> str | None:
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": "password_reset_email", "ident": digest}
