"""The weekly digest: one email per user per ISO week listing last week's notifications they
chose to get weekly, written to the outbox by a periodic task; skipped when there is nothing."""

import logging
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from follows.models import (
    PREFERENCE_FIELDS,
    DigestRun,
    EmailChoice,
    FollowPreferences,
    Notification,
)
from tasks.outbox import emit

logger = logging.getLogger(__name__)

DIGEST_KIND = "weekly_digest"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(key: str) -> tuple[datetime, datetime]:
    """[Monday 00:00 UTC, next Monday 00:00 UTC) of the ISO week `key` ("2026-W48")."""
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start, start + timedelta(days=7)


def last_week(now: datetime | None = None) -> str:
    """The ISO week before the one `now` falls in: the week a Monday run reports on."""
    now = now or timezone.now()
    return week_key((now.astimezone(UTC) - timedelta(days=7)).date())


def _weekly_kinds() -> Q:
    """Notifications whose recipient wants their kind in the digest (no row: the defaults)."""
    wanted = Q(pk__in=[])
    for kind, field in PREFERENCE_FIELDS.items():
        chose = Q(**{f"recipient__follow_preferences__{field}": EmailChoice.WEEKLY})
        if FollowPreferences._meta.get_field(field).default == EmailChoice.WEEKLY:
            chose |= Q(recipient__follow_preferences__isnull=True)
        wanted |= Q(kind=kind) & chose
    return wanted


def digest_notifications(week: str, user=None) -> QuerySet[Notification]:
    """What the digest of `week` lists: unread, not mailed at once, of a kind the recipient
    wants weekly, about a project still public (and a review still visible)."""
    start, end = week_bounds(week)
    notifications = (
        Notification.objects.shown()
        .unread()
        .filter(created_at__gte=start, created_at__lt=end, emailed=False)
    )
    if user is not None:
        notifications = notifications.filter(recipient=user)
    return notifications.filter(_weekly_kinds())


def digests_send(*, now: datetime | None = None) -> int:
    """Write last week's digest email for each user who has something in it; returns how many
    were written. Running it again for the same week writes none (DigestRun is unique)."""
    week = last_week(now)
    recipient_ids = (
        digest_notifications(week)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    written = 0
    for recipient_id in recipient_ids.iterator():
        try:
            with transaction.atomic():
                run, created = DigestRun.objects.get_or_create(user_id=recipient_id, week=week)
                if not created:
                    continue
                run.event = emit(DIGEST_KIND, recipient=recipient_id, week=week)
                run.save(update_fields=["event"])
        except IntegrityError:
            continue  # another run of the task took this user's digest a moment ago
        written += 1
    if written:
        logger.info("weekly digest %s: %s emails written", week, written)
    return written
