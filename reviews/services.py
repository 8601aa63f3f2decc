"""Every write to reviews, reports, replies and helpful votes goes through these functions.

The web views, the API and the Wagtail admin call them alike, so every route enforces the
same rules. The field rules and their messages are the models' (`full_clean()`); the rules
between rows live here. Errors mean one thing everywhere:

- ValidationError (400): the content or the state is wrong (a field, a duplicate, a hidden
  review, a closed report);
- PermissionDenied (403): who you are does not allow it (not signed in, your own project or
  review, not a moderator).

Moderation is a Django permission: `reviews.change_review` hides, restores and edits any
review, `reviews.delete_review` deletes any, `reviews.change_report` closes reports.
Aggregates follow in the caller's transaction (a new review is counted in, any other change
recounts the project); caches follow after commit.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from proctique import versions
from reviews import aggregates, events, history
from reviews.models import HelpfulVote, Report, Review, ReviewReply
from reviews.permissions import ReportPermissionPolicy
from reviews.tasks import purge_project_page
from showcase import services as projects
from showcase.models import ProjectPage
from showcase.models.members import makes

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"
MODERATE = "reviews.change_review"
DELETE_ANY = "reviews.delete_review"
HANDLE_REPORTS = "reviews.change_report"
NO_LONGER_SHOWN = "This review is no longer shown."
ALREADY_REVIEWED = "You have already reviewed this project."


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")


def _purge(project_id: int) -> None:
    """After commit: queue the purge of the project's page from the frontend cache (CDN), when
    one is configured (the HTTP call to the CDN runs in the worker, not in the request)."""
    if settings.WAGTAILFRONTENDCACHE:
        purge_project_page(project_id)


def _changed(project_id: int, *, aggregates_too: bool = True) -> None:
    """Aggregates now, in this transaction; caches once it commits."""
    if aggregates_too:
        aggregates.recompute(project_id)
    versions.changed()
    transaction.on_commit(lambda: _purge(project_id), robust=True)


def _normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _validated(review: Review) -> Review:
    review.title = (review.title or "").strip()
    review.body = (review.body or "").strip()
    # The fields' validators say what the rating constraint says, with the message; the
    # database still enforces both constraints.
    review.full_clean(
        exclude=["project", "author", "status"], validate_unique=False, validate_constraints=False
    )
    return review


def _check_not_repeated(body: str, last: str | None) -> None:
    if last is not None and _normalise(last) == _normalise(body):
        raise ValidationError({"body": ["This is the same text as your previous review."]})


def _last_body(author, *, exclude_pk: int | None = None) -> str | None:
    previous = Review.objects.filter(author=author).exclude(pk=exclude_pk).order_by("-created_at")
    return previous.values_list("body", flat=True).first()


def _check_new_and_within_rate(here: bool, recent: int) -> None:
    """Not reviewed this project yet, and under the hourly limit."""
    if here:
        raise ValidationError({NON_FIELD: [ALREADY_REVIEWED]})
    if recent >= settings.REVIEWS_POSTS_PER_HOUR:
        raise ValidationError(
            {NON_FIELD: ["You have posted too many reviews recently. Try again later."]},
            code="rate_limited",
        )


def can_moderate(user) -> bool:
    """Whether `user` hides, restores and edits any review."""
    return bool(user and user.is_authenticated and user.has_perm(MODERATE))


def report_handlers():
    """The active users who close reports (superusers and holders of `reviews.change_report`),
    so the ones the new-report emails go to."""
    return ReportPermissionPolicy(Report).users_with_permission("change")


def can_manage(review: Review, actor) -> bool:
    """Whether `actor` may edit `review`: its author or a moderator."""
    return actor.pk == review.author_id or can_moderate(actor)


def reviewable(project) -> ProjectPage:
    """The discoverable project, or a 400: drafts and restricted projects take no reviews.

    A project the route has just loaded through `discoverable()` (as the web form and the API
    do) is taken as it is, unless it has been unpublished since.
    """
    if getattr(project, "found_discoverable", False) and project.live:
        return project
    found = ProjectPage.objects.discoverable().filter(pk=project.pk).first()
    if found is None:
        raise ValidationError({"project": ["Only published projects can be reviewed."]})
    return found


def check_may_review(author, project) -> None:
    """Who may review: a signed-in user who does not own the project (routes ask this first,
    so the answer to a refused caller never depends on what they wrote)."""
    _require_user(author)
    if makes(project, author):
        raise PermissionDenied("You cannot review your own project.")


def review_submit(*, author, project, rating, title, body) -> Review:
    """Post `author`'s review of a discoverable project they do not own; one per project."""
    check_may_review(author, project)
    project = reviewable(project)
    review = _validated(
        Review(project=project, author=author, rating=rating, title=title, body=body)
    )
    here, recent, last = history.of(author, project)
    _check_new_and_within_rate(here, recent)
    _check_not_repeated(review.body, last)
    try:
        with transaction.atomic():
            review.save()
            aggregates.count_in(project.pk, review.rating)
            _changed(project.pk, aggregates_too=False)
            events.review_posted.send(sender=Review, review=review)
    except IntegrityError as exc:  # a concurrent post of the same review won the race
        raise ValidationError({NON_FIELD: [ALREADY_REVIEWED]}) from exc
    return review


