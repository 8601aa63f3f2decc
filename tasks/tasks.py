"""Huey entry points: thin wrappers that load a row by id and call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tasks import delivery, digests, outbox


@db_task(retries=0)
def deliver_email_event(event_id: int) -> None:
    """Send one outbox event, and other due ones over the same SMTP connection; idempotent (a
    sent or claimed event is never sent twice).

    No Huey retries: a failed attempt is recorded on the row (attempts, last_error,
    next_attempt_at) and rescheduled from here with exponential backoff, so retries survive a
    restart of Redis or of the consumer (the sweep picks up any rescheduled delivery lost).
    """
    batch = delivery.deliver(event_id)
    for failed_id, delay in batch.retries():
        outbox.enqueue(failed_id, delay=delay)
    if batch.released:
        # One message is enough: the delivery it starts claims the other released events too.
        outbox.enqueue(batch.released[0])


@db_periodic_task(crontab(minute="*"), retries=0)
def sweep_email_outbox() -> None:
    """Every minute (and when a consumer starts): re-enqueue pending events the queue lost."""
    outbox.sweep()


@db_periodic_task(crontab(minute="*"), retries=0)
def send_report_digests() -> None:
    """Every minute: moderators whose last new-reports email is an interval old get the next
    one, listing the reports filed since (idempotent; see tasks.digests)."""
    digests.report_digest_send()
