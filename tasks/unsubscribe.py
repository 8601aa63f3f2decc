"""Signed, login-free unsubscribe links for the email kinds a user can switch off."""

from django.core import signing

SALT = "tasks.unsubscribe.new_review"
# Links sent before they named their kind were all about new reviews.
DEFAULT_KIND = "new_review"


def make_token(user, kind: str = DEFAULT_KIND) -> str:
    """A token naming the user and the kind; signed with SECRET_KEY under its own salt."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    """(user id, kind) in a token; raises signing.BadSignature when tampered with or malformed."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("unexpected payload")
    kind = payload.get("k", DEFAULT_KIND)
    if not isinstance(kind, str):
        raise signing.BadSignature("unexpected payload")
    return payload["u"], kind
