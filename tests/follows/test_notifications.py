"""Notifications: made when a followed author publishes, a project appears in a followed
category, or a followed project is reviewed; once each; listed with an unread count; marked
read on the web and in the API."""

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from accounts.factories import UserFactory
from follows import services
from follows.models import Follow, FollowPreferences, Notification
from follows.tasks import notify_project_followers, notify_review_followers
from showcase.factories import ProjectPageFactory
from tasks.models import EmailEvent
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def _kinds(user):
    return sorted((n.kind, n.project.title) for n in Notification.objects.filter(recipient=user))


def test_a_followed_author_publishing_notifies(after_commit, publish, author, user):
    services.follow_add(user=user, target=author)
    with after_commit():
        project = publish(title="Lathe")
    [notification] = Notification.objects.filter(recipient=user)
    assert (notification.kind, notification.project, notification.actor) == (
        "new_project",
        project,
        author,
    )
    assert notification.read_at is None
    assert not Notification.objects.filter(recipient=author).exists()


def test_a_project_in_a_followed_category_notifies(after_commit, publish, category, user):
    services.follow_add(user=user, target=category)
    with after_commit():
        publish(title="Lathe")
    assert _kinds(user) == [("new_project", "Lathe")]


def test_following_both_author_and_category_notifies_once(
    after_commit, publish, author, category, user
):
    services.follow_add(user=user, target=author)
    services.follow_add(user=user, target=category)
    with after_commit():
        publish(title="Lathe")
    assert _kinds(user) == [("new_project", "Lathe")]


def test_nothing_for_people_who_follow_something_else(after_commit, publish, user, other_author):
    services.follow_add(user=user, target=other_author)
    with after_commit():
        publish(title="Lathe")
    assert not Notification.objects.exists()


def test_edits_drafts_and_republishing_a_live_page_notify_nobody_again(
    after_commit, publish, project_index, author, user
):
    services.follow_add(user=user, target=author)
    with after_commit():
        draft = ProjectPageFactory(owner=author, live=False)
    assert not Notification.objects.exists()
    with after_commit():
        draft.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    assert Notification.objects.count() == 1
    with after_commit():
        draft.refresh_from_db()
        draft.tagline = "An edit of a live page"
        draft.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    assert Notification.objects.count() == 1


def test_a_review_of_a_followed_project_notifies(after_commit, project, author, user, post_review):
    follower = UserFactory()
    services.follow_add(user=follower, target=project)
    services.follow_add(user=user, target=project)
    with after_commit():
        review = post_review(user, project)
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind, notification.review) == (
        follower,
        "new_review",
        review,
    )
    assert notification.actor == user  # the writer is not told of their own review


def test_the_fan_out_runs_twice_and_notifies_once(
    after_commit, publish, project, user, post_review
):
    services.follow_add(user=user, target=project.owner)
    with after_commit():
        new = publish(title="Lathe")
    notify_project_followers.call_local(new.pk)
    assert Notification.objects.filter(recipient=user, kind="new_project").count() == 1

    follower = UserFactory()
    services.follow_add(user=follower, target=project)
    with after_commit():
        review = post_review(user, project)
    notify_review_followers.call_local(review.pk)
    assert Notification.objects.filter(recipient=follower, kind="new_review").count() == 1


def test_unread_count_and_mark_read_on_the_web(client, after_commit, publish, author, user):
    services.follow_add(user=user, target=author)
    with after_commit():
        publish(title="Lathe")
        publish(title="Plane")
    client.force_login(user)
    home = client.get("/projects/").content.decode()
    assert 'data-unread="2"' in home
    page = client.get("/notifications/").content.decode()
    assert "2 unread" in page and "published" in page and "Lathe" in page and "Plane" in page

    first = Notification.objects.filter(recipient=user).order_by("pk").first()
    response = client.post("/notifications/read/", {"notification": first.pk})
    assert response.status_code == 302
    assert 'data-unread="1"' in client.get("/projects/").content.decode()

    client.post("/notifications/read/")
    page = client.get("/notifications/").content.decode()
    assert "0 unread" in page and "data-unread" not in page
    assert not Notification.objects.unread().exists()


