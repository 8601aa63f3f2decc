"""Render and send one outbox event: claim, send with no transaction open, mark the outcome.

Why not hold `SELECT ... FOR UPDATE` across the SMTP conversation: a worker killed mid-send
would roll the attempt back without a trace, and a slow SMTP server would pin a database
connection and lock per message. Instead:

1. claim: in a short transaction, lock the row with SKIP LOCKED, check it is still pending and
   not claimed by a live attempt, count the attempt and set a lease (EMAIL_CLAIM_SECONDS);
2. send over SMTP, outside any transaction;
3. mark it sent (or record the error and schedule a retry with exponential backoff).

A second delivery of the same event (duplicate queue message, a second consumer, the sweep)
finds the row claimed or sent and does nothing. If the worker dies during step 2, the server
never finished accepting the message (no reply to DATA), the lease runs out and the sweep
redelivers it. The one window left is a kill between the server's "250 accepted" and step 3:
that email is sent twice. Delivery is therefore at-least-once, with that window only.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.emails import Skip, build_message
from tasks.models import EmailEvent

logger = logging.getLogger(__name__)

# A scheduled retry may fire a moment before next_attempt_at on another host's clock.
CLOCK_GRACE = timedelta(seconds=2)
MAX_RETRY_DELAY = 60 * 60


@dataclass(frozen=True)
class Result:
    outcome: str  # "sent", "skipped", "retry", "failed" or "not-claimed"
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Exponential backoff: EMAIL_RETRY_DELAY, then twice that, four times... capped at 1 h."""
    return min(settings.EMAIL_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def claim(event_id: int) -> EmailEvent | None:
    """Take the event for one attempt, or None if it is sent, claimed elsewhere or not due."""
    now = timezone.now()
    with transaction.atomic():
        event = (
            EmailEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, status=EmailEvent.Status.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + CLOCK_GRACE))
            .first()
        )
        if event is None:
            return None
        if event.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            # The last attempt's worker died before recording an outcome.
            event.status = EmailEvent.Status.FAILED
            event.last_error = (
                event.last_error or f"attempt {event.attempts} did not finish (worker stopped)"
            )
            event.claimed_until = None
            event.save(update_fields=["status", "last_error", "claimed_until"])
            return None
        event.attempts += 1
        event.claimed_until = now + timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
        event.save(update_fields=["attempts", "claimed_until"])
    return event


def _finish(event: EmailEvent, **fields) -> None:
    # Only the attempt holding the claim records its outcome.
    EmailEvent.objects.filter(pk=event.pk, status=EmailEvent.Status.PENDING).update(
        claimed_until=None, **fields
    )


def _failure(event: EmailEvent, exc: Exception) -> Result:
    error = f"attempt {event.attempts}: {type(exc).__name__}: {exc}"[:2000]
    if event.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _finish(event, status=EmailEvent.Status.FAILED, last_error=error, next_attempt_at=None)
        logger.error("email event %s failed for good: %s", event.pk, error)
        return Result("failed")
    delay = retry_delay(event.attempts)
    _finish(event, last_error=error, next_attempt_at=timezone.now() + timedelta(seconds=delay))
    logger.warning("email event %s: %s; retrying in %ss", event.pk, error, delay)
    return Result("retry", retry_in=delay)


def deliver(event_id: int) -> Result:
    """Make one delivery attempt for the event; see the module docstring for the guarantees."""
    event = claim(event_id)
    if event is None:
        return Result("not-claimed")
    try:
        message = build_message(event)
    except Skip as reason:
        _finish(event, status=EmailEvent.Status.SKIPPED, last_error=str(reason))
        return Result("skipped")
    except Exception as exc:
        logger.exception("email event %s could not be rendered", event.pk)
        return _failure(event, exc)
    try:
        message.send()
    except Exception as exc:  # SMTP refusals, timeouts, connection errors
        return _failure(event, exc)
    _finish(event, status=EmailEvent.Status.SENT, sent_at=timezone.now())
    return Result("sent")
