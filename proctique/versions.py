"""The public content version: one number that changes after every change the public can see.

Every cached public response (whole pages, anonymous API reads) and every validator (ETag,
Last-Modified) is keyed by it, so invalidation is one rule: *a write that changes what the
public sees calls `changed()`; the bump runs after its transaction commits*. A reader that sees
the new number therefore also sees the new data, and a response rendered from old data can only
be stored under the old number, which no one asks for again.

Other versions (rows of the same table, bumped with the public one) name reads that change far
less often, so a process keeps them across reviews and publishes (see `memoised`).

The number is a row in the database, not a cache key: it survives a Redis outage or eviction,
so nothing changed during an outage is served stale afterwards. Reading it costs one query per
request that uses the cache (every version at once: the table holds a handful of rows).
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from proctique.models import ContentVersion
from proctique.statements import Select, Update

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
    """The version as committed now."""
    memo = _pinned.get()
    if memo is not None and _ALL_READ in memo:
        return memo.get(name, NEVER_CHANGED)
    found = _read()
    if memo is not None:
        memo.update(found)
        memo[_ALL_READ] = NEVER_CHANGED
    return found.get(name, NEVER_CHANGED)


# A version whose row does not exist yet: it has never changed (its first bump creates the row
# with 1). Reading never writes, so a read on a replica, or on a database just flushed, works.
NEVER_CHANGED = Version(0, datetime(1970, 1, 1, tzinfo=UTC))

# In a pinned memo: every row has been read (no version is named with the empty string).
_ALL_READ = ""

_memos: dict[str, tuple[tuple[int, int], object]] = {}
# Changes made by this process, counted at once, per version: its own memos follow its writes
# even before they commit (other processes follow the committed version).
_local_changes: dict[str, int] = {}


def memoised(key: str, compute: Callable[[], T], *, version: str = PUBLIC) -> T:
    """`compute()`, kept in this process until `version` (the public one unless named) changes.

    For small, hot, rarely changed reads (categories, view restrictions) whose every change
    bumps that version: a change is seen on the next request, in every process. A read that
    changes far less often than the public content names a version of its own, so that a
    review does not make every process read it again.
    """
    stamp = (current(version).value, _local_changes.get(version, 0))
    hit = _memos.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    value = compute()
    _memos[key] = (stamp, value)
    return value


def _every_version():
    return ContentVersion.objects.values_list("name", "value", "changed_at")


def _bumped(name: str, now: datetime):
    return ContentVersion.objects.filter(pk=name), {"value": F("value") + 1, "changed_at": now}


# Read by nearly every request and bumped by every write: compiled once per process.
_READ = Select(ContentVersion, _every_version)
_BUMP = Update(ContentVersion, _bumped, name=str, now=datetime)


def _read() -> dict[str, Version]:
    # Every version in one query (a handful of rows): a request that asks for two pays once.
    return {name: Version(value, changed_at) for name, value, changed_at in _READ.rows()}


def _bump(name: str) -> None:
    if not _BUMP.run(name=name, now=timezone.now()):
        ContentVersion.objects.get_or_create(pk=name)  # value 1, one above NEVER_CHANGED


def changed(*names: str) -> None:
    """Record that public content changed (and the other named versions with it); takes effect
    once the caller's transaction commits.

    `robust`: a failure here is logged, never raised into the request that already committed.
    """
    for name in dict.fromkeys((PUBLIC, *names)):
        _local_changes[name] = _local_changes.get(name, 0) + 1
        transaction.on_commit(lambda name=name: _bump(name), robust=True)
