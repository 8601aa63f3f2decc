"""The password-reset token generator (ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR).

The token is allauth's: it stops working once the password, the last sign-in or any of the
account's email addresses change. allauth's own generator runs two queries per token (it
first makes sure the primary address has its row, then reads the addresses); this one reads
the addresses from `emailaddress_set`, which a batch of outgoing emails prefetches for all its
recipients (tasks.delivery.claim). The value hashed is the same, so tokens made either way
check either way: the primary address counts whether or not it has a row.
"""

from allauth.account.utils import user_email

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ResetTokenGenerator(PasswordResetTokenGenerator):
    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        value = super()._make_hash_value(user, timestamp)
        emails = {address.email for address in user.emailaddress_set.all()}
        primary = user_email(user)
        if primary:
            emails.add(primary)
        return value + "|".join(sorted(emails))
