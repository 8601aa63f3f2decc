"""The periodic task that flushes expired refresh-token rows."""

from datetime import timedelta

import pytest
from huey.api import PeriodicTask
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from django.utils import timezone

from accounts import tasks
from accounts.tokens import RoleRefreshToken

pytestmark = pytest.mark.django_db


def test_flush_deletes_only_expired_rows(user, huey_immediate):
    live = RoleRefreshToken.for_user(user)
    old = RoleRefreshToken.for_user(user)
    old.blacklist()
    OutstandingToken.objects.filter(jti=old["jti"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.flush_expired_jwt_blacklist()
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [live["jti"]]
    assert not BlacklistedToken.objects.exists()


def test_flush_is_a_periodic_task():
    assert isinstance(tasks.flush_expired_jwt_blacklist.task_class(), PeriodicTask)
