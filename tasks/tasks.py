"""Huey entry points: thin wrappers that load a row by id and call a service."""

from huey.contrib.djhuey import db_task

from tasks import delivery


@db_task()
def deliver_email_event(event_id: int) -> None:
    """Send one outbox event (idempotent: a sent event is never sent again)."""
    delivery.deliver(event_id)
