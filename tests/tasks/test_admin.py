"""The outbox in the Wagtail admin: superusers only, read-only, filters, retry for failed rows."""

import pytest

from django.urls import NoReverseMatch, reverse

from accounts.factories import DEFAULT_PASSWORD, ModeratorFactory
from tasks.models import EmailEvent

pytestmark = pytest.mark.django_db

INDEX = "tasks_emailevent:index"


@pytest.fixture
def admin_client_(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def events(user):
    make = EmailEvent.objects.create
    return {
        "failed": make(kind="new_review", recipient=user, status="failed", attempts=5,
                       last_error="attempt 5: SMTPDataError: 451"),
        "sent": make(kind="password_reset", recipient=user, status="sent", attempts=1),
        "pending": make(kind="project_published", recipient=user),
    }  # fmt: skip


def test_superuser_sees_the_outbox_and_filters_it(admin_client_, events):
    response = admin_client_.get(reverse(INDEX))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3
    failed = admin_client_.get(reverse(INDEX), {"status": "failed"}).context["object_list"]
    assert list(failed) == [events["failed"]]
    by_kind = admin_client_.get(reverse(INDEX), {"kind": "password_reset"})
    assert list(by_kind.context["object_list"]) == [events["sent"]]
    assert reverse("tasks_emailevent:retry", args=[events["failed"].pk]).encode() in (
        admin_client_.get(reverse(INDEX)).content
    )


def test_inspect_shows_the_last_error(admin_client_, events):
    url = reverse("tasks_emailevent:inspect", args=[events["failed"].pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert b"SMTPDataError: 451" in response.content


def test_no_add_edit_or_delete_views_exist():
    for name, args in [("add", []), ("edit", [1]), ("delete", [1])]:
        with pytest.raises(NoReverseMatch):
            reverse(f"tasks_emailevent:{name}", args=args)


def test_moderators_see_the_outbox_but_do_not_retry(client, events):
    """Moderators hold `tasks.view_emailevent` (the roles migration grants it), not `change`."""
    moderator = ModeratorFactory()
    assert client.login(email=moderator.email, password=DEFAULT_PASSWORD)
    listing = client.get(reverse(INDEX))
    assert listing.status_code == 200 and "Retry" not in listing.content.decode()
    retry = reverse("tasks_emailevent:retry", args=[events["failed"].pk])
    refused = client.post(retry)
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's "no permission"
    events["failed"].refresh_from_db()
    assert events["failed"].status == "failed"


def test_the_outbox_follows_the_groups_permissions(client, events):
    """Take `view_emailevent` from Moderators in the admin and their members lose the outbox."""
    from django.contrib.auth.models import Group, Permission

    moderator = ModeratorFactory()
    Group.objects.get(name="Moderators").permissions.remove(
        Permission.objects.get(codename="view_emailevent")
    )
    assert client.login(email=moderator.email, password=DEFAULT_PASSWORD)
    assert client.get(reverse(INDEX)).status_code == 302  # Wagtail's "no permission" redirect


def test_retry_puts_a_failed_event_back_in_the_queue(
    admin_client_, events, queue, django_capture_on_commit_callbacks
):
    url = reverse("tasks_emailevent:retry", args=[events["failed"].pk])
    assert admin_client_.get(url).status_code == 200  # confirmation page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(url)
    assert response.status_code == 302
    event = events["failed"]
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("pending", 0)
    assert queue.pending_count() == 1


def test_only_failed_events_can_be_retried(admin_client_, events):
    url = reverse("tasks_emailevent:retry", args=[events["sent"].pk])
    assert admin_client_.post(url).status_code == 302
    events["sent"].refresh_from_db()
    assert events["sent"].status == "sent"
