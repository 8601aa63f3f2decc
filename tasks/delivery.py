"""Deliver outbox events in batches: claim, send over one SMTP connection with no transaction
open, record the outcomes.

Why not hold `SELECT ... FOR UPDATE` across the SMTP conversation: a worker killed mid-send
would roll the attempt back without a trace, and a slow SMTP server would pin a database
connection and lock per message. Instead, `deliver(event_id)`:

1. claims, in one statement (its own short transaction) with SKIP LOCKED, the event it was
   asked for (if it is still due) and up to EMAIL_BATCH_SIZE - 1 other due events, oldest
   first: each claimed event counts an attempt and gets a lease (`claimed_until`,
   EMAIL_CLAIM_SECONDS);
2. renders each event and sends it on one SMTP connection, opened for the first message and
   reused for the others, outside any transaction;
3. records the outcomes in bulk (sent; skipped; or the error and a retry time with
   exponential backoff) at the end of the batch, and at least every RECORD_EVERY seconds
   while a slow batch is still sending.

Concurrent batches (threads, consumers, duplicate queue messages, the sweep) claim disjoint
sets of events: SKIP LOCKED passes over rows another claim is taking, and a committed claim
keeps everyone else away until its lease ends. An event is sent only by the batch holding it.

One refused message (4xx/5xx reply) is retried alone; the connection stays open for the rest.
If connecting fails, nothing in the batch can go out: every event records that error and
backs off. If the connection breaks mid-batch, the message in flight records the error and
the events not yet attempted are *released*: claim cleared, attempt not counted, due at
once, and one queue message is sent for them (any batch takes them along; the sweep is the
backstop). A batch also stops starting messages once half its lease has passed and releases
the rest, so no message is still in flight when the lease runs out.

If the worker dies mid-batch, the message in flight was never accepted (the server had not
answered DATA); every claim of the batch expires and the sweep redelivers those events. The
one window left: emails the server accepted whose outcome was not recorded yet are sent
again, at most one batch and about RECORD_EVERY seconds of sending. Delivery is therefore
at-least-once, with that window only.
"""

import logging
import smtplib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from tasks.emails import Skip, build_message
from tasks.models import EmailEvent

logger = logging.getLogger(__name__)

# A scheduled retry may fire a moment before next_attempt_at on another host's clock.
CLOCK_GRACE = timedelta(seconds=2)
MAX_RETRY_DELAY = 60 * 60
# Bounds what a crash re-sends while a batch is slow (against a fast server a whole batch
# takes a fraction of this, so its outcomes are still written in one go).
RECORD_EVERY = 1.0
# "Service not available, closing transmission channel": the server hung up.
SMTP_CLOSING = 421

PENDING = EmailEvent.Status.PENDING


@dataclass(frozen=True)
class Result:
    outcome: str  # "sent", "skipped", "retry", "failed" or "not-claimed"
    retry_in: float | None = None


NOT_CLAIMED = Result("not-claimed")


@dataclass
class Batch:
    """What one delivery did: each claimed event's outcome in sending order, and the events it
    claimed but gave back unsent."""

    results: dict[int, Result] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)

    def __getitem__(self, event_id: int) -> Result:
        return self.results.get(event_id, NOT_CLAIMED)

    def retries(self) -> list[tuple[int, float]]:
        """(event id, seconds) for each event to try again later."""
        return [(pk, r.retry_in) for pk, r in self.results.items() if r.retry_in is not None]


