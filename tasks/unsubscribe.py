"""Signed, login-free unsubscribe links for new-review emails."""

from django.core import signing

SALT = "tasks.unsubscribe.new_review"


def make_token(user) -> str:
    """A token naming the user; signed with SECRET_KEY under its own salt, so it is unforgeable."""
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def read_token(token: str) -> int:
    """The user id in a token; raises signing.BadSignature when tampered with or malformed."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("unexpected payload")
    return payload["u"]
