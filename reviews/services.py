"""Every write to reviews, reports, replies and helpful votes goes through these functions.

The web views, the API and the Wagtail admin call them alike, so every route enforces the
same rules. Rule violations raise ValidationError (a dict of field -> messages); role
violations raise PermissionDenied. Aggregates are recomputed in the caller's transaction.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import aggregates, limits
from reviews.models import HelpfulVote, Report, Review, ReviewReply

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_moderator)


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")


def _purge(project_id: int) -> None:
    """After commit: the project's fragment caches and its page in the frontend cache (CDN)."""
    from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

    from showcase import cache as fragments
    from showcase.models import ProjectPage

    fragments.reviews_changed(project_id)
    page = ProjectPage.objects.filter(pk=project_id).first()
    if page is None:
        return
    try:
        purge_page_from_cache(page)
    except Exception:  # a CDN outage must not break the request that already committed
        logger.exception("frontend cache purge failed for project %s", project_id)


def _changed(project_id: int) -> None:
    """Aggregates now, in this transaction; the frontend cache once it commits."""
    aggregates.recompute(project_id)
    transaction.on_commit(lambda: _purge(project_id))


def _normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _clean_fields(*, rating, title, body) -> tuple[int, str, str]:
    errors: dict[str, list[str]] = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = ["Choose a rating from 1 to 5 stars."]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Give your review a title."]
    elif len(title) > Review.TITLE_MAX:
        errors["title"] = [f"Keep the title under {Review.TITLE_MAX + 1} characters."]
    body = (body or "").strip()
    if len(body) < Review.BODY_MIN:
        errors["body"] = [f"Write at least {Review.BODY_MIN} characters."]
    elif len(body) > Review.BODY_MAX:
        errors["body"] = [f"Keep the review under {Review.BODY_MAX + 1} characters."]
    if errors:
        raise ValidationError(errors)
    return rating, title, body


def _check_not_repeated(*, author, body: str, exclude_pk: int | None = None) -> None:
    previous = Review.objects.filter(author=author).exclude(pk=exclude_pk).order_by("-created_at")
    last = previous.values_list("body", flat=True).first()
    if last is not None and _normalise(last) == _normalise(body):
        raise ValidationError({"body": ["This is the same text as your previous review."]})


def can_manage(review: Review, actor) -> bool:
    """Whether `actor` may edit or delete `review`: its author or a moderator."""
    return actor.pk == review.author_id or is_moderator(actor)


def review_submit(*, author, project, rating, title, body) -> Review:
    """Post `author`'s review of a live project they do not own; emits `new_review`."""
    _require_user(author)
    if project.owner_id == author.pk:
        raise PermissionDenied("You cannot review your own project.")
    if not project.live:
        raise ValidationError({"project": ["Only published projects can be reviewed."]})
    rating, title, body = _clean_fields(rating=rating, title=title, body=body)
    if Review.objects.filter(project=project, author=author).exists():
        raise ValidationError({NON_FIELD: ["You have already reviewed this project."]})
    _check_not_repeated(author=author, body=body)
    if not limits.allowed(author.pk):
        raise ValidationError(
            {NON_FIELD: ["You have posted too many reviews recently. Try again later."]},
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            review = Review.objects.create(
                project=project, author=author, rating=rating, title=title, body=body
            )
            _changed(project.pk)
            if project.owner_id:
                from tasks.outbox import emit

                emit(
                    "new_review",
                    recipient=project.owner,
                    review_id=review.pk,
                    project_id=project.pk,
                )
    except IntegrityError as exc:
        raise ValidationError({NON_FIELD: ["You have already reviewed this project."]}) from exc
    limits.record(author.pk)
    return review


def review_update(*, review, actor, rating, title, body) -> Review:
    """Edit a review (its author or a moderator); marks it edited when anything changed."""
    _require_user(actor)
    if not can_manage(review, actor):
        raise PermissionDenied("You can only edit your own review.")
    rating, title, body = _clean_fields(rating=rating, title=title, body=body)
    if actor.pk == review.author_id and _normalise(body) != _normalise(review.body):
        _check_not_repeated(author=review.author, body=body, exclude_pk=review.pk)
    if (rating, title, body) == (review.rating, review.title, review.body):
        return review
    with transaction.atomic():
        review.rating, review.title, review.body, review.edited = rating, title, body, True
        review.save(update_fields=["rating", "title", "body", "edited", "updated_at"])
        _changed(review.project_id)
    return review


def review_delete(*, review, actor) -> None:
    """Delete a review for good (its author or a moderator)."""
    _require_user(actor)
    if not can_manage(review, actor):
        raise PermissionDenied("You can only delete your own review.")
    project_id = review.project_id
    with transaction.atomic():
        review._aggregates_handled = True
        review.delete()
        _changed(project_id)


def _set_status(review, actor, status) -> Review:
    _require_user(actor)
    if not is_moderator(actor):
        raise PermissionDenied("Only moderators hide or restore reviews.")
    with transaction.atomic():
        updated = Review.objects.filter(pk=review.pk).exclude(status=status).update(status=status)
        review.status = status
        if updated:
            _changed(review.project_id)
    return review


def review_hide(*, review, actor) -> Review:
    """Moderator: take a review off the page, the API, feeds and aggregates (row kept)."""
    return _set_status(review, actor, Review.Status.HIDDEN)


def review_restore(*, review, actor) -> Review:
    """Moderator: show a hidden review again."""
    return _set_status(review, actor, Review.Status.VISIBLE)


def report_create(*, reporter, target, reason, note="") -> Report:
    """Report a review or a project to the moderators; one open report per user per target."""
    from showcase.models import ProjectPage

    _require_user(reporter)
    target = getattr(target, "specific", target) if not isinstance(target, Review) else target
    if isinstance(target, Review):
        if target.author_id == reporter.pk:
            raise ValidationError({NON_FIELD: ["You cannot report your own review."]})
        if not target.is_visible:
            raise ValidationError({NON_FIELD: ["This review is no longer shown."]})
        lookup = {"review": target}
    elif isinstance(target, ProjectPage):
        if target.owner_id == reporter.pk:
            raise ValidationError({NON_FIELD: ["You cannot report your own project."]})
        if not target.live:
            raise ValidationError({NON_FIELD: ["This project is not published."]})
        lookup = {"project": target}
    else:
        raise ValidationError({NON_FIELD: ["Only reviews and projects can be reported."]})
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = ["Choose a reason."]
    note = (note or "").strip()
    if reason == Report.Reason.OTHER and not note:
        errors["note"] = ["Tell us what is wrong."]
    elif len(note) > Report.NOTE_MAX:
        errors["note"] = [f"Keep the note under {Report.NOTE_MAX + 1} characters."]
    if errors:
        raise ValidationError(errors)
    duplicate = ValidationError({NON_FIELD: ["You have already reported this; we are on it."]})
    if Report.objects.open().filter(reporter=reporter, **lookup).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, reason=reason, note=note, **lookup)
    except IntegrityError as exc:
        raise duplicate from exc


