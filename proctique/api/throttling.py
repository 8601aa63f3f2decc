"""Rate limits for every API call, besides the scoped ones (auth, reviews) in settings."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from django.conf import settings

DEFAULT_RATES = {"anon": "600/min", "user": "1200/min"}


class _SettingsOrDefault:
    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope) or DEFAULT_RATES[self.scope]


class AnonThrottle(_SettingsOrDefault, AnonRateThrottle):
    """Anonymous callers, per IP."""


class UserThrottle(_SettingsOrDefault, UserRateThrottle):
    """Signed-in callers, per user."""
