"""Huey on Redis with bounded waits: short socket timeouts and the breaker of
`proctique.redis_breaker` for every command, so an enqueue after commit costs a request a
fraction of a second at most when Redis hangs, and nothing once the breaker is open.

The consumer's blocking pop (BRPOP) waits up to `read_timeout` by design, longer than the
short socket timeout allows, so it goes over a second connection pool whose socket timeout
exceeds `read_timeout`. Only consumers ever use that pool.
"""

from huey import RedisHuey
from huey.storage import RedisStorage
from redis import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from proctique.redis_breaker import DEFAULT_BREAKER_SECONDS, BreakerConnectionPool

# Head room of the blocking pop's socket over the server-side BRPOP timeout.
POP_MARGIN_SECONDS = 2.0


class BoundedRedisStorage(RedisStorage):
    """RedisStorage on a `BreakerConnectionPool` made from `url` with the given timeouts."""

    def __init__(
        self,
        name: str = "huey",
        *,
        url: str,
        socket_timeout: float,
        socket_connect_timeout: float,
        breaker_seconds: float = DEFAULT_BREAKER_SECONDS,
        read_timeout: float = 1,
        **kwargs,
    ):
        timeouts = {"socket_connect_timeout": socket_connect_timeout}
        pool = BreakerConnectionPool.from_url(
            url, socket_timeout=socket_timeout, breaker_seconds=breaker_seconds, **timeouts
        )
        super().__init__(name, read_timeout=read_timeout, connection_pool=pool, **kwargs)
        pop_pool = BreakerConnectionPool.from_url(
            url,
            socket_timeout=read_timeout + POP_MARGIN_SECONDS,
            breaker_seconds=breaker_seconds,
            **timeouts,
        )
        self.pop_conn = Redis(connection_pool=pop_pool)

    def dequeue(self):
        if not self.blocking:
            return super().dequeue()
        # As RedisStorage.dequeue, over the pool whose timeout allows the wait.
        try:
            return self.pop_conn.brpop(self.queue_key, timeout=self.read_timeout)[1]
        except (RedisTimeoutError, TypeError, IndexError):
            return None  # empty, or timed out; a ConnectionError propagates for backoff


class BoundedRedisHuey(RedisHuey):
    """RedisHuey on `BoundedRedisStorage` (HUEY["huey_class"])."""

    storage_class = BoundedRedisStorage
