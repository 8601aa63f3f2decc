"""The emails the reviews domain sends (collected by the notifications layer)."""

from django.utils.text import Truncator

from proctique.emails import EmailKind, Skip, page_url
from reviews.models import Review

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
