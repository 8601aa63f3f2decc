"""The emails follows send (collected by the notifications layer): one email per notification
for people who want them at once, and the weekly digest."""

from django.urls import reverse

from follows.digests import DIGEST_KIND, digest_notifications, week_bounds
from follows.models import PREFERENCE_FIELDS, EmailChoice, Notification
from follows.services import ACTIVITY_KIND, preferences_for
from proctique.emails import EmailKind, Preference, Skip, absolute_url, page_url


def _wants(choice: str):
    def is_on(user) -> bool:
        preferences = preferences_for(user)
        return any(getattr(preferences, field) == choice for field in PREFERENCE_FIELDS.values())

    return is_on


def _stop(choice: str):
    def turn_off(user) -> None:
        preferences = preferences_for(user)
        changed = False
        for field in PREFERENCE_FIELDS.values():
            if getattr(preferences, field) == choice:
                setattr(preferences, field, EmailChoice.OFF)
                changed = True
        if changed:
            preferences.save()

    return turn_off


def _line(notification: Notification) -> dict:
    """What an email says about one notification, with an absolute link."""
    project = notification.project
    if notification.kind == Notification.Kind.NEW_REVIEW:
        return {
            "notification": notification,
            "text": f"{notification.review.author.public_name} reviewed {project.title}",
            "url": f"{page_url(project)}#reviews",
        }
    return {
        "notification": notification,
        "text": f"{notification.actor.public_name if notification.actor else 'Someone'} "
        f"published {project.title}",
        "url": page_url(project),
    }


def activity(recipient, refs: dict) -> dict:
    """To a follower who wants notifications at once: one new thing from what they follow."""
    notification = (
        Notification.objects.for_listing()
        .select_related("review__author")
        .filter(pk=refs.get("notification_id"), recipient=recipient)
        .first()
    )
    if notification is None:
        raise Skip("the notification was deleted")
    if preferences_for(recipient).choice_for(notification.kind) != EmailChoice.INSTANT:
        raise Skip("the recipient no longer wants these at once")
    if not Notification.objects.shown().filter(pk=notification.pk).exists():
        raise Skip("the project is no longer public or the review was hidden")
    return {
        **_line(notification),
        "project": notification.project,
        "notifications_url": absolute_url(reverse("follows:notifications")),
        "settings_url": absolute_url(reverse("accounts:settings")),
    }


def weekly_digest(recipient, refs: dict) -> dict:
    """Monday's list of last week's notifications the recipient wants weekly."""
    week = refs.get("week", "")
    try:
        start, end = week_bounds(week)
    except ValueError:
        raise Skip("the digest names no week") from None
    found = (
        digest_notifications(week, user=recipient)
        .for_listing()
        .select_related("review__author")
        .order_by("-created_at", "-id")
    )
    lines = [_line(n) for n in found]
    if not lines:
        raise Skip("nothing left to report this week")
    return {
        "lines": lines,
        "week": week,
        "week_start": start,
        "feed_url": absolute_url(reverse("follows:feed")),
        "settings_url": absolute_url(reverse("accounts:settings")),
    }


EMAIL_KINDS = [
    EmailKind(
        ACTIVITY_KIND,
        "Follow activity",
        activity,
        preference=Preference(_wants(EmailChoice.INSTANT), _stop(EmailChoice.INSTANT)),
    ),
    EmailKind(
        DIGEST_KIND,
        "Weekly digest",
        weekly_digest,
        preference=Preference(_wants(EmailChoice.WEEKLY), _stop(EmailChoice.WEEKLY)),
    ),
]
