"""django-redis's cache, made to keep a site serving while Redis is unreachable.

What a cache call does while Redis is down (refusing connections, timing out, or skipped
by the breaker in `proctique.redis_breaker` for a few seconds after such a failure):

* **reads miss** (`get` returns the default, `get_many` returns `{}`), so every caller
  computes the value from the database, as after an eviction;
* **writes are dropped** (`set`, `add`, `delete`, `incr` ... return a falsy value), and the
  key is remembered: when Redis answers again, the first call of this process deletes every
  key whose write it dropped, before doing anything else. A version that should have been
  bumped, or an entry that should have been deleted or replaced, would otherwise still be
  read after the outage (Redis kept its data through a partition or a stall). Deleting is
  always safe for a cache: the next read misses and recomputes. Past
  `DROPPED_KEYS_MAX` remembered keys, the whole key prefix of this cache is deleted instead;
* except for **counters**, the keys starting with one of the `LOCAL_FALLBACK_PREFIXES`
  (rate limits): while Redis fails they are read and written in this process's memory, so a
  limit still bites, per process rather than across processes, and never turns into
  unlimited guessing; a lock taken with `add` on such a key keeps working too. When Redis
  answers again the counters are in Redis once more, as they were before the outage.

The same happens whether or not `IGNORE_EXCEPTIONS` is set for the methods of Django's cache
API below; with it, django-redis's extra methods (`keys`, `ttl`, `lock`, ...) miss or do
nothing while Redis is down, without the bookkeeping. Nothing here knows what the keys mean;
settings name the prefixes.

OPTIONS, besides django-redis's own: `LOCAL_FALLBACK_PREFIXES` (strings),
`LOCAL_FALLBACK_MAX_ENTRIES` (in-memory counters, default 10,000) and `DROPPED_KEYS_MAX`
(default 10,000).
"""

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

T = TypeVar("T")


class OutageTolerantRedisCache(RedisCache):
    """RedisCache that misses while Redis is down, deletes what it could not write once Redis
    is back, and keeps rate-limit counters in process memory meanwhile."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self._local_prefixes = tuple(options.get("LOCAL_FALLBACK_PREFIXES", ()))
        self._local = LocMemCache(
            f"redis-fallback:{server}:{self.key_prefix}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "OPTIONS": {"MAX_ENTRIES": options.get("LOCAL_FALLBACK_MAX_ENTRIES", 10_000)},
            },
        )
        self._dropped_max = options.get("DROPPED_KEYS_MAX", 10_000)
        self._dropped: set[str] = set()
        self._dropped_overflow = False
        self._dropped_lock = threading.Lock()

    # --- bookkeeping ---------------------------------------------------------------------
    def _is_counter(self, key: Any) -> bool:
        return bool(self._local_prefixes) and str(key).startswith(self._local_prefixes)

    def _remember_dropped(self, keys: Iterable, version: int | None) -> None:
        with self._dropped_lock:
            for key in keys:
                if self._is_counter(key):
                    continue
                if len(self._dropped) >= self._dropped_max:
                    self._dropped_overflow = True
                    self._dropped.clear()
                if self._dropped_overflow:
                    return
                self._dropped.add(str(self.client.make_key(key, version=version)))

    def _invalidate_dropped(self) -> None:
        """Delete what this process failed to write, once Redis takes commands again."""
        if not self._dropped and not self._dropped_overflow:
            return
        with self._dropped_lock:
            keys, overflow = list(self._dropped), self._dropped_overflow
        try:
            if overflow:
                self.client.delete_pattern("*")
            elif keys:
                self.client.get_client(write=True).delete(*keys)
        except (ConnectionInterrupted, RedisError):
            return  # still down; the breaker makes this attempt cost nothing
        with self._dropped_lock:
            self._dropped.difference_update(keys)
            if overflow:
                self._dropped_overflow = False
        logger.info(
            "cache %s: deleted %s written while Redis was unreachable",
            self.key_prefix or "(no prefix)",
            "every key" if overflow else f"{len(keys)} keys",
        )

    def _call(
        self,
        keys: list,
        version: int | None,
        redis_call: Callable[[], T],
        local_call: Callable[[], T] | None,
        failed: T,
        *,
        write: bool,
    ) -> T:
        self._invalidate_dropped()
        try:
            return redis_call()
        except ConnectionInterrupted as exc:
            if local_call is not None and keys and all(map(self._is_counter, keys)):
                return local_call()
            if write:
                self._remember_dropped(keys, version)
            if not self._ignore_exceptions:
                raise exc.__cause__ from None
            return failed

    # --- Django's cache API ------------------------------------------------------------------
    def get(self, key, default=None, version=None, client=None):
        return self._call(
            [key],
            version,
            lambda: self.client.get(key, default=default, version=version, client=client),
            lambda: self._local.get(key, default, version),
            default,
            write=False,
        )

    def get_many(self, keys, version=None, client=None):
        keys = list(keys)
        return self._call(
            keys,
            version,
            lambda: self.client.get_many(keys, version=version, client=client),
            lambda: self._local.get_many(keys, version),
            {},
            write=False,
        )

    def has_key(self, key, version=None, client=None):
        return self._call(
            [key],
            version,
            lambda: self.client.has_key(key, version=version, client=client),
            lambda: self._local.has_key(key, version),
            False,
            write=False,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, **kwargs):
        return self._call(
            [key],
            version,
            lambda: self.client.set(key, value, timeout, version, client, **kwargs),
            lambda: self._local.set(key, value, timeout, version),
            False,
            write=True,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._call(
            [key],
            version,
            lambda: self.client.add(key, value, timeout, version, client),
            lambda: self._local.add(key, value, timeout, version),
            False,
            write=True,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        data = dict(data)
        return self._call(
            list(data),
            version,
            lambda: self.client.set_many(data, timeout, version, client),
            lambda: self._local.set_many(data, timeout, version),
            list(data),  # Django's contract: the keys that failed
            write=True,
        )

    def delete(self, key, version=None, prefix=None, client=None):
        return self._call(
            [key],
            version,
            lambda: bool(self.client.delete(key, version, prefix, client)),
            lambda: self._local.delete(key, version),
            False,
            write=True,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call(
            keys,
            version,
            lambda: self.client.delete_many(keys, version=version),
            None,
            None,
            write=True,
        )

    def incr(self, key, delta=1, version=None, client=None, **kwargs):
        return self._call(
            [key],
            version,
            lambda: self.client.incr(key, delta, version, client, **kwargs),
            lambda: self._local.incr(key, delta, version),
            None,
            write=True,
        )

    def decr(self, key, delta=1, version=None, client=None):
        return self._call(
            [key],
            version,
            lambda: self.client.decr(key, delta, version, client),
            lambda: self._local.decr(key, delta, version),
            None,
            write=True,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._call(
            [key],
            version,
            lambda: self.client.touch(key, timeout, version, client),
            lambda: self._local.touch(key, timeout, version),
            False,
            write=True,
        )

    def clear(self):
        self._local.clear()
        with self._dropped_lock:
            self._dropped.clear()
            self._dropped_overflow = False
        return super().clear()
