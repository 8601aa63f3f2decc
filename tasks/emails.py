"""What each kind of email says: its recipient check and its template context.

Each builder loads the rows named in the event's refs *at send time* (a review hidden since,
an owner who opted out, a reset link that must never be stored) and raises `Skip` when the
email should no longer go out.
"""

from collections.abc import Callable
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from tasks.models import EmailEvent
from tasks.unsubscribe import make_token

EXCERPT_CHARS = 240


class Skip(Exception):  # noqa: N818 (a decision, not an error)
    """The email is no longer wanted; the event is marked skipped with this reason."""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_url(page) -> str:
    """A page's public URL built from SITE_URL (emails never depend on the request host)."""
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else "/")


def _new_review(event: EmailEvent) -> dict:
    from reviews.models import Review

    owner = event.recipient
    if not owner.notify_new_reviews:
        raise Skip("the owner switched off new-review emails")
    review = (
        Review.objects.select_related("author", "project")
        .filter(pk=event.refs.get("review_id"))
        .first()
    )
    if review is None:
        raise Skip("the review was deleted")
    if not review.is_visible:
        raise Skip("the review is hidden")
    project = review.project
    unsubscribe_url = absolute_url(reverse("tasks:unsubscribe", args=[make_token(owner)]))
    return {
        "review": review,
        "project": project,
        "stars": "★" * review.rating + "☆" * (5 - review.rating),
        "excerpt": Truncator(review.body).chars(EXCERPT_CHARS),
        "review_url": f"{page_url(project)}#reviews",
        "unsubscribe_url": unsubscribe_url,
        "headers": {
            # RFC 8058 one-click unsubscribe: mail clients POST to the same signed link.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _password_reset(event: EmailEvent) -> dict:
    from accounts.passwords import reset_url

    if not event.recipient.is_active:
        raise Skip("the account is inactive")
    # Made now, from the user's current password hash: nothing secret is stored in the outbox.
    return {"reset_url": reset_url(event.recipient)}


def _project_published(event: EmailEvent) -> dict:
    from showcase.models import ProjectPage

    project = ProjectPage.objects.filter(pk=event.refs.get("project_id")).first()
    if project is None:
        raise Skip("the project was deleted")
    if not project.live:
        raise Skip("the project is no longer live")
    return {"project": project, "project_url": page_url(project)}


BUILDERS: dict[str, Callable[[EmailEvent], dict]] = {
    EmailEvent.Kind.NEW_REVIEW: _new_review,
    EmailEvent.Kind.PASSWORD_RESET: _password_reset,
    EmailEvent.Kind.PROJECT_PUBLISHED: _project_published,
}


def build_message(event: EmailEvent) -> EmailMultiAlternatives:
    """Render templates/email/<kind>{_subject.txt,.txt,.html} into a multipart message."""
    recipient = event.recipient
    if not recipient.email:
        raise Skip("the recipient has no email address")
    context = BUILDERS[event.kind](event)
    headers = context.pop("headers", {})
    context.update(
        {
            "event": event,
            "user": recipient,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
        }
    )
    subject = " ".join(render_to_string(f"email/{event.kind}_subject.txt", context).split())
    text = render_to_string(f"email/{event.kind}.txt", context)
    html = render_to_string(f"email/{event.kind}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[formataddr((recipient.public_name, recipient.email))],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
