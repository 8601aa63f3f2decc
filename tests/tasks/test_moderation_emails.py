"""The emails people expect around reviews and moderation, each branded (HTML + text, from our
templates, through the outbox), each kind a user can switch off has a preference on the
settings page and a working one-click unsubscribe; new reports reach moderators in batches."""

from datetime import timedelta

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import AdminFactory, ModeratorFactory, UserFactory
from accounts.models import EMAIL_PREFERENCES, MODERATOR_PREFERENCES
from accounts.roles import ensure_role_groups
from reviews import services
from tasks import digests
from tasks.emails import email_kinds
from tasks.models import EmailEvent
from tasks.tasks import send_report_digests
from tasks.unsubscribe import make_token

pytestmark = pytest.mark.django_db


def address(message) -> str:
    return message.to[0].split("<")[-1].rstrip(">")


def assert_branded(message):
    html = {mime: body for body, mime in message.alternatives}["text/html"]
    assert "Proctique" in html and "<!doctype html>" in html
    assert message.body.strip() and "<" not in message.subject
    assert not message.subject.startswith("[")  # not a framework's "[host] ..." default


@pytest.fixture
def review(project, reviewer):
    EmailEvent.objects.update(status=EmailEvent.Status.SENT)  # the setup's own emails
    return services.review_submit(
        author=reviewer, project=project, rating=4, title="Handy", body="Handy little tool."
    )


@pytest.fixture
def reviewer():
    return UserFactory()


@pytest.fixture
def make_review(project):
    def make(title="Spam"):
        return services.review_submit(
            author=UserFactory(), project=project, rating=1, title=title, body=f"{title} body."
        )

    return make


@pytest.fixture
def moderators(site_pages):
    ensure_role_groups()
    return [ModeratorFactory(), ModeratorFactory(), AdminFactory()]


def test_the_reviewer_is_emailed_once_when_the_owner_replies(
    client, review, reviewer, author, huey_immediate, django_capture_on_commit_callbacks
):
    EmailEvent.objects.update(status=EmailEvent.Status.SENT)
    mail.outbox.clear()
    client.force_login(author)
    reply_url = reverse("reviews:reply", args=[review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply_url, {"body": "Thanks! <b>Search</b> is next."})
    assert response.status_code == 302
    [message] = mail.outbox
    assert address(message) == reviewer.email
    assert message.subject == f"{review.project.title}'s owner replied to your review"
    assert_branded(message)
    assert "Thanks! &lt;b&gt;Search&lt;/b&gt; is next." in message.alternatives[0][0]
    assert f"#review-{review.pk}" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Editing the reply does not email the reviewer again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url, {"body": "Thanks! Search ships next week."})
    assert len(mail.outbox) == 1
    assert EmailEvent.objects.filter(kind="review_reply").count() == 1


def test_a_reviewer_who_switched_replies_off_gets_none(
    client, review, reviewer, author, huey_immediate, django_capture_on_commit_callbacks
):
    reviewer.notify_review_replies = False
    reviewer.save()
    mail.outbox.clear()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:reply", args=[review.pk]), {"body": "Thanks!"})
    assert [m for m in mail.outbox if address(m) == reviewer.email] == []
    assert EmailEvent.objects.get(kind="review_reply").status == EmailEvent.Status.SKIPPED


def digests_sent() -> list:
    """The new-report emails delivered (other kinds ride along in the same delivery batch)."""
    return [m for m in mail.outbox if "to look at" in m.subject]


def _report(review):
    return services.report_create(reporter=UserFactory(), target=review, reason="spam")