class RecentlySent:
    """Ids of events this process recorded as sent lately (at most `size`, oldest dropped).

    A batch takes along events that each still have their own queue message; when those
    messages come up, their claim would find the row sent. Asking this first ends them without
    a database round trip. Only ids whose "sent" is committed go in, and a sent event never
    becomes due again, so the answer is the one the claim would give.
    """

    def __init__(self, size: int = 10_000):
        self._size = size
        self._ids: dict[int, None] = {}  # insertion-ordered: the oldest id comes first
        self._lock = threading.Lock()

    def add(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._ids.update(dict.fromkeys(ids))
            while len(self._ids) > self._size:
                del self._ids[next(iter(self._ids))]

    def clear(self) -> None:
        with self._lock:
            self._ids.clear()

    def __contains__(self, pk: int) -> bool:
        return pk in self._ids


recently_sent = RecentlySent()


def retry_delay(attempts: int) -> float:
    """Exponential backoff: EMAIL_RETRY_DELAY, then twice that, four times... capped at 1 h."""
    return min(settings.EMAIL_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


# One statement, so a claim costs one round trip: a delivery whose event was already sent
# (its batch took it along) spends almost nothing. SQLite (`make run` only) has no row locks;
# it runs one writer at a time, which gives the same exclusion.
CLAIM_SQL = """
WITH asked AS (
    SELECT id FROM tasks_emailevent
    WHERE id = %(event_id)s AND status = 'pending'
      AND (claimed_until IS NULL OR claimed_until <= %(now)s)
      AND (next_attempt_at IS NULL OR next_attempt_at <= %(due)s)
    {lock}
), others AS (
    SELECT id FROM tasks_emailevent
    WHERE status = 'pending' AND claimed_until IS NULL AND id <> %(event_id)s
      AND (next_attempt_at IS NULL OR next_attempt_at <= %(due)s)
    ORDER BY created_at, id
    LIMIT %(others)s
    {lock}
)
UPDATE tasks_emailevent SET attempts = attempts + 1, claimed_until = %(until)s
WHERE id IN (SELECT id FROM asked UNION ALL SELECT id FROM others)
RETURNING id, attempts
"""


def claim(event_id: int, *, others: int = 0) -> list[EmailEvent]:
    """Take `event_id` and up to `others` other due events for one attempt each.

    The asked-for event comes first and may be one whose last attempt died (expired lease);
    the others are unclaimed due events, oldest first (expired claims come back through the
    sweep, each with its own queue message). SKIP LOCKED passes over rows a concurrent claim
    is taking, so concurrent claims are disjoint. Returns the claimed events with their
    recipients loaded; an empty list when nothing is due.
    """
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    lock = "FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL.format(lock=lock),
            {
                "event_id": event_id,
                "now": adapt(now),
                "due": adapt(now + CLOCK_GRACE),
                "others": max(others, 0),
                "until": adapt(now + timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)),
            },
        )
        claimed = dict(cursor.fetchall())
    if not claimed:
        return []
    spent = [pk for pk, attempts in claimed.items() if attempts > settings.EMAIL_MAX_ATTEMPTS]
    for event in EmailEvent.objects.filter(pk__in=spent):
        # The last attempt's worker died before recording an outcome. (The claim counted one
        # attempt too many; nobody else touches the row while it is claimed.)
        event.attempts -= 1
        event.status = EmailEvent.Status.FAILED
        event.last_error = (
            event.last_error or f"attempt {event.attempts} did not finish (worker stopped)"
        )
        event.claimed_until = None
        event.save(update_fields=["attempts", "status", "last_error", "claimed_until"])
    events = list(
        EmailEvent.objects.select_related("recipient")
        # Password-reset links hash the recipient's addresses (accounts.reset_tokens).
        .prefetch_related("recipient__emailaddress_set")
        .filter(pk__in=[pk for pk in claimed if pk not in spent])
        .order_by("created_at", "id")
    )
    events.sort(key=lambda event: event.pk != event_id)  # stable: the rest stay oldest first
    return events


