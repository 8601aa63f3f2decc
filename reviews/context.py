"""What the project page shows of its reviews (summary, list, form)."""

from django.http import HttpRequest


def project_reviews_context(project, request: HttpRequest) -> dict:
    """Template context for `reviews/includes/project_reviews.html`."""
    return {}
