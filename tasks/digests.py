"""Batched emails: moderators hear about new reports at most once per REPORT_DIGEST_MINUTES.

The outbox is the record of what each moderator was sent: a `new_reports` event carries the
window it covers (`after`, `until`). A run emails a moderator only when their last digest is at
least one interval old and reports were filed after its window, so running it twice, or from
two workers at once (the moderator's row is locked), sends nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reviews.models import Report
from reviews.services import report_handlers
from tasks.models import EmailEvent
from tasks.outbox import emit

KIND = "new_reports"


def _last_until(moderator_id: int):
    last = (
        EmailEvent.objects.filter(kind=KIND, recipient_id=moderator_id)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return None, None
    return last.created_at, parse_datetime(last.refs.get("until", "")) or last.created_at


def report_digest_send(*, now=None) -> int:
    """Emit one `new_reports` email to each moderator due one; returns how many were emitted."""
    now = now or timezone.now()
    interval = timedelta(minutes=settings.REPORT_DIGEST_MINUTES)
    # A moderator who never had a digest hears about reports from the last interval only.
    first_after = now - interval
    emitted = 0
    for moderator_id in report_handlers().values_list("pk", flat=True):
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=moderator_id).first()
            sent_at, after = _last_until(moderator_id)
            if sent_at is not None and now - sent_at < interval:
                continue
            after = after or first_after
            filed = Report.objects.open().filter(created_at__gt=after, created_at__lte=now)
            if not filed.exists():
                continue
            emit(KIND, recipient=moderator_id, after=after.isoformat(), until=now.isoformat())
            emitted += 1
    return emitted
