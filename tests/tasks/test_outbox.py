"""emit() writes the row with the caller's change and never lets the queue break a request."""

import logging
from datetime import timedelta

import pytest

from django.db import transaction
from django.utils import timezone

from tasks.models import EmailEvent
from tasks.outbox import due_for_sweep, emit, sweep

pytestmark = pytest.mark.django_db


def test_emit_writes_the_row_and_enqueues_after_commit(
    user, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = emit("password_reset", recipient=user)
        assert queue.pending_count() == 0  # nothing leaves before the commit
    assert queue.pending_count() == 1
    event.refresh_from_db()
    assert (event.status, event.recipient, event.refs) == ("pending", user, {})


def test_a_rolled_back_change_leaves_no_email(user, queue, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        emit("password_reset", recipient=user)
        raise RuntimeError("the caller's change failed")
    assert not EmailEvent.objects.exists()
    assert queue.pending_count() == 0


def test_unknown_kind_is_refused(user):
    with pytest.raises(ValueError):
        emit("newsletter", recipient=user)


def test_redis_down_after_commit_is_logged_not_raised(
    user, dead_redis, caplog, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks(execute=True)
    with caplog.at_level(logging.ERROR, logger="tasks.outbox"), capture, transaction.atomic():
        event = emit("password_reset", recipient=user)
    event.refresh_from_db()
    assert event.status == EmailEvent.Status.PENDING
    assert "could not enqueue email event" in caplog.text


def _event(user, *, age=0, **fields):
    event = EmailEvent.objects.create(kind="password_reset", recipient=user, **fields)
    EmailEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(seconds=age)
    )
    return event


def test_sweep_picks_only_events_the_queue_lost(user, settings, queue):
    settings.OUTBOX_SWEEP_AGE = 60
    now = timezone.now()
    lost = _event(user, age=120)
    expired_claim = _event(user, age=600, attempts=1, claimed_until=now - timedelta(seconds=1))
    overdue_retry = _event(user, age=900, attempts=1, next_attempt_at=now - timedelta(seconds=90))
    _event(user, age=5)  # just emitted: its own queue message is still on the way
    _event(user, age=600, attempts=1, claimed_until=now + timedelta(seconds=60))  # in progress
    _event(user, age=900, attempts=1, next_attempt_at=now - timedelta(seconds=5))  # retry due now
    _event(user, age=900, attempts=1, next_attempt_at=now + timedelta(seconds=60))  # backing off
    for status in ("sent", "failed", "skipped"):
        _event(user, age=900, status=status)

    assert set(due_for_sweep()) == {lost, expired_claim, overdue_retry}
    assert sweep() == 3
    assert queue.pending_count() == 3


def test_sweep_stops_quietly_when_redis_is_down(user, settings, dead_redis):
    settings.OUTBOX_SWEEP_AGE = 0
    _event(user, age=10)
    _event(user, age=10)
    assert sweep() == 0


def test_wagtail_background_tasks_do_not_fail_the_request_when_redis_is_down(
    project, dead_redis, caplog, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks(execute=True)
    with caplog.at_level(logging.ERROR, logger="tasks.backends"), capture as callbacks:
        project.tagline = "Saved while Redis is down"
        project.save_revision().publish(skip_permission_checks=True)
    assert callbacks  # Wagtail queued its index tasks after the commit ...
    assert "could not enqueue background task" in caplog.text  # ... and they were only logged
