"""The public content version: one number that changes after every change the public can see.

Every cached public response (whole pages, anonymous API reads) and every validator (ETag,
Last-Modified) is keyed by it, so invalidation is one rule: *a write that changes what the
public sees calls `changed()`; the bump runs after its transaction commits*. A reader that sees
the new number therefore also sees the new data, and a response rendered from old data can only
be stored under the old number, which no one asks for again.

The number is a row in the database, not a cache key: it survives a Redis outage or eviction,
so nothing changed during an outage is served stale afterwards. Reading it costs one indexed
primary-key query per request that uses the cache.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from proctique.models import ContentVersion

PUBLIC = "public"
T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    value: int
    changed_at: datetime


# Within one read-only request the version is read once (see `pinned`).
_pinned: ContextVar[dict | None] = ContextVar("pinned_versions", default=None)


@contextmanager
def pinned():
    """Read each version at most once until the block ends (a GET request that writes nothing)."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def current(name: str = PUBLIC) -> Version:
    """The version as committed now (created on first use)."""
    memo = _pinned.get()
    if memo is not None and name in memo:
        return memo[name]
    version = _read(name)
    if memo is not None:
        memo[name] = version
    return version


_memos: dict[str, tuple[tuple[int, int], object]] = {}
# Changes made by this process, counted at once: its own memos follow its writes even before
# they commit (other processes follow the committed version).
_local_changes = 0


def memoised(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this process until the public version changes.

    For small, hot, rarely changed reads (categories, view restrictions) whose every change
    bumps the version: a change is seen on the next request, in every process.
    """
    version = (current().value, _local_changes)
    hit = _memos.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = compute()
    _memos[key] = (version, value)
    return value


def _read(name: str) -> Version:
    row = ContentVersion.objects.filter(pk=name).values_list("value", "changed_at").first()
    if row is None:
        version, _ = ContentVersion.objects.get_or_create(pk=name)
        return Version(version.value, version.changed_at)
    return Version(*row)


def _bump(name: str) -> None:
    updated = ContentVersion.objects.filter(pk=name).update(
        value=F("value") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=name)


def changed(name: str = PUBLIC) -> None:
    """Record that public content changed; takes effect once the caller's transaction commits.

    `robust`: a failure here is logged, never raised into the request that already committed.
    """
    global _local_changes
    _local_changes += 1
    transaction.on_commit(lambda: _bump(name), robust=True)
