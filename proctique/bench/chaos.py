"""`make chaos`: a bounded, mixed load on the real site while its dependencies fail.

gunicorn (two workers) and a Huey consumer run on a database of their own (proctique_chaos,
created afresh and dropped afterwards), a redis-server of their own on a free port and an SMTP
server in this process that counts what it accepts. Eight clients send a few thousand
requests (reads of pages and APIs, review POSTs through the API) for DURATION seconds while:

- Redis is stopped and started again, twice;
- every PostgreSQL connection of the site is killed once (pg_terminate_backend).

Then it waits for the outbox to drain and prints: requests, 5xx (reads and writes), writes
accepted against rows in the database, emails expected / delivered / duplicated / lost. The
exit status is 1 when a target is missed: 0 5xx on reads, 0 lost writes, 0 lost and
0 duplicate emails.

Run it with `make chaos` (CHAOS_ARGS="--duration 60" for a shorter run).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import psycopg.sql
import requests
from aiosmtpd.controller import Controller

import django

from proctique.bench.processes import (
    BASE_DIR,
    PostgresOutage,
    RedisServer,
    Site,
    SMTPCapture,
    free_port,
    redis_and_smtp_env,
)

DB_NAME = "proctique_chaos"
SERVER = "postgres://postgres:postgres@127.0.0.1:5432"
CLIENTS = 8
WRITE_SHARE = 0.15
MARK = re.compile(r"chaos-\d+-\d+")


def say(text: str) -> None:
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def chaos_env(redis_server: RedisServer, smtp: SMTPCapture) -> dict[str, str]:
    """Production settings on local services, limits lifted so only faults refuse requests."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "proctique.settings",
        "DEBUG": "false",
        "SECRET_KEY": "chaos-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "JWT_SIGNING_KEY": "chaos-only-jwt-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"{SERVER}/{DB_NAME}",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "THROTTLE_AUTH": "100000/min",
        "THROTTLE_REVIEWS": "100000/min",
        "THROTTLE_ANON": "1000000/min",
        "THROTTLE_USER": "1000000/min",
        "REVIEWS_POSTS_PER_HOUR": "100000",
        # The data set's users are bulk-inserted, without verified address rows.
        "ACCOUNT_EMAIL_VERIFICATION": "optional",
        "LOG_LEVEL": "WARNING",
        "TASK_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Short retry and lease times, so the outbox drains within the run.
        "EMAIL_RETRY_DELAY": "2",
        "EMAIL_CLAIM_SECONDS": "30",
        **redis_and_smtp_env(redis_server, smtp.host, smtp.port),
    }


def recreate_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        name = psycopg.sql.Identifier(DB_NAME)
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


def drop_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        name = psycopg.sql.Identifier(DB_NAME)
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@dataclass
class Tally:
    """What the clients saw, shared by their threads."""

    reads: Counter = field(default_factory=Counter)  # status (0: no answer) -> count
    writes: Counter = field(default_factory=Counter)
    accepted: list[int] = field(default_factory=list)  # review ids answered 201
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str, status: int, review_id: int | None = None) -> None:
        with self.lock:
            getattr(self, kind)[status] += 1
            if review_id is not None:
                self.accepted.append(review_id)


class Load:
    """Clients that read pages and APIs and post reviews until `deadline`."""

    def __init__(self, site: Site, projects: list, tokens: dict[int, str], tally: Tally):
        self.site, self.tally = site, tally
        self.projects = projects  # (pk, url, owner id)
        self.tokens = tokens  # reviewer id -> access token
        self.pairs = [
            (user, project)
            for user in tokens
            for project in projects
            if project[2] != user  # nobody reviews their own project
        ]
        random.Random(11).shuffle(self.pairs)
        self._next = 0
        self._pairs_lock = threading.Lock()

    def _pair(self):
        with self._pairs_lock:
            pair = self.pairs[self._next % len(self.pairs)]
            self._next += 1
            return self._next, pair

    def read(self, session: requests.Session, rng: random.Random) -> None:
        pk, url, _ = rng.choice(self.projects)
        path = rng.choice(
            [
                *("/", "/projects/", url, url, "/api/projects/"),
                *(f"/api/projects/{pk}/", "/api/v2/pages/"),
            ]
        )
        try:
            status = session.get(f"{self.site.url}{path}", timeout=30).status_code
        except requests.RequestException:
            status = 0
        self.tally.count("reads", status)

    def write(self, session: requests.Session) -> None:
        number, (user, (pk, _, _)) = self._pair()
        mark = f"chaos-{user}-{number}"
        try:
            response = session.post(
                f"{self.site.url}/api/projects/{pk}/reviews/",
                json={"rating": 4, "title": mark, "body": f"{mark}: written under faults."},
                headers={"Authorization": f"Bearer {self.tokens[user]}"},
                timeout=30,
            )
        except requests.RequestException:
            self.tally.count("writes", 0)
            return
        review_id = response.json().get("id") if response.status_code == 201 else None
        self.tally.count("writes", response.status_code, review_id)

    def client(self, seed: int, deadline: float) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        while time.monotonic() < deadline:
            if rng.random() < WRITE_SHARE:
                self.write(session)
            else:
                self.read(session, rng)


