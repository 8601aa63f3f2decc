"""End to end with a real `manage.py run_huey` consumer, Redis and SMTP server: the fan-out
task, the outbox and the digest task deliver each email exactly once."""

from datetime import timedelta

import pytest
from huey.contrib.djhuey import HUEY

from django.utils import timezone

from accounts.factories import AuthorFactory, UserFactory
from follows import services
from follows.models import DigestRun, FollowPreferences, Notification
from follows.tasks import send_weekly_digests
from showcase.factories import CategoryFactory, ProjectPageFactory
from tasks.models import EmailEvent
from tests.tasks.test_faults import consumer_env, settled, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    HUEY.flush()
    yield HUEY
    HUEY.flush()


def test_instant_and_digest_emails_are_delivered_once(
    site_pages, queue, smtp_server, huey_consumer
):
    author = AuthorFactory()
    category = CategoryFactory()
    instant, weekly = UserFactory(), UserFactory()
    FollowPreferences.objects.create(user=instant, new_project_email="instant")
    FollowPreferences.objects.create(user=weekly, new_project_email="weekly")
    for follower in (instant, weekly):
        services.follow_add(user=follower, target=author)
        services.follow_add(user=follower, target=category)  # followed twice over: told once
    huey_consumer(**consumer_env(smtp_server))

    ProjectPageFactory(owner=author, category=category, title="Lathe")  # commits: the task runs
    assert wait_until(lambda: len(smtp_server.to(instant.email)) == 1, 20)
    assert settled()
    assert Notification.objects.filter(recipient__in=[instant, weekly]).count() == 2
    [message] = smtp_server.to(instant.email)
    assert message["Subject"] == f"{author.public_name} published Lathe"
    assert smtp_server.to(weekly.email) == []

    Notification.objects.update(created_at=timezone.now() - timedelta(days=7))
    send_weekly_digests()  # enqueued twice, as two schedulers or a restart might
    send_weekly_digests()
    assert wait_until(lambda: len(smtp_server.to(weekly.email)) == 1, 20)
    assert settled()
    assert len(smtp_server.to(weekly.email)) == 1
    assert len(smtp_server.to(instant.email)) == 1
    assert DigestRun.objects.filter(user=weekly).count() == 1
    assert EmailEvent.objects.filter(kind="weekly_digest").count() == 1
