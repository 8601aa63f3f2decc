"""`manage.py bench_email`: how fast consumers drain the outbox, and proof that posting a
review never waits on SMTP.

(a) Starts one `run_huey` consumer, then two, against an SMTP server that answers at once;
    each time writes N outbox events (default 5,000), enqueues them as `emit()` does and times
    until every one is sent. Prints emails/s, the SMTP connections used and the duplicates
    (messages the server accepted beyond one per event).
(b) Posts reviews through the real web path (POST /reviews/projects/<id>/review/, the view,
    the review service, the commit and the enqueue) while a consumer delivers to an SMTP server
    that answers at once, then to one that takes 2 s per message; prints median and p95.

Needs PostgreSQL and Redis (REDIS_URL). Use a database of its own: it creates users and
projects named bench-email-*. Example:

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/proctique_bench_email \\
    REDIS_URL=redis://127.0.0.1:6379/8 HUEY_NAME=proctique-bench-email DEBUG=true \\
    .venv/bin/python manage.py bench_email
"""

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from huey.contrib.djhuey import HUEY

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from proctique.bench.runner import free_port
from showcase.demo import ensure_site
from showcase.models import ProjectPage
from tasks.models import EmailEvent
from tasks.outbox import enqueue

PREFIX = "bench-email-"
WARM_UP = 3  # first POSTs of each round, not counted (connections, caches)


