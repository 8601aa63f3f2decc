"""The API's JWT authentication: simplejwt's, with the token's user read through a statement
compiled once per process (every signed-in API request reads that user)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication

from django.contrib.auth import get_user_model

from proctique.statements import Select


def _user(user_id: int):
    return get_user_model().objects.filter(pk=user_id)[:1]


_USER = Select(get_user_model(), _user, user_id=int)


class _TokenUsers:
    """The lookup simplejwt's `get_user` makes (`objects.get(id=...)`, `DoesNotExist`), so that
    its own checks of the user (found, active, password unchanged) stay the ones that run."""

    DoesNotExist = get_user_model().DoesNotExist

    @property
    def objects(self) -> "_TokenUsers":
        return self

    def get(self, *, id: int):  # noqa: A002 (simplejwt's USER_ID_FIELD)
        found = _USER.instances(user_id=int(id))
        if not found:
            raise self.DoesNotExist
        return found[0]


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's JWT authentication (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_model = _TokenUsers()


class JWTScheme(SimpleJWTScheme):
    """Its OpenAPI security scheme: simplejwt's bearer JWT."""

    target_class = JWTAuthentication
