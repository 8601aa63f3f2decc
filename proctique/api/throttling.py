"""Rate limits for every API call, besides the scoped ones (auth, reviews): the "anon" and
"user" rates of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (THROTTLE_ANON / THROTTLE_USER).

`refusals()` runs a view's throttles with one cache read and one cache write between them all
(DRF reads and writes each throttle's history on its own: two round trips per throttle).
"""

from collections.abc import Callable

from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from django.conf import settings
from django.core.cache import cache


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


class _Histories:
    """The throttles' cache for one call: what `get_many` found, and the writes kept for one
    `set_many` (under the longest timeout asked for: a history outliving its window is
    trimmed when next read)."""

    def __init__(self, found: dict) -> None:
        self.found, self.writes, self.timeout = found, {}, 0
        self.keys: list[str] = []

    def get(self, key, default=None):
        self.keys.append(key)
        return self.found.get(key, default)

    def set(self, key, value, timeout=None) -> None:
        self.writes[key] = value
        self.timeout = max(self.timeout, timeout or 0)


def refusals(make_throttles: Callable[[], list[BaseThrottle]], request, view) -> list:
    """DRF's own check of each throttle (each one counts the call it lets through), with the
    histories read in one round trip and written in one: the waits of those that refuse.

    The throttles are made twice: once to learn their keys (nothing is counted), then for the
    check itself.
    """
    learning = _Histories({})
    for throttle in make_throttles():
        if isinstance(throttle, SimpleRateThrottle):
            throttle.cache = learning
        throttle.allow_request(request, view)
    histories = _Histories(cache.get_many(learning.keys) if learning.keys else {})
    waits = []
    for throttle in make_throttles():
        if isinstance(throttle, SimpleRateThrottle):
            throttle.cache = histories
        if not throttle.allow_request(request, view):
            waits.append(throttle.wait())
    if histories.writes:
        cache.set_many(histories.writes, histories.timeout)
    return waits
