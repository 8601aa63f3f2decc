"""Emit email events: write the outbox row in the caller's transaction, enqueue after commit.

The queue message only carries the event id and is a hint; the row is the record. Anything
that fails to reach Redis (or is lost with a killed worker) is found again by `sweep()`.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from redis.exceptions import RedisError

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.emails import email_kinds
from tasks.models import EmailEvent

logger = logging.getLogger(__name__)

_muted: ContextVar[bool] = ContextVar("outbox_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No email events are written inside this block (demo seeding: nobody should be emailed
    about content a script made)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def enqueue(event_id: int, *, delay: float | None = None) -> bool:
    """Put a delivery for `event_id` on the queue; never raises (the sweep covers failures)."""
    from tasks.tasks import deliver_email_event

    try:
        if delay:
            deliver_email_event.schedule((event_id,), delay=delay)
        else:
            deliver_email_event(event_id)
    except RedisError as exc:
        # Redis down or unreachable: the row stays pending and the periodic sweep delivers it.
        # An outage is expected and logged by the connection breaker: one line, no traceback.
        logger.error("could not enqueue email event %s (%s); the sweep will retry", event_id, exc)
        return False
    except Exception:
        logger.exception("could not enqueue email event %s; the sweep will retry", event_id)
        return False
    return True


def emit(kind: str, *, recipient, **refs: int | str) -> EmailEvent | None:
    """Record an email event for `recipient` and deliver it once the transaction commits.

    Call it inside the transaction that makes the change the email is about: if that
    transaction rolls back, no email exists; if it commits, the email is delivered even when
    Redis is down at that moment. Inside `muted()` nothing is recorded (None).
    """
    if kind not in email_kinds():
        raise ValueError(f"unknown email kind {kind!r}")
    if _muted.get():
        return None
    event = EmailEvent.objects.create(
        kind=kind, recipient_id=getattr(recipient, "pk", recipient), refs=refs
    )
    transaction.on_commit(lambda: enqueue(event.pk))
    return event


def due_for_sweep(now=None):
    """Pending events the queue should have delivered by now but apparently lost."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_SWEEP_AGE)
    return (
        EmailEvent.objects.filter(status=EmailEvent.Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lte=cutoff) | Q(next_attempt_at__lte=cutoff)
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    )


def sweep(*, limit: int = 5000) -> int:
    """Re-enqueue pending events older than OUTBOX_SWEEP_AGE; returns how many were enqueued.

    A duplicate queue message is harmless: the delivery claims the row first, so an event
    already sent or in progress is left alone.
    """
    ids = list(due_for_sweep().order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    enqueued = 0
    for event_id in ids:
        if not enqueue(event_id):
            break  # the queue is down; the next sweep tries again
        enqueued += 1
    if ids:
        logger.info("outbox sweep: %s of %s pending events re-enqueued", enqueued, len(ids))
    return enqueued


def retry(event: EmailEvent) -> bool:
    """Admin action: put a failed event back to pending with a fresh attempt budget."""
    updated = EmailEvent.objects.filter(pk=event.pk, status=EmailEvent.Status.FAILED).update(
        status=EmailEvent.Status.PENDING,
        attempts=0,
        next_attempt_at=None,
        claimed_until=None,
    )
    if updated:
        transaction.on_commit(lambda: enqueue(event.pk))
    return bool(updated)
