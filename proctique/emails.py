"""How a domain app declares the emails it sends, without knowing the queue that sends them.

An app's `emails.py` holds `EMAIL_KINDS`, a list of `EmailKind`; the notifications layer (the
`tasks` app) collects them, writes outbox rows for them and renders
`templates/email/<name>{_subject.txt,.txt,.html}` with the context `build` returns.
`build(recipient, refs)` loads what the email is about *at send time* and raises `Skip` when it
should no longer go out (a review hidden since, an account deactivated).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


class Skip(Exception):  # noqa: N818 (a decision, not an error)
    """The email is no longer wanted; the event is marked skipped with this reason."""


@dataclass(frozen=True)
class Preference:
    """A switch kept outside the user row (in the declaring app's own model): how to read it
    and how the one-click unsubscribe link turns it off."""

    is_on: Callable[[Any], bool]
    turn_off: Callable[[Any], None]


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    build: Callable[..., dict]
    # What switches this kind off (honoured at send time, turned off by the email's one-click
    # unsubscribe link): a boolean field on the user (shown on the settings page), or a
    # Preference for a switch an app keeps in its own model.
    preference: str | Preference | None = None

    def is_wanted_by(self, user) -> bool:
        """Whether `user` still wants emails of this kind."""
        if self.preference is None:
            return True
        if isinstance(self.preference, Preference):
            return self.preference.is_on(user)
        return getattr(user, self.preference, True)

    def switch_off(self, user) -> None:
        """Stop emails of this kind for `user` (the unsubscribe link)."""
        if isinstance(self.preference, Preference):
            self.preference.turn_off(user)
        elif self.preference and getattr(user, self.preference):
            setattr(user, self.preference, False)
            user.save(update_fields=[self.preference])


def absolute_url(path: str) -> str:
    """A link for an email or a feed: always SITE_URL, never the request's host."""
    return f"{settings.SITE_URL}{path}"


def page_url(page) -> str:
    """A page's public URL built from SITE_URL."""
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else "/")
