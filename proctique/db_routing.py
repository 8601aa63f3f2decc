"""Which database a query goes to when read replicas are configured (`DATABASE_REPLICAS`).

Writes, migrations and everything outside a request (Huey tasks, management commands, the
shell) use the primary, `default`. Inside a request, reads go to one replica when the request
allows it (`proctique.db_pinning` decides: safe methods of clients that have not just
written); once the request writes or opens a transaction on the primary, its later reads stay
on the primary too, so a request never reads around its own write.

A replica that refuses connections or times out (libpq's `connect_timeout`) is skipped for
REPLICA_CHECK_SECONDS, and so is one whose replay lag is over REPLICA_MAX_LAG_SECONDS (looked
up at most every REPLICA_CHECK_SECONDS per process); reads then fall back to the primary.
"""

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# Seconds the replica is behind. Once it has replayed all the WAL it received it is current,
# however old its last transaction (an idle primary sends nothing); otherwise the age of the
# last transaction it replayed, an upper bound.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8,
        'Infinity'::float8
    )
END
"""


@dataclass
class RequestRouting:
    """The routing of one request: may it read from a replica, which one, has it written."""

    replica_allowed: bool
    wrote: bool = False
    database: str | None = None  # chosen at the first read


_current: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar(
    "db_routing", default=None
)


@contextlib.contextmanager
def routing(replica_allowed: bool) -> Iterator[RequestRouting]:
    """Route the queries of the code inside (one request) as `replica_allowed` says."""
    state = RequestRouting(replica_allowed=replica_allowed)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


class ReplicaHealth:
    """What this process has learned about each replica: skip it until when, lag seen when."""

    def __init__(self) -> None:
        self._skip_until: dict[str, float] = {}
        self._lag_checked: dict[str, float] = {}
        self._lock = threading.Lock()

    def skipped(self, alias: str, now: float) -> bool:
        return self._skip_until.get(alias, 0.0) > now

    def skip(self, alias: str, now: float) -> None:
        with self._lock:
            self._skip_until[alias] = now + settings.REPLICA_CHECK_SECONDS

    def claim_lag_check(self, alias: str, now: float) -> bool:
        """True (once per interval) when it is time to look at the replica's lag again."""
        with self._lock:
            if now - self._lag_checked.get(alias, float("-inf")) < settings.REPLICA_CHECK_SECONDS:
                return False
            self._lag_checked[alias] = now
            return True


health = ReplicaHealth()


def replay_lag(connection: BaseDatabaseWrapper) -> float:
    """Seconds the replica behind `connection` lags behind its primary (0 on a primary)."""
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return cursor.fetchone()[0]


def _ready(alias: str, now: float) -> bool:
    connection = connections[alias]
    max_lag = settings.REPLICA_MAX_LAG_SECONDS
    try:
        # A persistent connection to a replica that went away fails this check and is
        # replaced, so the connect attempt below is what tells whether the replica is up.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        lag = replay_lag(connection) if max_lag and health.claim_lag_check(alias, now) else 0.0
    except DatabaseError as exc:
        logger.warning(
            "Replica %s unavailable, reading from the primary for %ss: %s",
            alias,
            settings.REPLICA_CHECK_SECONDS,
            exc,
        )
        health.skip(alias, now)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return False
    if lag > max_lag:
        logger.warning(
            "Replica %s is %.1fs behind (limit %ss), reading from the primary for %ss",
            alias,
            lag,
            max_lag,
            settings.REPLICA_CHECK_SECONDS,
        )
        health.skip(alias, now)
        return False
    return True


def choose_database() -> str:
    """A replica that answers and is not too far behind, at random; else the primary."""
    now = time.monotonic()
    candidates = [alias for alias in settings.DATABASE_REPLICAS if not health.skipped(alias, now)]
    random.shuffle(candidates)
    for alias in candidates:
        if _ready(alias, now):
            return alias
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads of a request that allows it go to one replica; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        state = _current.get()
        if (
            state is None
            or not state.replica_allowed
            or state.wrote
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        if state.database is None:
            # One replica for the whole request: two replicas may stand at different points.
            state.database = choose_database()
        return state.database

    def db_for_write(self, model, **hints) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        same_data = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool | None:
        if db in settings.DATABASE_REPLICAS:
            return False
        return None
