"""Emails of follows through the real outbox and a real SMTP server: at once or in the weekly
digest as each person chose, each delivered exactly once; the digest is one per user per
ISO week, skipped when empty, idempotent, with a one-click unsubscribe."""

from datetime import timedelta

import pytest

from django.utils import timezone

from accounts.factories import UserFactory
from follows import digests, services
from follows.models import DigestRun, FollowPreferences, Notification
from follows.tasks import send_weekly_digests
from tasks import delivery, outbox
from tasks.models import EmailEvent
from tasks.tasks import deliver_email_event

pytestmark = pytest.mark.django_db


def _prefer(user, **choices):
    FollowPreferences.objects.update_or_create(user=user, defaults=choices)


def _to_last_week():
    """Move every notification into the ISO week a Monday digest reports on."""
    Notification.objects.update(created_at=timezone.now() - timedelta(days=7))


def _follow_events(user):
    return EmailEvent.objects.filter(recipient=user, kind__in=["activity", "weekly_digest"])


def test_instant_preference_sends_one_email_per_new_project(
    after_commit, publish, author, user, smtp_server
):
    _prefer(user, new_project_email="instant")
    services.follow_add(user=user, target=author)
    with after_commit():
        project = publish(title="Lathe")
    [message] = smtp_server.to(user.email)
    assert message["Subject"] == f"{author.public_name} published Lathe"
    link = f"http://testserver{project.url}"
    assert link in smtp_server.text_of(message)
    assert f'href="{link}"' in smtp_server.html_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [event] = _follow_events(user)
    assert (event.kind, event.status) == ("activity", "sent")

    # A duplicate queue message, a sweep, the digest: none sends it again.
    with after_commit():
        deliver_email_event.call_local(event.pk)
        outbox.sweep()
        _to_last_week()
        assert digests.digests_send() == 0
    assert len(smtp_server.to(user.email)) == 1


def test_instant_review_email(after_commit, project, user, smtp_server, post_review):
    follower = UserFactory()
    _prefer(follower, new_review_email="instant")
    services.follow_add(user=follower, target=project)
    with after_commit():
        post_review(user, project, title="Clear and careful")
    [message] = smtp_server.to(follower.email)
    assert message["Subject"] == f"{user.public_name} reviewed {project.title}"
    assert f"http://testserver{project.url}#reviews" in smtp_server.text_of(message)


def test_weekly_preference_sends_nothing_at_once_then_one_digest(
    after_commit, publish, author, category, user, smtp_server
):
    _prefer(user, new_project_email="weekly")
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
        publish(title="Plane")
    assert smtp_server.to(user.email) == []
    assert not _follow_events(user).exists()

    _to_last_week()
    with after_commit():
        send_weekly_digests.call_local()
        send_weekly_digests.call_local()  # the periodic task ran twice (or on two consumers)
    [message] = smtp_server.to(user.email)
    assert message["Subject"] == "Your week on Proctique: 2 new things from what you follow"
    text = smtp_server.text_of(message)
    assert f"{author.public_name} published Lathe" in text
    assert f"{author.public_name} published Plane" in text
    assert [e.status for e in _follow_events(user)] == ["sent"]
    [run] = DigestRun.objects.filter(user=user)
    assert run.week == digests.last_week()


def test_default_preferences_are_the_weekly_digest(
    after_commit, publish, author, user, smtp_server
):
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
    assert smtp_server.to(user.email) == []
    _to_last_week()
    with after_commit():
        assert digests.digests_send() == 1
    assert len(smtp_server.to(user.email)) == 1


def test_off_sends_no_email_but_keeps_the_notification(
    after_commit, publish, author, user, smtp_server
):
    _prefer(user, new_project_email="off", new_review_email="off")
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
    _to_last_week()
    with after_commit():
        assert digests.digests_send() == 0
    assert smtp_server.to(user.email) == []
    assert Notification.objects.filter(recipient=user).count() == 1


def test_digest_is_skipped_when_empty(after_commit, publish, author, user, smtp_server):
    services.follow_add(user=user, target=author)
    with after_commit():
        assert digests.digests_send() == 0  # follows something, nothing new
        publish(title="Lathe")
        # This week's news waits for next Monday's digest.
        assert digests.digests_send() == 0
    assert not DigestRun.objects.exists() and not _follow_events(user).exists()

    _to_last_week()
    services.notifications_mark_read(user=user)  # already seen on the site
    with after_commit():
        assert digests.digests_send() == 0
    assert smtp_server.to(user.email) == []


def test_one_digest_per_user_per_week(after_commit, publish, author, user, smtp_server):
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
    _to_last_week()
    now = timezone.now()
    with after_commit():
        assert digests.digests_send(now=now) == 1
        publish(title="Plane")
        Notification.objects.filter(project__title="Plane").update(
            created_at=now - timedelta(days=7)
        )
        assert digests.digests_send(now=now) == 0  # same week: already sent
        assert digests.digests_send(now=now + timedelta(days=7)) == 0  # next week: nothing new
    assert len(smtp_server.to(user.email)) == 1
    assert DigestRun.objects.filter(user=user).count() == 1


def test_preference_changed_before_sending_is_honoured(
    after_commit, publish, author, user, smtp_server
):
    _prefer(user, new_project_email="weekly")
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
    _to_last_week()
    assert digests.digests_send() == 1  # written; its delivery waits for the commit
    _prefer(user, new_project_email="off")
    event = _follow_events(user).get()
    assert delivery.deliver(event.pk)[event.pk].outcome == "skipped"
    event.refresh_from_db()
    assert event.status == "skipped"
    assert smtp_server.to(user.email) == []


@pytest.mark.parametrize(
    ("kind", "field"), [("activity", "new_project_email"), ("weekly_digest", "new_project_email")]
)
def test_one_click_unsubscribe(
    client, after_commit, publish, author, user, smtp_server, kind, field
):
    choice = "instant" if kind == "activity" else "weekly"
    _prefer(user, new_project_email=choice)
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
    if kind == "weekly_digest":
        _to_last_week()
        with after_commit():
            digests.digests_send()
    [message] = smtp_server.to(user.email)
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link in smtp_server.text_of(message)
    # RFC 8058: the mail client POSTs to the link, with no session and no CSRF token.
    response = client.post(
        link.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert getattr(FollowPreferences.objects.get(user=user), field) == "off"

    with after_commit():
        publish(title="Plane")
    Notification.objects.update(created_at=timezone.now())
    with after_commit():
        assert digests.digests_send(now=timezone.now() + timedelta(days=7)) == 0
    assert len(smtp_server.to(user.email)) == 1
