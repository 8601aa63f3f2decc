"""A Redis server of the test's own, on a free port, that the test can stop, start and freeze.

Stopping it refuses connections; freezing it (SIGSTOP) keeps the port open but answers
nothing, as a partitioned or stalled server does, so clients wait for their timeouts.
Nothing else on the machine uses it.
"""

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

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