def _close(report, actor, status) -> Report:
    _require_user(actor)
    if not is_moderator(actor):
        raise PermissionDenied("Only moderators handle reports.")
    if report.status != Report.Status.OPEN:
        raise ValidationError({NON_FIELD: ["This report is already closed."]})
    report.status, report.resolved_by, report.resolved_at = status, actor, timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return report


@transaction.atomic
def report_resolve(*, report, actor) -> Report:
    """Moderator: uphold a report; hides the review or unpublishes the project."""
    report = _close(report, actor, Report.Status.RESOLVED)
    same_target = Report.objects.open().filter(
        review_id=report.review_id, project_id=report.project_id
    )
    same_target.update(
        status=Report.Status.RESOLVED, resolved_by=actor, resolved_at=report.resolved_at
    )
    if report.review_id:
        review_hide(review=report.review, actor=actor)
    else:
        project = report.project.specific
        if project.live:
            project.unpublish(user=actor)
    return report


def report_dismiss(*, report, actor) -> Report:
    """Moderator: close a report without acting on its target."""
    return _close(report, actor, Report.Status.DISMISSED)


def reply_set(*, review, actor, body) -> ReviewReply:
    """The project owner's public reply under a review: created or replaced."""
    _require_user(actor)
    if review.project.owner_id != actor.pk:
        raise PermissionDenied("Only the project's owner can reply.")
    if not review.is_visible:
        raise ValidationError({NON_FIELD: ["This review is no longer shown."]})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write a reply."]})
    if len(body) > ReviewReply.BODY_MAX:
        raise ValidationError(
            {"body": [f"Keep the reply under {ReviewReply.BODY_MAX + 1} characters."]}
        )
    with transaction.atomic():
        reply, _ = ReviewReply.objects.update_or_create(
            review=review, defaults={"author": actor, "body": body}
        )
        transaction.on_commit(lambda: _purge(review.project_id))
    return reply


def reply_delete(*, review, actor) -> None:
    """Remove the owner's reply (the owner or a moderator)."""
    _require_user(actor)
    if review.project.owner_id != actor.pk and not is_moderator(actor):
        raise PermissionDenied("Only the project's owner can remove the reply.")
    with transaction.atomic():
        ReviewReply.objects.filter(review=review).delete()
        transaction.on_commit(lambda: _purge(review.project_id))


def helpful_mark(*, review, user) -> bool:
    """Mark a visible review helpful; True if newly marked. Never one's own review."""
    _require_user(user)
    if review.author_id == user.pk:
        raise ValidationError({NON_FIELD: ["You cannot mark your own review helpful."]})
    if not review.is_visible:
        raise ValidationError({NON_FIELD: ["This review is no longer shown."]})
    try:
        with transaction.atomic():
            _, created = HelpfulVote.objects.get_or_create(review=review, user=user)
    except IntegrityError:
        return False
    if created:  # the page shows helpful counts
        transaction.on_commit(lambda: _purge(review.project_id))
    return created


def helpful_unmark(*, review, user) -> None:
    """Take back one's helpful mark (no error when there was none)."""
    _require_user(user)
    deleted, _ = HelpfulVote.objects.filter(review=review, user=user).delete()
    if deleted:
        transaction.on_commit(lambda: _purge(review.project_id))