def faults(redis_server: RedisServer, postgres: PostgresOutage, start: float, duration: float):
    """The fault schedule, as fractions of the run; returns what happened when (for the log)."""
    schedule = [
        (0.10, "Redis stopped", redis_server.stop),
        (0.25, "Redis started", redis_server.start),
        (0.40, "Redis stopped", redis_server.stop),
        (0.55, "Redis started", redis_server.start),
        (0.70, "PostgreSQL connections killed", postgres.terminate),
    ]
    events = []
    for at, label, action in schedule:
        time.sleep(max(0.0, start + at * duration - time.monotonic()))
        result = action()
        # terminate() says how many connections it killed: evidence the fault hit something.
        detail = f" ({result})" if isinstance(result, int) else ""
        events.append((time.monotonic() - start, f"{label}{detail}"))
    return events


def obtain_tokens(site: Site, users: list) -> dict[int, str]:
    tokens = {}
    for user in users:
        response = requests.post(
            f"{site.url}/api/auth/token/",
            json={"email": user.email, "password": "bench-password"},
            timeout=30,
        )
        response.raise_for_status()
        tokens[user.pk] = response.json()["access"]
    return tokens


def report(
    tally: Tally, smtp: SMTPCapture, elapsed: float, events, stored: tuple[set[int], int, int]
) -> tuple[str, bool]:
    """The table, from the tally, the SMTP server's messages and what the database holds."""
    rows, expected, sent_rows = stored
    reads, writes = sum(tally.reads.values()), sum(tally.writes.values())
    read_5xx = sum(n for s, n in tally.reads.items() if s >= 500 or s == 0)
    write_5xx = sum(n for s, n in tally.writes.items() if s >= 500 or s == 0)
    accepted = set(tally.accepted)
    lost_writes = len(accepted - rows)
    marks = Counter(
        found.group(0)
        for message in list(smtp.messages)
        if (found := MARK.search(SMTPCapture.text_of(message)))
    )
    delivered = len(marks)
    duplicated = sum(n - 1 for n in marks.values() if n > 1)
    lost_emails = expected - delivered
    ok = read_5xx == 0 and lost_writes == 0 and lost_emails == 0 and duplicated == 0

    def status_list(counter: Counter) -> str:
        return ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(counter.items()))

    lines = [
        f"| duration | {elapsed:.0f} s |",
        f"| requests | {reads + writes} ({(reads + writes) / elapsed:.0f}/s) |",
        f"| reads | {reads} ({status_list(tally.reads)}) |",
        f"| reads answered 5xx | {read_5xx} (target 0) |",
        f"| writes (review POSTs) | {writes} ({status_list(tally.writes)}) |",
        f"| writes answered 5xx | {write_5xx} (refused, not lost) |",
        f"| writes accepted (201) | {len(accepted)} |",
        f"| review rows in the database | {len(rows)} |",
        f"| accepted writes without a row (lost) | {lost_writes} (target 0) |",
        f"| emails expected (outbox rows) | {expected} |",
        f"| outbox rows marked sent | {sent_rows} |",
        f"| emails delivered (distinct, at SMTP) | {delivered} |",
        f"| emails duplicated | {duplicated} (target 0) |",
        f"| emails lost | {lost_emails} (target 0) |",
    ]
    table = "| measure | value |\n|---|---|\n" + "\n".join(lines)
    timeline = "\n".join(f"- {at:5.1f} s: {label}" for at, label in events)
    verdict = "all targets met" if ok else "TARGET MISSED"
    return f"{table}\n\nFaults:\n{timeline}\n\nResult: {verdict}", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=150.0, help="seconds of load")
    parser.add_argument("--drain", type=float, default=180.0, help="seconds to drain emails")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="chaos-"))
    smtp = SMTPCapture(port=free_port())
    controller = Controller(smtp, hostname=smtp.host, port=smtp.port)
    controller.start()
    redis_server = RedisServer(workdir)
    redis_server.start()
    env = chaos_env(redis_server, smtp)
    os.environ.update(env)
    site = None
    chaos_db = None
    try:
        say(f"chaos: database {DB_NAME}, Redis on {redis_server.address}, logs in {workdir}")
        recreate_database()
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        # Django is set up only here, once the environment (our own Redis port, database and
        # SMTP port) is known; the models come with the module imported after it.
        django.setup()
        from proctique.bench import chaos_db

        projects, reviewers = chaos_db.seed()
        site = Site(env, workdir, consumer=True)
        tokens = obtain_tokens(site, reviewers)
        postgres = PostgresOutage.for_connection(chaos_db.connection)
        tally = Tally()
        load_run = Load(site, projects, tokens, tally)
        say(f"chaos: {args.duration:.0f} s of load from {CLIENTS} clients ...")
        start = time.monotonic()
        deadline = start + args.duration
        with ThreadPoolExecutor(CLIENTS + 1) as pool:
            clients = [pool.submit(load_run.client, seed, deadline) for seed in range(CLIENTS)]
            schedule = pool.submit(faults, redis_server, postgres, start, args.duration)
            for future in clients:
                future.result()
            events = schedule.result()
        elapsed = time.monotonic() - start
        say("chaos: load done; waiting for the outbox to drain ...")
        drained = chaos_db.wait_for_outbox(args.drain)
        time.sleep(2)  # a duplicate, if any, would arrive right behind
        table, ok = report(tally, smtp, elapsed, events, chaos_db.counts())
        if not drained:
            table += "\n(the outbox did not drain within the wait)"
        say(table)
        log = site.web_log()
        tracebacks = log.count("Traceback")
        say(f"\nweb log: {tracebacks} tracebacks; consumer log in {workdir / 'huey.log'}")
        return 0 if ok and drained else 1
    finally:
        if site is not None:
            site.stop()
        redis_server.stop()
        controller.stop()
        if not args.keep:
            if chaos_db is not None:
                chaos_db.close()
            drop_database()


if __name__ == "__main__":
    sys.exit(main())