def test_new_reports_reach_each_moderator_in_one_batch_per_interval(
    moderators, project, make_review, settings, huey_immediate, django_capture_on_commit_callbacks
):
    settings.REPORT_DIGEST_MINUTES = 15
    EmailEvent.objects.update(status=EmailEvent.Status.SENT)
    first = [_report(make_review(title=f"Spam {n}")) for n in range(3)]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_report_digests()
    # One email per moderator (the superuser too), listing all three reports.
    assert sorted(address(m) for m in digests_sent()) == sorted(m.email for m in moderators)
    for message in digests_sent():
        assert message.subject == "3 new reports to look at"
        assert_branded(message)
        for report in first:
            assert reverse("wagtailsnippets_reviews_report:inspect", args=[report.pk]) in (
                message.body
            )

    # Idempotent: running again, even with a new report, sends nothing within the interval.
    later = _report(make_review(title="Spam later"))
    with django_capture_on_commit_callbacks(execute=True):
        send_report_digests()
        assert digests.report_digest_send() == 0
    assert len(digests_sent()) == 3

    # One interval on, the next batch lists only what is new.
    mail.outbox.clear()
    next_run = timezone.now() + timedelta(minutes=15, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.report_digest_send(now=next_run) == 3
        assert digests.report_digest_send(now=next_run) == 0
    assert len(digests_sent()) == 3
    for message in digests_sent():
        assert message.subject == "1 new report to look at"
        assert reverse("wagtailsnippets_reviews_report:inspect", args=[later.pk]) in message.body
        assert all(
            reverse("wagtailsnippets_reviews_report:inspect", args=[r.pk]) not in message.body
            for r in first
        )


def test_no_reports_no_digest_and_handled_reports_are_not_listed(
    moderators, project, make_review, huey_immediate, django_capture_on_commit_callbacks
):
    assert digests.report_digest_send() == 0
    report = _report(make_review())
    services.report_dismiss(report=report, actor=moderators[0])
    assert digests.report_digest_send() == 0
    assert not EmailEvent.objects.filter(kind="new_reports").exists()


def test_the_settings_page_has_a_switch_for_every_kind_one_can_turn_off(client, site_pages):
    # Switches on the user row; kinds whose switch lives in another app's model (follows)
    # declare a Preference and show their own form on the same page.
    on_user = {k.preference for k in email_kinds().values() if isinstance(k.preference, str)}
    assert on_user == set(EMAIL_PREFERENCES)

    user = UserFactory()
    client.force_login(user)
    body = client.get("/accounts/settings/").content.decode()
    for name in set(EMAIL_PREFERENCES) - set(MODERATOR_PREFERENCES):
        assert f'name="{name}"' in body and f'<label for="id_{name}">' in body
    for name in MODERATOR_PREFERENCES:
        assert f'name="{name}"' not in body  # a plain user gets no moderator emails

    ensure_role_groups()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    body = client.get("/accounts/settings/").content.decode()
    for name in EMAIL_PREFERENCES:
        assert f'name="{name}"' in body
    response = client.post(
        "/accounts/settings/", {"display_name": "Mo", "notify_review_replies": "on"}
    )
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert moderator.notify_review_replies is True
    for name in set(EMAIL_PREFERENCES) - {"notify_review_replies"}:
        assert getattr(moderator, name) is False, name


@pytest.mark.parametrize(
    "kind", sorted(name for name, kind in email_kinds().items() if kind.preference)
)
def test_one_click_unsubscribe_switches_each_kind_off(client, kind, site_pages):
    from django.test import Client

    user = UserFactory()
    switchable = {name: k for name, k in email_kinds().items() if k.preference}
    before = {name: k.is_wanted_by(user) for name, k in switchable.items()}
    token_url = reverse("tasks:unsubscribe", args=[make_token(user, kind)])
    response = Client(enforce_csrf_checks=True).post(token_url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not switchable[kind].is_wanted_by(user)
    # Only this kind's switch: kinds sharing the same switch go off with it.
    same = {n for n, k in switchable.items() if k.preference == switchable[kind].preference}
    assert all(k.is_wanted_by(user) == before[n] for n, k in switchable.items() if n not in same)


def test_the_password_changed_email_is_branded(
    client, user, huey_immediate, django_capture_on_commit_callbacks
):
    from accounts.factories import DEFAULT_PASSWORD

    client.force_login(user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {
                "oldpassword": DEFAULT_PASSWORD,
                "password1": "a-much-longer-passphrase-2",
                "password2": "a-much-longer-passphrase-2",
            },
        )
    [message] = mail.outbox
    assert address(message) == user.email
    assert message.subject == "Your Proctique password was changed"
    assert_branded(message)


def test_the_signup_confirmation_is_branded(
    client, site_pages, huey_immediate, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "fresh@example.test",
                "username": "fresh",
                "password1": "sturdy-signup-passphrase-1",
                "password2": "sturdy-signup-passphrase-1",
            },
        )
    [message] = mail.outbox
    assert address(message) == "fresh@example.test"
    assert "Please Confirm" not in message.subject
    assert_branded(message)
    assert "/accounts/confirm-email/" in message.body