def review_update(*, review, actor, rating, title, body) -> Review:
    """Edit a review (its author or a moderator); marks it edited when anything changed."""
    _require_user(actor)
    if not can_manage(review, actor):
        raise PermissionDenied("You can only edit your own review.")
    before = (review.rating, review.title, review.body)
    candidate = _validated(
        Review(project=review.project, author=review.author, rating=rating, title=title, body=body)
    )
    after = (candidate.rating, candidate.title, candidate.body)
    if after == before:
        return review
    if actor.pk == review.author_id and _normalise(candidate.body) != _normalise(review.body):
        _check_not_repeated(candidate.body, _last_body(review.author, exclude_pk=review.pk))
    with transaction.atomic():
        review.rating, review.title, review.body = after
        review.edited = True
        review.save(update_fields=["rating", "title", "body", "edited", "updated_at"])
        _changed(review.project_id)
        if actor.pk != review.author_id:
            log(instance=review, action="proctique.review.moderator_edit", user=actor)
    return review


def review_delete(*, review, actor) -> None:
    """Delete a review for good (its author, or a holder of `reviews.delete_review`)."""
    _require_user(actor)
    if actor.pk != review.author_id and not actor.has_perm(DELETE_ANY):
        raise PermissionDenied("You can only delete your own review.")
    project_id = review.project_id
    with transaction.atomic():
        if actor.pk != review.author_id:
            log(instance=review, action="proctique.review.moderator_delete", user=actor)
        review._aggregates_handled = True
        review.delete()
        _changed(project_id)


def _set_status(review, actor, status) -> Review:
    _require_user(actor)
    if not can_moderate(actor):
        raise PermissionDenied("Only moderators hide or restore reviews.")
    with transaction.atomic():
        updated = Review.objects.filter(pk=review.pk).exclude(status=status).update(status=status)
        review.status = status
        if updated:
            _changed(review.project_id)
            action = "hide" if status == Review.Status.HIDDEN else "restore"
            log(instance=review, action=f"proctique.review.{action}", user=actor)
            if status == Review.Status.HIDDEN:
                events.review_hidden.send(sender=Review, review=review, actor=actor)
    return review


def review_hide(*, review, actor) -> Review:
    """Moderator: take a review off the page, the API, feeds and aggregates (row kept).

    Its open reports are resolved with it: hiding is the moderator's answer to them. Every
    route that hides a review (the report view, the review editor, bulk actions, the API)
    comes through here or through `report_resolve`, which calls it.
    """
    with transaction.atomic():
        review = _set_status(review, actor, Review.Status.HIDDEN)
        for report in Report.objects.open().filter(review=review):
            _close(report, actor, Report.Status.RESOLVED)
    return review


def review_restore(*, review, actor) -> Review:
    """Moderator: show a hidden review again."""
    return _set_status(review, actor, Review.Status.VISIBLE)


