"""How a domain app declares the emails it sends, without knowing the queue that sends them.

An app's `emails.py` holds `EMAIL_KINDS`, a list of `EmailKind`; the notifications layer (the
`tasks` app) collects them, writes outbox rows for them and renders
`templates/email/<name>{_subject.txt,.txt,.html}` with the context `build` returns.
`build(recipient, refs)` loads what the email is about *at send time* and raises `Skip` when it
should no longer go out (a review hidden since, an account deactivated).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


class Skip(Exception):  # noqa: N818 (a decision, not an error)
    """The email is no longer wanted; the event is marked skipped with this reason."""


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    build: Callable[..., dict]
    # A boolean field on the user that switches this kind off (shown on the settings page,
    # honoured at send time, and turned off by the email's one-click unsubscribe link).
    preference: str | None = None


def absolute_url(path: str) -> str:
    """A link for an email or a feed: always SITE_URL, never the request's host."""
    return f"{settings.SITE_URL}{path}"


def page_url(page) -> str:
    """A page's public URL built from SITE_URL."""
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else "/")
