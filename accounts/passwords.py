"""Password-reset links, made at the moment an email is sent so no token is stored at rest."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str

from django.conf import settings
from django.urls import reverse


def reset_url(user) -> str:
    """Absolute link to the web reset page; API clients post its uid and key to the confirm API."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"
