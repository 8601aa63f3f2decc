"""Processes and servers of our own for fault tests and the chaos run: a free port, a managed
child process with its log, a redis-server that can be stopped and frozen, a PostgreSQL
database that can be "restarted", and an SMTP server that counts what it accepts.

Nothing here knows the domain; `tests/` (fixtures) and `proctique.bench.chaos` share it.
"""

import asyncio
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import psycopg
import psycopg.conninfo
import psycopg.sql
import redis

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout}s")


class ManagedProcess:
    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.args, self.env, self.log = args, env, log
        self._log_file = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            args, cwd=BASE_DIR, env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


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
            raise RuntimeError("redis-server is not installed: run scripts/ensure-services.sh")
        args = [executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        args += ["--logfile", str(self.directory / "redis.log")]
        self.process = subprocess.Popen(args)  # noqa: S603 (the redis-server on PATH)
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


def redis_and_smtp_env(redis_server: RedisServer, smtp_host: str, smtp_port: int) -> dict:
    """Settings that put the site's cache (database 0) and queue (database 1) on
    `redis_server` and its email on an SMTP server; the sweep takes any pending email."""
    return {
        "REDIS_URL": redis_server.url(0),
        "CACHE_REDIS_URL": redis_server.url(0),
        "HUEY_REDIS_URL": redis_server.url(1),
        "HUEY_NAME": f"faults-{redis_server.port}",
        "EMAIL_HOST": smtp_host,
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "10",
        # The sweep re-enqueues any pending email, however young, as soon as it runs.
        "OUTBOX_SWEEP_AGE": "0",
        # Fault runs count the per-IP limits (in memory while Redis is down); the per-account
        # lockout lives in the database and is tested in tests/accounts.
        "LOGIN_FAILURE_LIMIT": "1000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


class Site:
    """A gunicorn server of the app (two workers) and, optionally, a Huey consumer (two
    threads), with the environment `env`, on a free port; logs under `logs`."""

    def __init__(self, env: dict[str, str], logs: Path, *, consumer: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "",
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.web = ManagedProcess(
            [gunicorn, "proctique.wsgi", "-c", "gunicorn.conf.py"], self.env, logs / "web.log"
        )
        self.consumer = None
        if consumer:
            args = [sys.executable, "manage.py", "run_huey", "--workers", "2", "-k", "thread"]
            self.consumer = ManagedProcess(args, self.env, logs / "huey.log")
        # Generous: on a loaded machine loading the app takes a while.
        wait_for_port(self.port, timeout=120)

    def web_log(self) -> str:
        return self.web.output()

    def stop(self) -> None:
        for process in (self.consumer, self.web):
            if process is not None:
                process.stop()


@dataclass
class SMTPCapture:
    """A real SMTP server that keeps what it receives; it can refuse, stall or hang up on demand.

    `connections` counts SMTP sessions (smtplib says EHLO once per connection) and
    `sessions[i]` is the number of the session that carried `messages[i]`.
    """

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)
    connections: int = 0
    refuse_next: int = 0
    refuse_to: set[str] = field(default_factory=set)  # addresses whose messages get a 451
    hang_up_at: int = 0  # close the connection instead of answering this DATA (1 = the first)
    delay: float = 0.0
    attempts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        with self._lock:
            self.connections += 1
            session.number = self.connections
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._lock:
            self.attempts += 1
            if self.attempts == self.hang_up_at:
                server.transport.close()  # the client never gets an answer to DATA
                return "421 Closing connection"
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 Temporary failure, try again later"
            if self.refuse_to & {address.lower() for address in envelope.rcpt_tos}:
                return "451 Mailbox busy, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.sessions.append(getattr(session, "number", 0))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.sessions.clear()
            self.connections = 0
            self.refuse_next = 0
            self.refuse_to = set()
            self.hang_up_at = 0
            self.delay = 0.0
            self.attempts = 0

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return list(self.messages)

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @staticmethod
    def html_of(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""