class CountingSMTPHandler:
    """aiosmtpd handler that counts messages (per recipient) and connections, and can take
    `delay` seconds per message."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.count = 0
        self.connections = 0
        self.recipients: Counter[str] = Counter()
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        # smtplib says EHLO once per connection.
        with self._lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.count += 1
            self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def reset(self) -> None:
        with self._lock:
            self.count = self.connections = 0
            self.recipients.clear()


class SMTPServer:
    def __init__(self, delay: float = 0.0):
        self.handler = CountingSMTPHandler(delay)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Consumer:
    """`manage.py run_huey` in a subprocess, sending to the given SMTP port."""

    def __init__(self, smtp_port: int, workers: int, worker_type: str = "thread"):
        env = {
            **os.environ,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "LOG_LEVEL": "WARNING",
            # run_huey announces itself at INFO; its first line tells that it is up.
            "TASK_LOG_LEVEL": "INFO",
        }
        args = [sys.executable, "manage.py", "run_huey", "-w", str(workers), "-k", worker_type]
        self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            args, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(120):
            self.stop()
            raise CommandError("run_huey did not start within 120 s")

    def _read(self):
        for line in self.proc.stdout:
            # run_huey logs its configuration at start; the first output means it is up.
            self._ready.set()
            del line

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def cpu_seconds(self) -> float:
        """CPU time the consumer and its worker processes have used (Linux /proc; else 0)."""
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid, rest = stat.read_text().split(" (", 1)
            except OSError:
                continue  # the process ended meanwhile
            fields = rest.rsplit(") ", 1)[1].split()
            if int(pid) == self.proc.pid or int(fields[1]) == self.proc.pid:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # finish the running task, then exit
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Time draining 5,000 email events, and review POST latency with a slow vs fast SMTP."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=5000, help="events to drain")
        # The defaults are what compose.yaml and docs/deploy.md run in production.
        parser.add_argument("--workers", type=int, default=2, help="workers per consumer")
        parser.add_argument("--worker-type", choices=["thread", "process"], default="process")
        parser.add_argument(
            "--posts", type=int, default=30, help="review POSTs per SMTP speed (0: skip (b))"
        )
        parser.add_argument("--slow", type=float, default=2.0, help="slow SMTP seconds/message")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench_email needs DATABASE_URL (PostgreSQL) and REDIS_URL set")
        if HUEY.immediate:
            raise CommandError("HUEY_IMMEDIATE is on: the benchmark needs a real queue")
        call_command("migrate", verbosity=0, interactive=False)
        # Earlier runs' leftovers would be swept into this run's numbers.
        EmailEvent.objects.filter(
            recipient__username__startswith=PREFIX, status=EmailEvent.Status.PENDING
        ).update(status=EmailEvent.Status.SKIPPED, last_error="left over from a benchmark")
        HUEY.flush()
        run = uuid.uuid4().hex[:6]
        rates = [
            self.drain(f"{run}c{consumers}", opts["events"], consumers, opts)
            for consumers in (1, 2)
        ]
        self.stdout.write(f"    two consumers / one: {rates[1] / rates[0]:.2f}x")
        if opts["posts"]:
            self.review_latency(run, opts["posts"], opts["slow"], opts["workers"])

    # --- (a) ---------------------------------------------------------------------------------
    def drain(self, run: str, count: int, consumers: int, opts: dict) -> float:
        User = get_user_model()  # noqa: N806
        recipients = [
            User.objects.create_user(username=f"{PREFIX}{run}-{i}", email=f"{run}-{i}@bench.test")
            for i in range(50)
        ]
        addresses = {user.email.lower() for user in recipients}
        workers, worker_type = opts["workers"], opts["worker_type"]
        self.stdout.write(
            f"(a) draining {count} events, {consumers} consumer(s) x {workers} {worker_type}s ..."
        )
        with SMTPServer() as smtp:
            started = []
            try:
                for _ in range(consumers):
                    started.append(Consumer(smtp.port, workers, worker_type))
                # Only this run's emails count (a consumer's start-up sweep may send leftovers).
                smtp.handler.reset()
                cpu_before = sum(consumer.cpu_seconds() for consumer in started)
                start = time.monotonic()
                events = EmailEvent.objects.bulk_create(
                    EmailEvent(kind="password_reset", recipient=recipients[i % 50])
                    for i in range(count)
                )
                for event in events:
                    enqueue(event.pk)
                enqueued = time.monotonic() - start
                ids = [event.pk for event in events]
                pending = count
                while pending:
                    time.sleep(0.2)
                    pending = EmailEvent.objects.filter(
                        pk__in=ids, status=EmailEvent.Status.PENDING
                    ).count()
                elapsed = time.monotonic() - start
                cpu = sum(consumer.cpu_seconds() for consumer in started) - cpu_before
            finally:
                for consumer in started:
                    consumer.stop()
            sent = EmailEvent.objects.filter(pk__in=ids, status=EmailEvent.Status.SENT).count()
            received = sum(
                n for address, n in smtp.handler.recipients.items() if address in addresses
            )
        self.stdout.write(
            f"    {count} events written and enqueued in {enqueued:.1f} s; all delivered after "
            f"{elapsed:.1f} s: {count / elapsed:.0f} emails/s; sent={sent}, messages at the "
            f"SMTP server={received}, duplicates: {received - sent}, "
            f"SMTP connections={smtp.handler.connections}; consumer CPU "
            f"{cpu * 1000 / count:.2f} ms per email; load average {os.getloadavg()[0]:.1f}"
        )
        return count / elapsed

    # --- (b) ---------------------------------------------------------------------------------
    def review_latency(self, run: str, posts: int, slow: float, workers: int) -> None:
        User = get_user_model()  # noqa: N806
        _, index = ensure_site()
        owner = User.objects.create_user(username=f"{PREFIX}{run}-owner", email=f"o{run}@b.test")
        project = ProjectPage(title=f"Bench email {run}", slug=f"{PREFIX}{run}", tagline="x")
        project.owner = owner
        index.add_child(instance=project)
        project.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
        url = reverse("reviews:submit", args=[project.pk])
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        host = host.lstrip(".")

        results = {}
        for label, delay in (("SMTP answering at once", 0.0), (f"SMTP taking {slow:g} s", slow)):
            with SMTPServer(delay) as smtp, Consumer(smtp.port, workers):
                timings = []
                for i in range(posts + WARM_UP):
                    reviewer = User.objects.create_user(
                        username=f"{PREFIX}{run}-{int(delay)}-{i}",
                        email=f"r{run}-{int(delay)}-{i}@bench.test",
                    )
                    client = Client(HTTP_HOST=host)
                    client.force_login(reviewer)
                    data = {"rating": 4, "title": "Benchmark", "body": f"Review number {i}. " * 3}
                    started = time.perf_counter()
                    response = client.post(url, data, secure=True)
                    if response.status_code != 302:
                        raise CommandError(f"review POST answered {response.status_code}")
                    if i >= WARM_UP:
                        timings.append((time.perf_counter() - started) * 1000)
                time.sleep(min(slow, 2) + 1)  # let the consumer take some messages
                results[label] = timings
                self.stdout.write(
                    f"(b) {label}: {posts} review POSTs, median "
                    f"{statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
                    f"(emails accepted meanwhile: {smtp.handler.count})"
                )
        fast, slow_ = (statistics.median(t) for t in results.values())
        self.stdout.write(f"    median ratio slow/fast SMTP: {slow_ / fast:.2f}")
