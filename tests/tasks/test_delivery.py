"""One delivery attempt: what each email says, when it is skipped, retries and giving up."""

from datetime import timedelta

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator, default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import url_str_to_user_pk

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.reset_tokens import ResetTokenGenerator
from tasks import delivery
from tasks.models import EmailEvent
from tasks.outbox import emit

pytestmark = pytest.mark.django_db


def _deliver(event):
    result = delivery.deliver(event.pk)[event.pk]
    event.refresh_from_db()
    return result


def test_new_review_email(review, author, smtp_server):
    event = emit("new_review", recipient=author, review_id=review.pk, project_id=review.project_id)
    assert _deliver(event).outcome == "sent"
    assert (event.status, event.attempts) == ("sent", 1)
    assert event.sent_at is not None and event.claimed_until is None
    [message] = smtp_server.messages
    assert author.email in message["To"]
    assert message["Subject"] == f"New 4-star review of {review.project.title}"
    text, html = smtp_server.text_of(message), smtp_server.html_of(message)
    link = f"http://testserver{review.project.url}#reviews"
    assert link in text and f'href="{link}"' in html
    assert "★★★★☆" in text and "4/5" in html
    assert review.title in text and review.body[:100] in text
    assert review.body not in text  # an excerpt, not the whole review
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/tasks/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "style=" in html  # styled inline, as mail clients need


def test_user_text_is_escaped_in_html(project, author, smtp_server):
    from reviews.factories import ReviewFactory

    review = ReviewFactory(project=project, title="<script>x</script>", body="<b>bold</b> " * 3)
    event = emit("new_review", recipient=author, review_id=review.pk, project_id=project.pk)
    _deliver(event)
    html = smtp_server.html_of(smtp_server.messages[0])
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


@pytest.mark.parametrize("case", ["hidden", "deleted", "opted_out"])
def test_new_review_is_skipped(case, review, author, smtp_server):
    event = emit("new_review", recipient=author, review_id=review.pk, project_id=review.project_id)
    if case == "hidden":
        review.status = review.Status.HIDDEN
        review.save()
    elif case == "deleted":
        review.delete()
    else:
        author.notify_new_reviews = False
        author.save()
    assert _deliver(event).outcome == "skipped"
    assert event.status == EmailEvent.Status.SKIPPED and event.last_error
    assert smtp_server.messages == []


def test_password_reset_link_is_made_at_send_time(user, smtp_server):
    event = emit("password_reset", recipient=user)
    assert event.refs == {}  # no token at rest
    _deliver(event)
    text = smtp_server.text_of(smtp_server.messages[0])
    link = next(word for word in text.split() if "/accounts/password/reset/key/" in word)
    assert link.startswith("http://testserver/")
    uidb36, key = link.rstrip("/").rsplit("/", 1)[-1].split("-", 1)
    assert url_str_to_user_pk(uidb36) == user.pk
    assert default_token_generator.check_token(user, key)
    assert link in smtp_server.html_of(smtp_server.messages[0])


@pytest.mark.parametrize("with_address_row", [True, False])
def test_reset_tokens_match_allauths_and_end_when_an_address_changes(user, with_address_row):
    """Links already sent by allauth's own generator keep working, and ours end as its do."""
    EmailAddress.objects.filter(user=user).delete()
    if with_address_row:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    ours, allauths = ResetTokenGenerator(), EmailAwarePasswordResetTokenGenerator()
    assert ours.check_token(user, allauths.make_token(user))
    token = ours.make_token(user)
    assert allauths.check_token(user, token)
    EmailAddress.objects.create(user=user, email="second@example.test")
    user = type(user).objects.get(pk=user.pk)
    assert not ours.check_token(user, token)


def test_a_batch_of_reset_emails_reads_the_addresses_once(smtp_server):
    def batch_queries(size: int) -> int:
        events = [emit("password_reset", recipient=UserFactory()) for _ in range(size)]
        with CaptureQueriesContext(connection) as captured:
            batch = delivery.deliver(events[0].pk)
        assert [batch[event.pk].outcome for event in events] == ["sent"] * size
        return len(captured)

    assert batch_queries(2) == batch_queries(12)


def test_password_reset_skipped_for_inactive_user(user, smtp_server):
    user.is_active = False
    user.save()
    assert _deliver(emit("password_reset", recipient=user)).outcome == "skipped"
    assert smtp_server.messages == []


def test_project_published_email(project, author, smtp_server):
    event = EmailEvent.objects.get(kind="project_published", refs__project_id=project.pk)
    assert event.recipient == author
    _deliver(event)
    [message] = smtp_server.messages
    assert message["Subject"] == f"{project.title} is live on Proctique"
    assert f"http://testserver{project.url}" in smtp_server.text_of(message)


def test_a_second_delivery_sends_nothing(user, smtp_server):
    event = emit("password_reset", recipient=user)
    assert _deliver(event).outcome == "sent"
    assert _deliver(event).outcome == "not-claimed"
    assert len(smtp_server.messages) == 1


def test_a_claimed_event_is_left_to_its_worker_until_the_lease_runs_out(user, smtp_server):
    event = emit("password_reset", recipient=user)
    assert delivery.claim(event.pk) == [event]  # a worker holds it (and might be dead)
    assert _deliver(event).outcome == "not-claimed"
    EmailEvent.objects.filter(pk=event.pk).update(claimed_until=timezone.now())
    assert _deliver(event).outcome == "sent"
    assert event.attempts == 2
    assert len(smtp_server.messages) == 1


def test_smtp_refusal_schedules_a_retry_with_backoff(user, smtp_server, settings):
    settings.EMAIL_RETRY_DELAY = 30
    smtp_server.refuse_next = 2
    event = emit("password_reset", recipient=user)

    result = _deliver(event)
    assert (result.outcome, result.retry_in) == ("retry", 30)
    assert event.status == "pending" and "451" in event.last_error
    assert event.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert _deliver(event).outcome == "not-claimed"  # not due yet

    EmailEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert _deliver(event).retry_in == 60  # doubled
    EmailEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert _deliver(event).outcome == "sent"
    assert event.attempts == 3 and len(smtp_server.messages) == 1


def test_gives_up_after_max_attempts(user, smtp_server, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse_next = 5
    event = emit("password_reset", recipient=user)
    assert _deliver(event).outcome == "retry"
    EmailEvent.objects.filter(pk=event.pk).update(next_attempt_at=None)
    assert _deliver(event).outcome == "failed"
    assert (event.status, event.attempts) == ("failed", 2)
    assert "attempt 2" in event.last_error
    assert smtp_server.messages == []


def test_connection_refused_counts_as_an_smtp_error(user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    event = emit("password_reset", recipient=user)
    assert _deliver(event).outcome == "retry"
    assert "ConnectionRefusedError" in event.last_error


def test_a_dead_last_attempt_ends_failed(user, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    event = emit("password_reset", recipient=user)
    assert delivery.claim(event.pk) == [event]  # ... and the worker dies
    EmailEvent.objects.filter(pk=event.pk).update(claimed_until=timezone.now())
    assert _deliver(event).outcome == "not-claimed"
    assert event.status == "failed" and "did not finish" in event.last_error


def test_backoff_is_exponential_and_capped(settings):
    settings.EMAIL_RETRY_DELAY = 30
    assert [delivery.retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.retry_delay(20) == 3600


def test_immediate_mode_delivers_on_commit(
    user, huey_immediate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = emit("password_reset", recipient=user)
    event.refresh_from_db()
    assert event.status == "sent" and len(mailoutbox) == 1