def test_one_cannot_mark_someone_elses_notifications(client, after_commit, publish, author, user):
    other = UserFactory()
    services.follow_add(user=other, target=author)
    with after_commit():
        publish(title="Lathe")
    theirs = Notification.objects.get(recipient=other)
    client.force_login(user)
    client.post("/notifications/read/", {"notification": theirs.pk})
    client_for(user).post("/api/notifications/mark-read/", {"ids": [theirs.pk]}, format="json")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for(user).get("/api/notifications/").json()["count"] == 0


def test_notifications_in_the_api(after_commit, publish, author, user):
    services.follow_add(user=user, target=author)
    with after_commit():
        first = publish(title="Lathe")
        publish(title="Plane")
    api = client_for(user)
    listed = api.get("/api/notifications/").json()
    assert listed["count"] == 2
    assert {n["project"]["title"] for n in listed["results"]} == {"Lathe", "Plane"}
    assert listed["results"][0]["actor"]["username"] == author.username
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 2}

    one = Notification.objects.get(project=first).pk
    marked = api.post("/api/notifications/mark-read/", {"ids": [one]}, format="json").json()
    assert marked == {"marked": 1, "unread": 1}
    assert api.post("/api/notifications/mark-read/", {}, format="json").json() == {
        "marked": 1,
        "unread": 0,
    }
    bad = api.post("/api/notifications/mark-read/", {"ids": ["x"]}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]


@pytest.mark.parametrize("path", ["/notifications/", "/feed/", "/notifications/preferences/"])
def test_visitors_are_sent_to_sign_in(client, site_pages, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "path",
    ["/api/notifications/", "/api/notifications/unread-count/", "/api/feed/", "/api/follows/"],
)
def test_visitors_get_401_from_the_api(site_pages, path):
    assert client_for(None).get(path).status_code == 401


def test_visitors_see_no_badge(client, site_pages):
    page = client.get("/projects/").content.decode()
    assert "/notifications/" not in page


def test_removing_a_follow_stops_new_notifications(after_commit, publish, author, user):
    follow, _ = services.follow_add(user=user, target=author)
    services.follow_remove(user=user, follow=follow)
    with after_commit():
        publish(title="Lathe")
    assert not Notification.objects.exists()
    assert not Follow.objects.exists()


def test_a_project_unpublished_since_drops_out_of_the_list(after_commit, publish, author, user):
    services.follow_add(user=user, target=author)
    with after_commit():
        project = publish(title="Lathe")
        publish(title="Plane")
    project.unpublish()
    api = client_for(user)
    assert [n["project"]["title"] for n in api.get("/api/notifications/").json()["results"]] == [
        "Plane"
    ]
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 1}


def test_with_redis_down_the_fan_out_still_happens(
    django_capture_on_commit_callbacks, monkeypatch, publish, author, user
):
    """Enqueueing after commit fails: the fan-out runs in the request instead, and its emails
    wait in the outbox for the sweep."""
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(name=HUEY.name, url="redis://127.0.0.1:1/0"))
    FollowPreferences.objects.create(user=user, new_project_email="instant")
    services.follow_add(user=user, target=author)
    with django_capture_on_commit_callbacks(execute=True):
        publish(title="Lathe")
    assert _kinds(user) == [("new_project", "Lathe")]
    [event] = EmailEvent.objects.filter(recipient=user, kind="activity")
    assert event.status == "pending"


def test_a_signed_in_badge_is_never_served_to_others(
    client, settings, after_commit, publish, author, user
):
    settings.PAGE_CACHE_SECONDS = 300  # the whole-response cache on
    services.follow_add(user=user, target=author)
    with after_commit():
        project = publish(title="Lathe")
    for url in ("/projects/", project.url, f"/authors/{author.username}/"):
        client.force_login(user)
        signed_in = client.get(url)
        assert 'data-unread="1"' in signed_in.content.decode()
        assert signed_in["Cache-Control"].startswith("private")
        client.logout()
        client.cookies.clear()
        for _ in range(2):  # the second answer may come from the cache
            visitor = client.get(url).content.decode()
            assert "data-unread" not in visitor and "/notifications/" not in visitor
            assert 'aria-pressed="true"' not in visitor