class _Outcomes:
    """Collects a batch's outcomes and writes them in one transaction per flush."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self._sent: list[int] = []
        self._other: list[tuple[int, dict]] = []
        self._released: list[int] = []
        self._flushed_at = time.monotonic()

    def sent(self, event: EmailEvent) -> None:
        self.batch.results[event.pk] = Result("sent")
        self._sent.append(event.pk)

    def skipped(self, event: EmailEvent, reason: str) -> None:
        self.batch.results[event.pk] = Result("skipped")
        self._other.append((event.pk, {"status": EmailEvent.Status.SKIPPED, "last_error": reason}))

    def failed(self, event: EmailEvent, exc: Exception) -> None:
        error = f"attempt {event.attempts}: {type(exc).__name__}: {exc}"[:2000]
        if event.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            logger.error("email event %s failed for good: %s", event.pk, error)
            self.batch.results[event.pk] = Result("failed")
            fields = {"status": EmailEvent.Status.FAILED, "next_attempt_at": None}
        else:
            delay = retry_delay(event.attempts)
            logger.warning("email event %s: %s; retrying in %ss", event.pk, error, delay)
            self.batch.results[event.pk] = Result("retry", retry_in=delay)
            fields = {"next_attempt_at": timezone.now() + timedelta(seconds=delay)}
        self._other.append((event.pk, {"last_error": error, **fields}))

    def release(self, events: Iterable[EmailEvent]) -> None:
        ids = [event.pk for event in events]
        self.batch.released += ids
        self._released += ids

    def flush_if_due(self) -> None:
        if time.monotonic() - self._flushed_at >= RECORD_EVERY:
            self.flush()

    def flush(self) -> None:
        try:
            self._write()
        except (OperationalError, InterfaceError):
            # The database connection died under us (a killed backend, a restart that took a
            # moment): these messages are out already, so record that on a new connection
            # rather than leave them to be sent again when the lease ends. One more try only;
            # if the database is really gone, the lease and the sweep take over as before.
            logger.warning("recording a batch's outcomes failed; retrying on a new connection")
            connection.close()
            self._write()
        recently_sent.add(self._sent)
        self._sent, self._other, self._released = [], [], []
        self._flushed_at = time.monotonic()

    def _write(self) -> None:
        # Each update checks the row is still pending: only the claim's holder records (and a
        # repeated write of "sent" changes nothing).
        with transaction.atomic():
            if self._sent:
                EmailEvent.objects.filter(pk__in=self._sent, status=PENDING).update(
                    status=EmailEvent.Status.SENT, sent_at=timezone.now(), claimed_until=None
                )
            for pk, fields in self._other:
                EmailEvent.objects.filter(pk=pk, status=PENDING).update(
                    claimed_until=None, **fields
                )
            if self._released:
                EmailEvent.objects.filter(pk__in=self._released, status=PENDING).update(
                    claimed_until=None, attempts=F("attempts") - 1
                )


def connection_lost(exc: Exception) -> bool:
    """Whether the SMTP connection is unusable after `exc`; a refusal of one message (smtplib
    resets the transaction) leaves it open for the next."""
    if isinstance(exc, smtplib.SMTPResponseException):  # sender refused, DATA refused
        return exc.smtp_code == SMTP_CLOSING
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == SMTP_CLOSING for code, _ in exc.recipients.values())
    # Disconnected, reset, timed out, or something we cannot vouch for mid-conversation.
    return True


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        # The messages are sent or recorded already; a failed QUIT changes none of that.
        logger.warning("closing the SMTP connection failed", exc_info=True)


def deliver(event_id: int) -> Batch:
    """Send `event_id` and up to EMAIL_BATCH_SIZE - 1 other due events over one connection.

    See the module docstring for the guarantees. Returns what happened to each claimed event;
    the caller schedules the retries and re-enqueues the released events.
    """
    batch = Batch()
    if event_id in recently_sent:  # an earlier batch of this process took it along
        return batch
    events = claim(event_id, others=settings.EMAIL_BATCH_SIZE - 1)
    if not events:
        return batch
    outcomes = _Outcomes(batch)
    # A message started later might still be in DATA when the lease ends and another
    # worker takes the event.
    stop_at = time.monotonic() + settings.EMAIL_CLAIM_SECONDS / 2
    connection = get_connection()
    opened = False
    try:
        for index, event in enumerate(events):
            if time.monotonic() >= stop_at:
                outcomes.release(events[index:])
                break
            try:
                message = build_message(event)
            except Skip as reason:
                outcomes.skipped(event, str(reason))
                continue
            except Exception as exc:
                logger.exception("email event %s could not be rendered", event.pk)
                outcomes.failed(event, exc)
                continue
            try:
                if not opened:
                    connection.open()
                    opened = True
                connection.send_messages([message])
            except Exception as exc:  # SMTP refusals, timeouts, connection errors
                if not opened:  # no connection: none of this batch can go out now
                    for unsent in events[index:]:
                        outcomes.failed(unsent, exc)
                    break
                outcomes.failed(event, exc)
                if connection_lost(exc):
                    outcomes.release(events[index + 1 :])
                    break
                continue
            outcomes.sent(event)
            outcomes.flush_if_due()
    finally:
        _close(connection)
        outcomes.flush()
    return batch
