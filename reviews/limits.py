"""Per-user posting rate limit for reviews, kept in the cache (a sliding one-hour window)."""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def per_hour() -> int:
    return int(getattr(settings, "REVIEWS_POSTS_PER_HOUR", 10))


def _key(user_id: int) -> str:
    return f"reviews:posts:{user_id}"


def _recent(user_id: int, now: float) -> list[float]:
    return [t for t in cache.get(_key(user_id), []) if t > now - WINDOW_SECONDS]


def allowed(user_id: int) -> bool:
    """True while the user has posted fewer than the limit within the last hour."""
    return len(_recent(user_id, time.time())) < per_hour()


def record(user_id: int) -> None:
    now = time.time()
    cache.set(_key(user_id), [*_recent(user_id, now), now], WINDOW_SECONDS)
