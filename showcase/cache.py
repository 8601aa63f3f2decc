"""Versions that key the public pages' fragment caches.

Wagtail's `{% wagtailpagecache %}` keys a fragment on the page's `cache_key`, which changes
when the page itself is published or edited. Listings and review sections also depend on
other rows (other projects, reviews), so their fragments add a version from here, bumped
whenever those rows change; stale fragments are never read again and expire on their own.
"""

import time

from django.core.cache import cache

CATALOGUE_KEY = "showcase:catalogue-version"
REVIEWS_KEY = "showcase:reviews-version:{}"


def _version(key: str) -> int:
    value = cache.get(key)
    if value is None:
        # Start from the clock, so a version lost with the cache never repeats an old one.
        value = time.time_ns()
        cache.add(key, value, None)
        value = cache.get(key, value)
    return value


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted)
        cache.set(key, time.time_ns(), None)


def catalogue_version() -> int:
    """Changes whenever any listed project, its rating or a category changes."""
    return _version(CATALOGUE_KEY)


def reviews_version(project_id: int) -> int:
    """Changes whenever a review (or its reply or helpful votes) of the project changes."""
    return _version(REVIEWS_KEY.format(project_id))


def catalogue_changed() -> None:
    _bump(CATALOGUE_KEY)


def reviews_changed(project_id: int) -> None:
    """Reviews of a project changed: its review section and every listing showing its stars."""
    _bump(REVIEWS_KEY.format(project_id))
    _bump(CATALOGUE_KEY)
