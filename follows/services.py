"""Follow and unfollow, mark notifications read, and fan a new project or review out to the
people who follow it. Web views, the API and the tasks all call these."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from follows.models import (
    EmailChoice,
    Follow,
    FollowPreferences,
    Notification,
)
from reviews.models import Review
from showcase.models import Category, ProjectPage
from tasks.outbox import emit

ACTIVITY_KIND = "activity"


def target_field(target) -> str:
    """Which Follow field holds `target`: author, category or project."""
    if isinstance(target, get_user_model()):
        return "author"
    if isinstance(target, Category):
        return "category"
    if isinstance(target, ProjectPage):
        return "project"
    raise TypeError(f"cannot follow a {type(target).__name__}")


def check_may_follow(user) -> None:
    """Who may follow: a signed-in, active user (routes ask this before anything else)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to follow authors, categories and projects.")


def _check_followable(field: str, target) -> None:
    if field == "author" and not target.is_active:
        raise ValidationError({"author": "This person's account is closed."})
    if field == "project" and not ProjectPage.objects.discoverable().filter(pk=target.pk).exists():
        raise ValidationError({"project": "Only published projects can be followed."})


def is_following(user, target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.of(user).filter(**{target_field(target): target}).exists()


def follow_add(*, user, target) -> tuple[Follow, bool]:
    """`user` follows `target` (an author, a category or a published project); idempotent.

    Returns the follow and whether it is new. Following oneself is a ValidationError.
    """
    check_may_follow(user)
    field = target_field(target)
    existing = Follow.objects.of(user).filter(**{field: target}).first()
    if existing is not None:
        return existing, False
    follow = Follow(user=user, **{field: target})
    follow.full_clean(validate_constraints=False)  # the unique race is settled below
    _check_followable(field, target)
    try:
        with transaction.atomic():
            follow.save()
    except IntegrityError:
        # Two requests at once (a double click): the other one's row stands.
        return Follow.objects.of(user).get(**{field: target}), False
    return follow, True


def follow_remove(*, user, follow: Follow) -> None:
    """Stop following; only the follower may remove their follow."""
    check_may_follow(user)
    if follow.user_id != user.pk:
        raise PermissionDenied("This is someone else's follow.")
    follow.delete()


def follow_toggle(*, user, target) -> bool:
    """Follow `target` if `user` does not yet, unfollow it otherwise; returns whether `user`
    follows it now."""
    check_may_follow(user)
    existing = Follow.objects.of(user).filter(**{target_field(target): target}).first()
    if existing is not None:
        follow_remove(user=user, follow=existing)
        return False
    follow_add(user=user, target=target)
    return True


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark `user`'s unread notifications read (only those in `ids` when given); returns how
    many changed. Other people's ids are ignored."""
    check_may_follow(user)
    unread = Notification.objects.filter(recipient=user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def preferences_for(user) -> FollowPreferences:
    """The user's email preferences; the defaults (unsaved) when they never chose."""
    found = FollowPreferences.objects.filter(user=user).first()
    return found or FollowPreferences(user=user)


def _fan_out(kind: str, recipients, *, about: dict, **fields) -> list[Notification]:
    """Create one notification per recipient about `about` (once: a retried task skips those
    it made) and write the instant emails to the outbox in the same transaction."""
    with transaction.atomic():
        recipient_ids = set(recipients.values_list("pk", flat=True))
        done = Notification.objects.filter(kind=kind, recipient_id__in=recipient_ids, **about)
        recipient_ids -= set(done.values_list("recipient_id", flat=True))
        if not recipient_ids:
            return []
        preferences = {
            p.user_id: p for p in FollowPreferences.objects.filter(user_id__in=recipient_ids)
        }
        created = []
        for recipient_id in sorted(recipient_ids):
            choice = preferences.get(recipient_id, FollowPreferences()).choice_for(kind)
            created.append(
                Notification(
                    recipient_id=recipient_id,
                    kind=kind,
                    emailed=choice == EmailChoice.INSTANT,
                    **about,
                    **fields,
                )
            )
        Notification.objects.bulk_create(created)
        for notification in created:
            if notification.emailed:
                emit(
                    ACTIVITY_KIND,
                    recipient=notification.recipient_id,
                    notification_id=notification.pk,
                )
    return created


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def notifications_for_project(*, project_id: int) -> list[Notification]:
    """A project went live: tell those who follow its author or its category."""
    project = ProjectPage.objects.discoverable().filter(pk=project_id).first()
    if project is None or project.owner_id is None:
        return []  # unpublished or restricted again before the task ran
    followed = Q(follows__author_id=project.owner_id)
    if project.category_id:
        followed |= Q(follows__category_id=project.category_id)
    recipients = _active_users().filter(followed).exclude(pk=project.owner_id).distinct()
    return _fan_out(
        Notification.Kind.NEW_PROJECT,
        recipients,
        about={"project": project},
        actor_id=project.owner_id,
    )


def notifications_for_review(*, review_id: int) -> list[Notification]:
    """A review was posted: tell those who follow the project (not its writer, not the owner,
    who has the new-review email)."""
    review = Review.objects.visible().select_related("project").filter(pk=review_id).first()
    if review is None:
        return []
    if not ProjectPage.objects.discoverable().filter(pk=review.project_id).exists():
        return []
    recipients = (
        _active_users()
        .filter(follows__project_id=review.project_id)
        .exclude(pk__in=[pk for pk in (review.author_id, review.project.owner_id) if pk])
        .distinct()
    )
    return _fan_out(
        Notification.Kind.NEW_REVIEW,
        recipients,
        about={"review": review},
        project_id=review.project_id,
        actor_id=review.author_id,
    )
