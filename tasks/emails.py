"""Render one outbox event into a message, from the email kinds the domain apps declare.

Each installed app may have an `emails.py` with `EMAIL_KINDS` (see proctique.emails); they are
collected once. The kind's builder loads what the email is about at send time; this module
adds what every email has: the recipient, the site, and for kinds the user can switch off, the
one-click unsubscribe link and headers (RFC 8058).
"""

from email.utils import formataddr
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

from proctique.emails import EmailKind, Skip, absolute_url
from proctique.text import single_line
from tasks.unsubscribe import make_token

__all__ = ["Skip", "build_message", "email_kinds", "kind_choices"]


@cache
def email_kinds() -> dict[str, EmailKind]:
    """Every app's declared email kinds, by name."""
    kinds: dict[str, EmailKind] = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "emails"):
            for kind in getattr(import_module(f"{config.name}.emails"), "EMAIL_KINDS", []):
                if kind.name in kinds:
                    raise ValueError(f"email kind {kind.name!r} is declared twice")
                kinds[kind.name] = kind
    return kinds


def kind_choices() -> list[tuple[str, str]]:
    """Choices of EmailEvent.kind (callable, so apps can add kinds without a migration)."""
    return [(kind.name, kind.label) for kind in email_kinds().values()]


def unsubscribe_url(user, kind: EmailKind) -> str:
    return absolute_url(reverse("tasks:unsubscribe", args=[make_token(user, kind.name)]))


def build_message(event) -> EmailMultiAlternatives:
    """Render templates/email/<kind>{_subject.txt,.txt,.html} into a multipart message."""
    recipient = event.recipient
    if not recipient.email:
        raise Skip("the recipient has no email address")
    kind = email_kinds().get(event.kind)
    if kind is None:
        raise Skip(f"no app declares the email kind {event.kind!r}")
    if not kind.is_wanted_by(recipient):
        raise Skip(f"the recipient switched off {kind.label.lower()} emails")
    context = kind.build(recipient, event.refs)
    headers = {}
    if kind.preference:
        context["unsubscribe_url"] = unsubscribe_url(recipient, kind)
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    context.update(
        {
            "event": event,
            "user": recipient,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
        }
    )
    subject = single_line(render_to_string(f"email/{event.kind}_subject.txt", context))
    text = render_to_string(f"email/{event.kind}.txt", context)
    html = render_to_string(f"email/{event.kind}.html", context)
    # A name stored before control characters were refused must not break the header.
    to = formataddr((single_line(recipient.public_name), recipient.email))
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
