"""Delivery in batches: one SMTP connection for many events, and what a refusal, a dropped
connection, a dead server or a slow one does to the rest of the batch. Real PostgreSQL, a real
SMTP server (aiosmtpd) and the real Huey queue in Redis."""

import threading
import time
from datetime import timedelta

import pytest

from django.db import connections
from django.utils import timezone

from accounts.factories import UserFactory
from tasks import delivery
from tasks.models import EmailEvent
from tasks.outbox import emit
from tasks.tasks import deliver_email_event


def _events(count: int) -> list[EmailEvent]:
    return [emit("password_reset", recipient=UserFactory()) for _ in range(count)]


def _refresh(events: list[EmailEvent]) -> list[EmailEvent]:
    for event in events:
        event.refresh_from_db()
    return events


def _make_due(event: EmailEvent) -> None:
    EmailEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_a_batch_sends_every_due_event_over_one_connection(smtp_server):
    events = _events(5)
    batch = delivery.deliver(events[3].pk)

    assert [batch[e.pk].outcome for e in events] == ["sent"] * 5
    assert smtp_server.connections == 1 and smtp_server.sessions == [1] * 5
    # The event the queue asked for goes first, then the others oldest first.
    order = [events[3], events[0], events[1], events[2], events[4]]
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [
        e.recipient.email for e in order
    ]
    for event in _refresh(events):
        assert (event.status, event.attempts, event.claimed_until) == ("sent", 1, None)
        assert event.sent_at is not None


@pytest.mark.django_db
def test_a_batch_takes_at_most_email_batch_size_events(smtp_server, settings):
    settings.EMAIL_BATCH_SIZE = 3
    events = _events(5)
    assert [r.outcome for r in delivery.deliver(events[0].pk).results.values()] == ["sent"] * 3
    waiting = _refresh(events)[3:]
    assert [(e.status, e.attempts, e.claimed_until) for e in waiting] == [("pending", 0, None)] * 2

    delivery.deliver(events[4].pk)
    assert EmailEvent.objects.filter(status="sent").count() == 5
    assert smtp_server.sessions == [1, 1, 1, 2, 2]


@pytest.mark.django_db
def test_an_event_another_batch_holds_is_not_sent_again(smtp_server):
    held, free = _events(2)
    assert delivery.claim(held.pk) == [held]  # another worker's batch holds it
    batch = delivery.deliver(held.pk)
    assert batch[held.pk].outcome == "not-claimed"
    assert batch[free.pk].outcome == "sent"  # the delivery took the free event instead
    assert smtp_server.to(held.recipient.email) == []


@pytest.mark.django_db
def test_one_refused_message_in_a_batch_is_retried_alone(smtp_server, settings):
    settings.EMAIL_RETRY_DELAY = 30
    events = _events(5)
    refused = events[2]
    smtp_server.refuse_to = {refused.recipient.email.lower()}

    batch = delivery.deliver(events[0].pk)
    assert batch.retries() == [(refused.pk, 30)]
    assert smtp_server.connections == 1 and len(smtp_server.messages) == 4  # the rest went on
    refused.refresh_from_db()
    assert refused.status == "pending" and "451" in refused.last_error
    assert refused.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert EmailEvent.objects.filter(status="sent").count() == 4

    smtp_server.refuse_to = set()
    _make_due(refused)
    batch = delivery.deliver(refused.pk)
    assert list(batch.results) == [refused.pk]  # sent alone, on a connection of its own
    assert smtp_server.sessions == [1, 1, 1, 1, 2]
    for event in _refresh(events):
        assert len(smtp_server.to(event.recipient.email)) == 1
    assert refused.attempts == 2


@pytest.mark.django_db(transaction=True)  # the task closes its database connection after it
def test_a_connection_lost_mid_batch_releases_the_events_not_yet_sent(smtp_server, settings, queue):
    settings.EMAIL_RETRY_DELAY = 30
    events = _events(5)
    queue.flush()  # emit() enqueued each event after its commit; this test runs the task itself
    smtp_server.hang_up_at = 3  # the server drops the connection during the third DATA

    deliver_email_event.call_local(events[0].pk)  # the Huey task, run in this process
    first, second, cut, *released = _refresh(events)
    assert (first.status, second.status) == ("sent", "sent")
    # The message in flight counts as a failed attempt and backs off ...
    assert (cut.status, cut.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in cut.last_error and cut.next_attempt_at > timezone.now()
    # ... the ones never attempted are free again at once, with no attempt counted.
    for event in released:
        assert (event.status, event.attempts, event.claimed_until) == ("pending", 0, None)
        assert event.next_attempt_at is None
    # One queue message now for the released events, and the cut event's retry in 30 s.
    messages = {task.args: task for task in queue.pending()}
    assert set(messages) == {(released[0].pk,), (cut.pk,)}
    assert messages[(released[0].pk,)].eta is None
    assert messages[(cut.pk,)].eta > timezone.now().replace(tzinfo=None) + timedelta(seconds=25)

    queue.flush()
    queue.execute(messages[(released[0].pk,)])  # the released events' message, run here
    assert [e.status for e in _refresh(released)] == ["sent", "sent"]
    assert smtp_server.sessions == [1, 1, 2, 2]  # a new connection; the cut event still waits
    assert smtp_server.to(cut.recipient.email) == []


@pytest.mark.django_db
def test_no_connection_means_the_whole_batch_backs_off(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    events = _events(3)
    batch = delivery.deliver(events[0].pk)
    assert sorted(pk for pk, _ in batch.retries()) == sorted(e.pk for e in events)
    for event in _refresh(events):
        assert event.status == "pending" and event.attempts == 1
        assert "ConnectionRefusedError" in event.last_error and event.next_attempt_at


@pytest.mark.django_db
def test_a_slow_batch_stops_at_half_its_lease_and_releases_the_rest(smtp_server, settings):
    settings.EMAIL_CLAIM_SECONDS = 1  # messages may start during the first 0.5 s only
    smtp_server.delay = 0.6
    events = _events(4)
    batch = delivery.deliver(events[0].pk)
    assert batch[events[0].pk].outcome == "sent"
    assert batch.released == [e.pk for e in events[1:]]
    for event in _refresh(events)[1:]:
        assert (event.status, event.attempts, event.claimed_until) == ("pending", 0, None)
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)  # the batch runs in a thread with its own connection
def test_a_slow_batch_records_what_it_sent_before_it_ends(smtp_server, queue):
    """What a crash could send twice is bounded: a batch writes its outcomes at least every
    RECORD_EVERY seconds, not only at its end."""
    smtp_server.delay = 0.7
    events = _events(4)

    def work():
        delivery.deliver(events[0].pk)
        connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    seen = []  # (sent in the database, accepted by the server) while the batch runs
    while worker.is_alive():
        seen.append((EmailEvent.objects.filter(status="sent").count(), len(smtp_server.messages)))
        time.sleep(0.05)
    worker.join()
    assert any(recorded >= 1 and accepted < 4 for recorded, accepted in seen), seen
    assert EmailEvent.objects.filter(status="sent").count() == 4


@pytest.mark.django_db
def test_an_event_whose_last_attempt_died_ends_failed_and_the_rest_go_out(smtp_server, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    dead, fresh = _events(2)
    delivery.claim(dead.pk)  # ... and that worker dies
    EmailEvent.objects.filter(pk=dead.pk).update(claimed_until=timezone.now())
    batch = delivery.deliver(dead.pk)
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("failed", 1)
    assert dead.last_error == "attempt 1 did not finish (worker stopped)"
    assert batch[fresh.pk].outcome == "sent" and len(smtp_server.messages) == 1
