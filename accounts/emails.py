"""The emails the accounts app sends (collected by the notifications layer)."""

from accounts.passwords import reset_url
from proctique.emails import EmailKind, Skip


def password_reset(recipient, refs: dict) -> dict:
    """A reset link, made now from the user's current password hash (nothing is stored)."""
    if not recipient.is_active:
        raise Skip("the account is inactive")
    return {"reset_url": reset_url(recipient)}


EMAIL_KINDS = [EmailKind("password_reset", "Password reset", password_reset)]
