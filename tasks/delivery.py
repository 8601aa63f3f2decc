"""Render and send one outbox event."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tasks.models import EmailEvent

logger = logging.getLogger(__name__)


def deliver(event_id: int) -> bool:
    """Send the event if still pending; the row lock makes concurrent deliveries send once."""
    with transaction.atomic():
        event = (
            EmailEvent.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=event_id, status=EmailEvent.Status.PENDING)
            .first()
        )
        if event is None:
            return False
        context = {"event": event, "user": event.recipient, "SITE_URL": settings.SITE_URL}
        subject = render_to_string(f"email/{event.kind}_subject.txt", context).strip()
        text = render_to_string(f"email/{event.kind}.txt", context)
        html = render_to_string(f"email/{event.kind}.html", context)
        message = EmailMultiAlternatives(subject, text, to=[event.recipient.email])
        message.attach_alternative(html, "text/html")
        event.attempts += 1
        message.send()
        event.status = EmailEvent.Status.SENT
        event.sent_at = timezone.now()
        event.save(update_fields=["status", "sent_at", "attempts"])
    return True
