"""One per-account failed sign-in counter for every route: web (allauth), the Wagtail admin
(which signs in through the web pages) and the API's token endpoint.

It lives in the database, on the user row, so it holds while Redis (where the per-IP rate
limits live) is down. After LOGIN_FAILURE_LIMIT failures, each within LOGIN_LOCKOUT_SECONDS of
the previous one, the account refuses sign-in until LOGIN_LOCKOUT_SECONDS have passed since
the last failure; a successful sign-in starts the count again.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Value, When
from django.utils import timezone


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def _user_for(login: str | None):
    if not isinstance(login, str) or not login.strip():
        return None
    return get_user_model().objects.filter(email__iexact=login.strip()).first()


def retry_after(user) -> int:
    """Seconds until `user` may try again (0 when the account is not locked)."""
    if user is None or user.failed_logins < settings.LOGIN_FAILURE_LIMIT:
        return 0
    if user.last_failed_login is None:
        return 0
    left = (user.last_failed_login + _window() - timezone.now()).total_seconds()
    return max(0, math.ceil(left))


def locked_for(login: str | None) -> int:
    """Seconds the account signing in as `login` (an email) stays locked; 0 if it is not."""
    return retry_after(_user_for(login))


def record_failure(login: str | None) -> None:
    """Count one failed sign-in for the account (a count older than the window restarts)."""
    user = _user_for(login)
    if user is None:
        return
    now = timezone.now()
    get_user_model().objects.filter(pk=user.pk).update(
        failed_logins=Case(
            When(last_failed_login__gte=now - _window(), then=F("failed_logins") + 1),
            default=Value(1),
        ),
        last_failed_login=now,
    )


def record_success(user) -> None:
    if user.failed_logins:
        get_user_model().objects.filter(pk=user.pk).update(failed_logins=0)
        user.failed_logins = 0


def count_failed_login(sender, credentials, request=None, **kwargs):
    """Receiver of Django's user_login_failed: every route's failure is counted here."""
    record_failure(credentials.get("email") or credentials.get("username"))


def connect() -> None:
    user_login_failed.connect(count_failed_login, dispatch_uid="accounts_lockout_failed")


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked account and resets the count on success.

    Listed first in AUTHENTICATION_BACKENDS: raising PermissionDenied stops authenticate()
    for every backend, so no route can sign a locked account in.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get("email") or kwargs.get(get_user_model().USERNAME_FIELD)
        if locked_for(login):
            raise PermissionDenied("Too many failed sign-in attempts.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            record_success(user)
        return user
