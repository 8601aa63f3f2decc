"""A real PostgreSQL primary with a streaming replica, started by the test suite itself.

The machine's own PostgreSQL takes no replication connections, so the pair is a new cluster:
`initdb` into a temporary directory, then `pg_basebackup -R` of it into a second one, each
server on its own free loopback port. initdb refuses to run as root, so as root every
PostgreSQL program runs as the `postgres` user.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.services import free_port

DATABASE = "proctique"
# Durability is not under test; without fsync the primary migrates several times faster.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _bindir() -> Path:
    found = subprocess.run(
        ["pg_config", "--bindir"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return Path(found)


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> str:
    done = subprocess.run(_as_owner(args), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Poll `condition` until it holds; fail with `what` when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s: {what or condition}")


class Server:
    """One PostgreSQL server of the pair: its data directory, port and log."""

    def __init__(self, root: Path, name: str, bindir: Path):
        self.data = root / name
        self.log = root / f"{name}.log"
        self.socket_dir = root
        self.port = free_port()
        self.bindir = bindir

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 {FAST}"
        pg_ctl = str(self.bindir / "pg_ctl")
        _run([pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, "start"])

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, database: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def query(self, sql: str, params: tuple = (), database: str = DATABASE) -> list[tuple]:
        with self.connect(database) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def value(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class StreamingPair:
    """A primary and a hot-standby replica streaming from it; `close()` removes both."""

    def __init__(self) -> None:
        bindir = _bindir()
        # Not under pytest's tmp_path: its parent is private to root, and the servers run as
        # the postgres user.
        self.root = Path(tempfile.mkdtemp(prefix="proctique-replicas-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.primary = Server(self.root, "primary", bindir)
        self.replica = Server(self.root, "replica", bindir)

    def start(self) -> "StreamingPair":
        primary, replica = self.primary, self.replica
        bindir = primary.bindir
        initdb = [str(bindir / "initdb"), "-D", str(primary.data), "-A", "trust", "-U", "postgres"]
        _run([*initdb, "--no-sync"])
        with (primary.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        primary.start()
        primary.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        source = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        backup = ["-D", str(replica.data), "-X", "stream", "-R", "--checkpoint", "fast"]
        _run([str(bindir / "pg_basebackup"), *source, *backup, "--no-sync"])
        replica.start()
        wait_until(
            lambda: self.replica_value("SELECT pg_is_in_recovery()") is True,
            what="the replica accepts read-only connections in recovery",
        )
        return self

    def replica_value(self, sql: str):
        try:
            return self.replica.value(sql)
        except psycopg.OperationalError:
            return None

    def wait_caught_up(self, timeout: float = 30.0) -> None:
        """Wait until the replica has replayed everything committed on the primary so far."""
        # The insert position: without synchronous commit the last commit record may not be
        # written out yet, and the write position would be behind it.
        lsn = self.primary.value("SELECT pg_current_wal_insert_lsn()::text")
        wait_until(
            lambda: (
                self.replica_value(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") is True
            ),
            timeout,
            what=f"the replica replays up to {lsn}",
        )

    def pause_replay(self) -> None:
        """The replica keeps receiving WAL but applies none of it: its data stands still."""
        self.replica.query("SELECT pg_wal_replay_pause()")
        wait_until(
            lambda: self.replica.value("SELECT pg_get_wal_replay_pause_state()") == "paused",
            what="replay on the replica pauses",
        )

    def resume_replay(self) -> None:
        self.replica.query("SELECT pg_wal_replay_resume()")

    def close(self) -> None:
        errors = []
        for server in (self.replica, self.primary):
            try:
                server.stop()
            except Exception as exc:  # keep stopping the other one and removing the files
                errors.append(exc)
        shutil.rmtree(self.root, ignore_errors=True)
        if errors:
            raise errors[0]
