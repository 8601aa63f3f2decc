"""Rate limits for every API call, besides the scoped ones (auth, reviews): the "anon" and
"user" rates of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (THROTTLE_ANON / THROTTLE_USER)."""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from django.conf import settings


class _RateFromSettings:
    def get_rate(self):
        # Read at call time (DRF binds its rates at import), so overridden settings apply.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Anonymous callers, per IP."""


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Signed-in callers, per user."""

    def get_cache_key(self, request, view):
        # DRF counts anonymous callers here too, per IP: the anon rate already does, and
        # lower, so they are counted once (two fewer cache round trips per anonymous call).
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(_RateFromSettings, ScopedRateThrottle):
    """One action's own rate (`throttle_scope`: reviews, uploads, ...), per user or IP."""
