"""Single-line text: what may enter it, and how rows stored before that rule are shown safely.

Control characters (C0 and C1, DEL, Unicode line and paragraph separators) have no place in a
title, a name or a tagline: PostgreSQL rejects NUL, feed generators refuse C0 characters and a
CR/LF in a name breaks email headers. Every single-line model field carries
`reject_control_characters`; forms and serializers derive their validation from the models.
"""

import re
import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MESSAGE = "Remove line breaks and other control characters from this text."


@deconstructible
class ControlCharacterValidator:
    """Reject control characters (tabs and line breaks included) in single-line text."""

    message = MESSAGE
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)


reject_control_characters = ControlCharacterValidator()


def single_line(value: str | None) -> str:
    """`value` with control characters turned into spaces (for feeds and email headers)."""
    return CONTROL_CHARACTERS.sub(" ", value or "").strip()


@deconstructible
class HandleValidator(UnicodeUsernameValidator):
    """A username (the public handle in /authors/<username>/) as it will be stored.

    Usernames are saved NFKC-normalised, and normalising can turn a character the plain check
    accepts into one it rejects: "¼" is a letter-like digit, its normal form "1⁄4" holds a
    fraction slash that no profile URL matches. So the normal form is what is checked.
    """

    def __call__(self, value) -> None:
        super().__call__(unicodedata.normalize("NFKC", value) if isinstance(value, str) else value)


validate_handle = HandleValidator()
