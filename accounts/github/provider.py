"""The GitHub provider: our adapter, and GitHub's verified primary address as the one address.

GitHub's ``/user/emails`` lists every address with its ``primary`` and ``verified`` flags. Only
the primary one, and only once GitHub has verified it, is handed to allauth: it is the address
a new account gets and the only one an existing account is linked by. An unverified address is
dropped, so it can neither link to nor create an account (accounts.adapters refuses a sign-in
that brings none).
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.github.provider import GitHubProvider as BaseProvider

from accounts.github.views import GitHubOAuth2Adapter


def verified_primary_email(data: dict) -> str | None:
    """The address GitHub marks primary and verified, from a profile with its ``emails``."""
    for entry in data.get("emails") or []:
        if entry.get("primary") and entry.get("verified") and entry.get("email"):
            return entry["email"]
    return None


class GitHubProvider(BaseProvider):
    oauth2_adapter_class = GitHubOAuth2Adapter

    def extract_common_fields(self, data: dict) -> dict:
        # The profile's own `email` is the public one, whatever its state: never use it.
        return {**super().extract_common_fields(data), "email": verified_primary_email(data)}

    def extract_email_addresses(self, data: dict) -> list[EmailAddress]:
        email = verified_primary_email(data)
        return [EmailAddress(email=email, primary=True, verified=True)] if email else []
