"""A circuit breaker on Redis connections, shared by the cache and the queue of one process.

A Redis that refuses connections fails fast, but one that stops answering (a partition, a
frozen or overloaded server) makes every command wait for its socket timeout. So after a
connection error or a timeout, every connection of this process to that server (keyed by
host and port, whatever the database number) refuses work at once for `breaker_seconds`,
raising `BreakerOpen` (a redis `ConnectionError`, so callers that already handle an
unreachable Redis need nothing new). The first command after that pause goes to Redis
again: an answer closes the breaker, another failure opens it for another pause.

One warning is logged when a server becomes unreachable and one line when it answers again,
not one per call. Use it through `BreakerConnectionPool` (django-redis's
`CONNECTION_POOL_CLASS`, or a pool given to Huey's storage).
"""

import logging
import threading
import time

from redis.connection import (
    Connection,
    ConnectionPool,
    SSLConnection,
    UnixDomainSocketConnection,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DEFAULT_BREAKER_SECONDS = 5.0


class BreakerOpen(RedisConnectionError):
    """Redis was not asked: it failed moments ago and the breaker is open."""


class Breaker:
    """Open for `cooldown` seconds after each failure; closed again by the next answer."""

    def __init__(self, address: str, cooldown: float):
        self.address = address
        self.cooldown = cooldown
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._down_since: float | None = None

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def check(self) -> None:
        remaining = self._open_until - time.monotonic()
        if remaining > 0:
            raise BreakerOpen(
                f"Redis at {self.address} skipped for {remaining:.1f} s after a failure"
            )

    def failed(self, error: Exception) -> None:
        if isinstance(error, BreakerOpen):
            return  # a skipped call is not news about the server
        with self._lock:
            now = time.monotonic()
            self._open_until = now + self.cooldown
            if self._down_since is None:
                self._down_since = now
                logger.warning(
                    "Redis at %s is unreachable (%s); skipping it for %.1f s at a time "
                    "until it answers",
                    self.address,
                    error,
                    self.cooldown,
                )

    def succeeded(self) -> None:
        if self._down_since is None:
            return  # the usual case: no lock on the hot path
        with self._lock:
            if self._down_since is not None:
                logger.info(
                    "Redis at %s answers again after %.1f s",
                    self.address,
                    time.monotonic() - self._down_since,
                )
                self._down_since = None
                self._open_until = 0.0


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(address: str, cooldown: float = DEFAULT_BREAKER_SECONDS) -> Breaker:
    """This process's breaker for the Redis server at `address` (`host:port` or a socket path)."""
    with _breakers_lock:
        breaker = _breakers.get(address)
        if breaker is None:
            breaker = _breakers[address] = Breaker(address, cooldown)
        return breaker


class _BreakerMixin:
    """Consult the breaker before using the socket; report failures and answers to it."""

    def __init__(self, *args, breaker_seconds: float = DEFAULT_BREAKER_SECONDS, **kwargs):
        super().__init__(*args, **kwargs)
        path = getattr(self, "path", None)
        self.breaker = breaker_for(path or f"{self.host}:{self.port}", breaker_seconds)

    def _connect(self):
        self.breaker.check()
        try:
            return super()._connect()
        except OSError as error:  # refused, unreachable, or socket.timeout while connecting
            self.breaker.failed(error)
            raise

    def send_packed_command(self, command, check_health=True):
        self.breaker.check()
        try:
            return super().send_packed_command(command, check_health)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self.breaker.failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()
        return response


class BreakerConnection(_BreakerMixin, Connection):
    pass


class BreakerSSLConnection(_BreakerMixin, SSLConnection):
    pass


class BreakerUnixConnection(_BreakerMixin, UnixDomainSocketConnection):
    pass


_WITH_BREAKER: dict[type, type] = {
    Connection: BreakerConnection,
    SSLConnection: BreakerSSLConnection,
    UnixDomainSocketConnection: BreakerUnixConnection,
}


class BreakerConnectionPool(ConnectionPool):
    """redis-py's pool, its connections (TCP, TLS or Unix socket, as the URL says) behind a
    breaker. Accepts `breaker_seconds` besides the usual connection arguments."""

    def __init__(self, connection_class: type = Connection, **kwargs):
        connection_class = _WITH_BREAKER.get(connection_class, connection_class)
        super().__init__(connection_class=connection_class, **kwargs)
