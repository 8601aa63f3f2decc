"""The cache and the queue against a Redis that is stopped or frozen (real redis-server).

"Does not hang" bounds are generous upper limits: without the timeouts and the breaker the
same calls take many times longer.
"""

import logging
import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from proctique.cache_backend import OutageTolerantRedisCache
from proctique.huey_storage import BoundedRedisHuey
from proctique.redis_breaker import BreakerOpen

pytestmark = pytest.mark.slow

SOCKET_TIMEOUT = 0.5
BREAKER_SECONDS = 1.0


def make_cache(server, **options) -> OutageTolerantRedisCache:
    """The backend exactly as settings.CACHES configures it, on the test's own Redis."""
    return OutageTolerantRedisCache(
        server.url(),
        {
            "KEY_PREFIX": "faults",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
                "SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT,
                "CONNECTION_POOL_CLASS": "proctique.redis_breaker.BreakerConnectionPool",
                "CONNECTION_POOL_KWARGS": {"breaker_seconds": BREAKER_SECONDS},
                "LOCAL_FALLBACK_PREFIXES": ["throttle_", "allauth:rl:"],
                **options,
            },
        },
    )


def make_huey(server, name="faults") -> BoundedRedisHuey:
    return BoundedRedisHuey(
        name,
        url=server.url(1),
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        breaker_seconds=BREAKER_SECONDS,
        results=False,
    )


def breaker_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "proctique.redis_breaker" and r.levelno == logging.WARNING
    ]


def wait_until(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_reads_miss_and_writes_do_nothing_while_redis_fails(redis_server, fault, caplog):
    cache = make_cache(redis_server)
    cache.set("page", "cached html")
    assert cache.get("page") == "cached html"
    getattr(redis_server, {"stopped": "stop", "frozen": "freeze"}[fault])()

    started = time.monotonic()
    assert cache.get("page") is None
    assert cache.get("page", "fallback") == "fallback"
    assert cache.get_many(["page", "other"]) == {}
    assert not cache.set("page", "new html")
    assert not cache.add("fresh", 1)
    assert not cache.delete("page")
    assert cache.incr("version") is None
    computed = cache.get_or_set("categories", lambda: ["from the database"], 60)
    assert computed == ["from the database"]
    for _ in range(50):
        cache.get("page")
    assert time.monotonic() - started < 2 * SOCKET_TIMEOUT + 1.5  # one timeout, then skipped
    assert len(breaker_warnings(caplog)) == 1
    assert redis_server.address in breaker_warnings(caplog)[0]


def test_a_frozen_redis_is_asked_once_per_pause_not_once_per_call(redis_server):
    cache = make_cache(redis_server)
    cache.set("warm", 1)  # one pooled connection, already open
    stats = redis_server.client().info("stats")
    commands_before = stats["total_commands_processed"]
    connections_before = stats["total_connections_received"]
    redis_server.freeze()
    for n in range(20):
        cache.get(f"key-{n}")
    redis_server.thaw()
    stats = redis_server.client().info("stats")
    # The first GET reached the socket and is answered late; the other 19 never left the
    # process. The INFO calls above and below count as one command each.
    assert stats["total_commands_processed"] - commands_before <= 3
    # No new connection was attempted while the breaker was open (plus our own INFO client).
    assert stats["total_connections_received"] - connections_before <= 1


def test_redis_is_used_again_once_it_answers(redis_server, caplog):
    cache = make_cache(redis_server)
    redis_server.stop()
    assert cache.get("k") is None  # opens the breaker
    redis_server.start()  # same port, empty

    def stored() -> bool:
        cache.set("k", "v")
        return cache.get("k") == "v"

    assert wait_until(stored), "the cache never used Redis again"
    assert redis_server.client().exists("faults:1:k")
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_counters_keep_counting_in_process_memory_while_redis_is_down(redis_server):
    cache = make_cache(redis_server)
    redis_server.stop()
    # A lock and a history, as allauth and DRF keep them: they work, locally.
    assert cache.add("allauth:rl:login:lock", True, 10) is True
    assert cache.add("allauth:rl:login:lock", True, 10) is False
    assert cache.delete("allauth:rl:login:lock") is True
    cache.set("throttle_auth_127.0.0.1", [3.0, 2.0, 1.0], 60)
    assert cache.get("throttle_auth_127.0.0.1") == [3.0, 2.0, 1.0]
    cache.set("throttle_counter", 1, 60)
    assert cache.incr("throttle_counter") == 2
    assert cache.has_key("throttle_counter")
    # Any other key is still a miss: its value could be stale for other processes.
    cache.set("page", "html")
    assert cache.get("page") is None

    redis_server.start()
    assert wait_until(lambda: cache.set("page", "html") and cache.get("page") == "html")
    cache.set("throttle_auth_127.0.0.1", [4.0], 60)
    assert redis_server.client().exists("faults:1:throttle_auth_127.0.0.1")
    assert cache.get("throttle_auth_127.0.0.1") == [4.0]


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_an_enqueue_fails_fast_when_redis_fails(redis_server, fault):
    huey = make_huey(redis_server)
    huey.storage.enqueue(b"warm")
    getattr(redis_server, {"stopped": "stop", "frozen": "freeze"}[fault])()
    started = time.monotonic()
    with pytest.raises((RedisConnectionError, RedisTimeoutError)):
        huey.storage.enqueue(b"lost")
    with pytest.raises(BreakerOpen):
        huey.storage.enqueue(b"skipped")
    assert time.monotonic() - started < 2 * SOCKET_TIMEOUT + 1.5


def test_the_consumer_pop_waits_longer_than_the_short_socket_timeout(redis_server):
    huey = make_huey(redis_server)
    assert huey.storage.read_timeout > SOCKET_TIMEOUT  # BRPOP waits 1 s on an empty queue
    assert huey.storage.dequeue() is None  # an empty queue, not a timeout
    huey.storage.enqueue(b"task")  # would raise BreakerOpen had the pop tripped the breaker
    assert huey.storage.dequeue() == b"task"


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_keys_written_during_the_outage_are_deleted_when_redis_answers(redis_server, fault, caplog):
    cache = make_cache(redis_server)
    cache.set("version", 41, None)
    cache.set("page:41", "html of version 41")
    cache.set("untouched", "kept")
    raw = redis_server.client()
    if fault == "stopped":
        raw.save()  # a restart that keeps the data, as a server with snapshots does
        redis_server.stop()
    else:
        redis_server.freeze()
    assert cache.incr("version") is None  # the bump is lost ...
    assert not cache.set("page:41", "html with the change")
    assert cache.get("version") is None  # ... and reads miss meanwhile
    if fault == "stopped":
        redis_server.start()
        raw = redis_server.client()
    else:
        redis_server.thaw()
    # Redis still holds the page as it was (a frozen server even applies the first command,
    # which timed out, once it thaws; the breaker kept the second from being sent).
    assert b"html of version 41" in raw.get("faults:1:page:41")

    def invalidated() -> bool:
        cache.get("anything")  # the first answered call deletes what was dropped
        return not raw.exists("faults:1:page:41")

    assert wait_until(invalidated), "the stale page was never deleted"
    assert not raw.exists("faults:1:version")
    assert cache.get("untouched") == "kept"
    assert any("deleted 2 keys" in r.getMessage() for r in caplog.records)
