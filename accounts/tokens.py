"""JWTs for API clients: a `role` claim on every token, re-read from the database at refresh."""

from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from django.contrib.auth import get_user_model
from django.utils import timezone

ROLE_CLAIM = "role"


class RoleRefreshToken(RefreshToken):
    """A refresh token whose access tokens (which copy its claims) carry the user's role."""

    @classmethod
    def for_user(cls, user) -> "RoleRefreshToken":
        token = super().for_user(user)
        token[ROLE_CLAIM] = user.role
        return token


def token_pair(user) -> dict[str, str]:
    refresh = RoleRefreshToken.for_user(user)
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


def rotate_refresh_token(raw: str) -> dict[str, str]:
    """Spend a refresh token: check it and its user, blacklist it, issue a fresh pair.

    Raises TokenError (bad signature, expired, wrong audience/issuer, blacklisted) or
    AuthenticationFailed (user gone or inactive, password changed since it was issued).
    """
    refresh = RefreshToken(raw)  # verifies signature, exp, aud, iss, type and the blacklist
    user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
    user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
        raise AuthenticationFailed(
            "No active account found for the given token.", "no_active_account"
        )
    if api_settings.CHECK_REVOKE_TOKEN and refresh.payload.get(
        api_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise AuthenticationFailed("The user's password has been changed.", "password_changed")
    _, created = refresh.blacklist()
    if not created:  # a concurrent request spent the same token first
        raise TokenError("Token is blacklisted")
    return token_pair(user)


def flush_expired_tokens() -> int:
    """Delete outstanding (and, by cascade, blacklisted) refresh tokens that have expired.

    An expired token is refused on its `exp` claim alone, so its rows serve no purpose.
    """
    deleted, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
