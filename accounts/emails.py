"""The emails the accounts app sends (collected by the notifications layer).

Links that carry a secret (password reset, email confirmation) are made when the email is
sent, from the current state of the account: nothing secret is stored in the outbox.
"""

from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from django.urls import reverse

from accounts.passwords import reset_url
from proctique.emails import EmailKind, Skip, absolute_url


def _active(recipient) -> None:
    if not recipient.is_active:
        raise Skip("the account is inactive")


def password_reset(recipient, refs: dict) -> dict:
    """A reset link, made now from the user's current password hash."""
    _active(recipient)
    return {"reset_url": reset_url(recipient)}


def email_confirmation(recipient, refs: dict) -> dict:
    """The link that verifies an address (allauth's HMAC key, derived from the address row)."""
    _active(recipient)
    address = EmailAddress.objects.filter(pk=refs.get("email_address_id"), user=recipient).first()
    if address is None:
        raise Skip("the address was removed")
    if address.verified:
        raise Skip("the address is already verified")
    key = EmailConfirmationHMAC(address).key
    return {
        "address": address.email,
        "signup": bool(refs.get("signup")),
        "activate_url": absolute_url(reverse("account_confirm_email", args=[key])),
    }


def account_already_exists(recipient, refs: dict) -> dict:
    """Someone signed up with this address: the owner learns it, the sign-up form does not."""
    _active(recipient)
    return {
        "login_url": absolute_url(reverse("account_login")),
        "password_reset_url": absolute_url(reverse("account_reset_password")),
    }


def password_changed(recipient, refs: dict) -> dict:
    """The password was just changed or reset: a note to the owner, with a way back."""
    _active(recipient)
    return {"password_reset_url": absolute_url(reverse("account_reset_password"))}


EMAIL_KINDS = [
    EmailKind("password_reset", "Password reset", password_reset),
    EmailKind("email_confirmation", "Email confirmation", email_confirmation),
    EmailKind("account_already_exists", "Sign-up with an existing address", account_already_exists),
    EmailKind("password_changed", "Password changed", password_changed),
]
