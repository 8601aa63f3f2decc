"""The emails the reviews domain sends (collected by the notifications layer)."""

from django.urls import reverse
from django.utils.text import Truncator

from proctique.emails import EmailKind, Skip, absolute_url, page_url
from reviews.models import Report, Review, ReviewReply

EXCERPT_CHARS = 240


def new_review(recipient, refs: dict) -> dict:
    """To a project's owner: someone reviewed it."""
    review = Review.objects.select_related("author", "project").filter(pk=refs.get("review_id"))
    review = review.first()
    if review is None:
        raise Skip("the review was deleted")
    if not review.is_visible:
        raise Skip("the review is hidden")
    return {
        "review": review,
        "project": review.project,
        "stars": "★" * review.rating + "☆" * (5 - review.rating),
        "excerpt": Truncator(review.body).chars(EXCERPT_CHARS),
        "review_url": f"{page_url(review.project)}#reviews",
    }


EMAIL_KINDS = [
    EmailKind("new_review", "New review", new_review, preference="notify_new_reviews"),
]


def review_reply(recipient, refs: dict) -> dict:
    """To a reviewer: the project's owner replied under their review."""
    reply = (
        ReviewReply.objects.select_related("review__project", "author")
        .filter(pk=refs.get("reply_id"), review__author=recipient)
        .first()
    )
    if reply is None:
        raise Skip("the reply was removed")
    if not reply.review.is_visible:
        raise Skip("the review is hidden")
    return {
        "reply": reply,
        "review": reply.review,
        "project": reply.review.project,
        "excerpt": Truncator(reply.body).chars(EXCERPT_CHARS),
        "review_url": f"{page_url(reply.review.project)}#review-{reply.review_id}",
    }


def report_outcome(recipient, refs: dict) -> dict:
    """To a reporter: what the moderators decided about their report."""
    report = (
        Report.objects.select_related("review__project", "project")
        .filter(pk=refs.get("report_id"), reporter=recipient)
        .exclude(status=Report.Status.OPEN)
        .first()
    )
    if report is None:
        raise Skip("the report is gone or open again")
    return {
        "report": report,
        "upheld": report.status == Report.Status.RESOLVED,
        "target": report.target_label,
    }


def review_hidden(recipient, refs: dict) -> dict:
    """To a review's author: a moderator took it off the site."""
    review = (
        Review.objects.select_related("project")
        .filter(pk=refs.get("review_id"), author=recipient)
        .first()
    )
    if review is None:
        raise Skip("the review was deleted")
    if review.is_visible:
        raise Skip("the review is shown again")
    return {"review": review, "project": review.project}


def new_reports(recipient, refs: dict) -> dict:
    """To a moderator: the reports filed in one digest window that are still open."""
    reports = list(
        Report.objects.open()
        .filter(created_at__gt=refs.get("after"), created_at__lte=refs.get("until"))
        .select_related("review__project", "project", "reporter")
        .order_by("created_at", "id")
    )
    if not reports:
        raise Skip("every report in the window was handled already")
    for report in reports:
        report.admin_url = absolute_url(
            reverse(Report.snippet_viewset.get_url_name("inspect"), args=[report.pk])
        )
    return {
        "reports": reports,
        "reports_url": absolute_url(reverse(Report.snippet_viewset.get_url_name("list")))
        + "?status=open",
    }


EMAIL_KINDS += [
    EmailKind("review_reply", "Owner's reply", review_reply, preference="notify_review_replies"),
    EmailKind(
        "report_outcome", "Report outcome", report_outcome, preference="notify_report_outcomes"
    ),
    # A decision about the recipient's own content: not something to switch off.
    EmailKind("review_hidden", "Review hidden", review_hidden),
    EmailKind("new_reports", "New reports", new_reports, preference="notify_new_reports"),
]
