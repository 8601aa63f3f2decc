"""Emit email events: write the outbox row in the caller's transaction, enqueue after commit."""

import logging

from django.db import transaction

from tasks.models import EmailEvent

logger = logging.getLogger(__name__)


def _enqueue(event_id: int) -> None:
    from tasks.tasks import deliver_email_event

    try:
        deliver_email_event(event_id)
    except Exception:
        # Redis down: the row stays pending and the periodic sweep delivers it later.
        logger.exception("could not enqueue email event %s; the sweep will retry", event_id)


def emit(kind: str, *, recipient, **refs: int | str) -> EmailEvent:
    """Record an email event for `recipient` and deliver it once the transaction commits."""
    event = EmailEvent.objects.create(
        kind=kind, recipient_id=getattr(recipient, "pk", recipient), refs=refs
    )
    transaction.on_commit(lambda: _enqueue(event.pk))
    return event