def report_create(*, reporter, target, reason, note="") -> Report:
    """Report a review or a project to the moderators; one open report per user per target."""
    _require_user(reporter)
    if isinstance(target, Review):
        if target.author_id == reporter.pk:
            raise PermissionDenied("You cannot report your own review.")
        if (
            not target.is_visible
            or not ProjectPage.objects.discoverable().filter(pk=target.project_id).exists()
        ):
            raise ValidationError({NON_FIELD: [NO_LONGER_SHOWN]})
        report = Report(reporter=reporter, review=target, reason=reason, note=note)
    else:
        target = getattr(target, "specific", target)
        if not isinstance(target, ProjectPage):
            raise ValidationError({NON_FIELD: ["Only reviews and projects can be reported."]})
        if target.owner_id == reporter.pk:
            raise PermissionDenied("You cannot report your own project.")
        if not ProjectPage.objects.discoverable().filter(pk=target.pk).exists():
            raise ValidationError({NON_FIELD: ["This project is not published."]})
        report = Report(reporter=reporter, project=target, reason=reason, note=note)
    report.full_clean(exclude=["reporter", "review", "project", "status", "resolved_by"])
    duplicate = ValidationError({NON_FIELD: ["You have already reported this; we are on it."]})
    lookup = {"review": report.review} if report.review_id else {"project": report.project}
    if Report.objects.open().filter(reporter=reporter, **lookup).exists():
        raise duplicate
    try:
        with transaction.atomic():
            report.save()
            events.report_filed.send(sender=Report, report=report)
    except IntegrityError as exc:  # a concurrent post of the same review won the race
        raise ValidationError({NON_FIELD: [ALREADY_REVIEWED]}) from exc
    return report


def _close(report, actor, status) -> Report:
    _require_user(actor)
    if not actor.has_perm(HANDLE_REPORTS):
        raise PermissionDenied("Only moderators handle reports.")
    if report.status != Report.Status.OPEN:
        raise ValidationError({NON_FIELD: ["This report is already closed."]})
    report.status, report.resolved_by, report.resolved_at = status, actor, timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    action = "resolve" if status == Report.Status.RESOLVED else "dismiss"
    log(instance=report, action=f"proctique.report.{action}", user=actor)
    events.report_closed.send(sender=Report, report=report, actor=actor)
    return report


@transaction.atomic
def report_resolve(*, report, actor) -> Report:
    """Moderator: uphold a report; hides the review or unpublishes the project.

    Every open report on the same target is resolved with it.
    """
    report = _close(report, actor, Report.Status.RESOLVED)
    others = Report.objects.open().filter(review_id=report.review_id, project_id=report.project_id)
    for other in others:
        _close(other, actor, Report.Status.RESOLVED)
    if report.review_id:
        if report.review.is_visible:
            review_hide(review=report.review, actor=actor)
    else:
        project = report.project.specific
        if project.live:
            projects.project_unpublish(project=project, user=actor)
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
        raise ValidationError({NON_FIELD: [NO_LONGER_SHOWN]})
    reply = ReviewReply.objects.filter(review=review).first() or ReviewReply(review=review)
    created = reply.pk is None
    reply.author, reply.body = actor, (body or "").strip()
    reply.full_clean(exclude=["review", "author"], validate_unique=False)
    with transaction.atomic():
        reply.save()
        _changed(review.project_id, aggregates_too=False)
        events.reply_posted.send(sender=ReviewReply, reply=reply, created=created)
    return reply


def reply_delete(*, review, actor) -> None:
    """Remove the owner's reply (the owner or a moderator)."""
    _require_user(actor)
    if review.project.owner_id != actor.pk and not can_moderate(actor):
        raise PermissionDenied("Only the project's owner can remove the reply.")
    with transaction.atomic():
        ReviewReply.objects.filter(review=review).delete()
        _changed(review.project_id, aggregates_too=False)


def can_vote(review: Review, user) -> None:
    """Raise unless `user` may mark `review` helpful (not the author, not the project owner)."""
    if review.author_id == user.pk:
        raise PermissionDenied("You cannot mark your own review helpful.")
    if makes(review.project, user):
        raise PermissionDenied("You cannot vote on reviews of your own project.")
    if not review.is_visible:
        raise ValidationError({NON_FIELD: [NO_LONGER_SHOWN]})


def helpful_mark(*, review, user) -> bool:
    """Mark a visible review helpful; True if newly marked."""
    _require_user(user)
    can_vote(review, user)
    try:
        with transaction.atomic():
            _, created = HelpfulVote.objects.get_or_create(review=review, user=user)
            if created:  # the page shows helpful counts
                _changed(review.project_id, aggregates_too=False)
    except IntegrityError:
        return False
    return created


def helpful_unmark(*, review, user) -> None:
    """Take back one's helpful mark (no error when there was none)."""
    _require_user(user)
    with transaction.atomic():
        deleted, _ = HelpfulVote.objects.filter(review=review, user=user).delete()
        if deleted:
            _changed(review.project_id, aggregates_too=False)
