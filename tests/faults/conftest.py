"""A Redis server of the test's own, on a free port, that the test can stop, start and freeze.

Stopping it refuses connections; freezing it (SIGSTOP) keeps the port open but answers
nothing, as a partitioned or stalled server does, so clients wait for their timeouts.
Nothing else on the machine uses it.
"""

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import psycopg.sql
import pytest
import redis

from django.db import connection

from tests.services import ManagedProcess, free_port, process_env, wait_for_port


class RedisServer:
    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client(self, db: int = 0) -> redis.Redis:
        """A plain client (no breaker) for looking at what the server holds."""
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=5)

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is not installed: run scripts/ensure-services.sh")
        args = [executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        args += ["--logfile", str(self.directory / "redis.log")]
        self.process = subprocess.Popen(args)
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.directory / "redis.log").read_text(errors="replace")
                    raise RuntimeError(f"redis-server did not start:\n{log}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server: from now on its port refuses connections."""
        if self.process is None:
            return
        if self.frozen:
            self.thaw()
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP: connections are accepted by the kernel, but nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.frozen = False


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A fresh, empty redis-server for this test only, running when the test starts."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()


class PostgresOutage:
    """A PostgreSQL restart, as the site sees it, on one database of the shared server.

    The shared server itself must stay up, so `down()` makes the database refuse new
    connections (`ALLOW_CONNECTIONS false`) and terminates its backends with
    `pg_terminate_backend`, again every 50 ms while it is down (a backend that was starting
    dies too); `up()` lets connections in again. The caller's own connection is spared.
    """

    def __init__(self, dbname: str, conninfo: str, spare_pid: int | None = None):
        self.dbname, self.conninfo, self.spare_pid = dbname, conninfo, spare_pid
        self.terminated = 0
        self._stop = threading.Event()
        self._killer: threading.Thread | None = None

    @classmethod
    def for_connection(cls, conn) -> "PostgresOutage":
        """Outages of the database `conn` (a Django connection) uses, sparing `conn`."""
        db = conn.settings_dict
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        conninfo = psycopg.conninfo.make_conninfo(
            host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
            dbname="postgres",
        )  # fmt: skip
        return cls(db["NAME"], conninfo, pid)

    def _execute(self, sql, params: tuple | None = None) -> list:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def _allow_connections(self, allow: bool) -> None:
        statement = psycopg.sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
            psycopg.sql.Identifier(self.dbname), psycopg.sql.SQL("true" if allow else "false")
        )
        self._execute(statement)

    def terminate(self) -> int:
        """pg_terminate_backend every other connection to the database; how many died."""
        rows = self._execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()",
            (self.dbname, self.spare_pid or 0),
        )
        killed = rows[0][0]
        self.terminated += killed
        return killed

    def down(self) -> None:
        self._allow_connections(False)
        self.terminate()
        self._stop.clear()
        self._killer = threading.Thread(target=self._keep_killing, daemon=True)
        self._killer.start()

    def _keep_killing(self) -> None:
        while not self._stop.wait(0.05):
            self.terminate()

    def up(self) -> None:
        if self._killer is not None:
            self._stop.set()
            self._killer.join()
            self._killer = None
        self._allow_connections(True)

    def restart(self, seconds: float = 3.0) -> None:
        """Down for `seconds`, then up: what clients see of a quick restart."""
        self.down()
        time.sleep(seconds)
        self.up()


class Site:
    """A gunicorn server of the app (two workers) and, optionally, a Huey consumer, on the test
    database and on `redis_server`: the cache on its database 0, the queue on database 1."""

    def __init__(self, redis_server: RedisServer, smtp, logs: Path, consumer: bool, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = process_env(
            REDIS_URL=redis_server.url(0),
            CACHE_REDIS_URL=redis_server.url(0),
            HUEY_REDIS_URL=redis_server.url(1),
            HUEY_NAME=f"faults-{redis_server.port}",
            EMAIL_HOST=smtp.host,
            EMAIL_PORT=str(smtp.port),
            EMAIL_TIMEOUT="10",
            # The sweep re-enqueues any pending email, however young, as soon as it runs.
            OUTBOX_SWEEP_AGE="0",
            # These tests count the per-IP limits (in memory while Redis is down); the
            # per-account lockout lives in the database and is tested in tests/accounts.
            LOGIN_FAILURE_LIMIT="1000",
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY="2",
            GUNICORN_ACCESS_LOG="",
            **env,
        )
        gunicorn = sys.executable.replace("/python", "/gunicorn")
        self.web = ManagedProcess(
            [gunicorn, "proctique.wsgi", "-c", "gunicorn.conf.py"], self.env, logs / "web.log"
        )
        self.consumer = None
        if consumer:
            args = [sys.executable, "manage.py", "run_huey", "--workers", "2", "-k", "thread"]
            self.consumer = ManagedProcess(args, self.env, logs / "huey.log")
        wait_for_port(self.port, timeout=60)

    def web_log(self) -> str:
        return self.web.output()

    def stop(self) -> None:
        for process in (self.consumer, self.web):
            if process is not None:
                process.stop()


@pytest.fixture
def start_site(transactional_db, redis_server, _smtp_session, tmp_path):
    """Factory: start the site's processes (after the test has made its data)."""
    started: list[Site] = []

    def start(*, consumer: bool = True, **env: str) -> Site:
        logs = tmp_path / f"site-{len(started)}"
        logs.mkdir()
        site = Site(redis_server, _smtp_session, logs, consumer, **env)
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


@pytest.fixture
def postgres_outage(transactional_db) -> Iterator[PostgresOutage]:
    """The test database "restarting": connections refused and killed until `up()`."""
    outage = PostgresOutage.for_connection(connection)
    yield outage
    outage.up()
