"""Ownership in the Wagtail admin: each denial is tested by requesting the admin URL directly."""

import pytest

from django.urls import reverse

from wagtail.models import Page

from accounts.factories import ModeratorFactory
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from tests.showcase.admin_forms import complete_form_data, project_form_data

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/admin/"


def assert_refused(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect home and an error."""
    if response.status_code == 302:
        assert response["Location"] == ADMIN_HOME, response["Location"]
    else:
        assert response.status_code == 403, response.status_code


def snapshot(page):
    row = Page.objects.get(pk=page.pk)
    return (row.title, row.live, row.locked, row.latest_revision_id, row.has_unpublished_changes)


@pytest.fixture
def victim(project_index, author):
    """A live project owned by `author`."""
    return ProjectPageFactory(owner=author, title="Owned by author")


@pytest.mark.parametrize(
    ("method", "url_name", "data"),
    [
        ("get", "wagtailadmin_pages:edit", None),
        ("post", "wagtailadmin_pages:edit", "publish"),
        ("post", "wagtailadmin_pages:edit", "draft"),
        ("get", "wagtailadmin_pages:unpublish", None),
        ("post", "wagtailadmin_pages:unpublish", {}),
        ("get", "wagtailadmin_pages:delete", None),
        ("post", "wagtailadmin_pages:delete", {}),
        ("post", "wagtailadmin_pages:lock", {}),
        ("get", "wagtailadmin_pages:move", None),
        ("get", "wagtailadmin_pages:copy", None),
    ],
)
def test_other_author_is_refused(client, victim, other_author, method, url_name, data):
    before = snapshot(victim)
    client.force_login(other_author)
    url = reverse(url_name, args=[victim.pk])
    if data == "publish":
        data = project_form_data(victim, title="Hijacked", **{"action-publish": "action-publish"})
    elif data == "draft":
        data = project_form_data(victim, title="Hijacked")
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert_refused(response)
    assert snapshot(victim) == before
    assert ProjectPage.objects.get(pk=victim.pk).title == "Owned by author"


def test_other_author_cannot_bulk_unpublish_or_delete(client, victim, other_author):
    client.force_login(other_author)
    for action in ("unpublish", "delete"):
        url = f"/admin/bulk/wagtailcore/page/{action}/?next=/admin/&id={victim.pk}"
        client.post(url, {})
    assert Page.objects.filter(pk=victim.pk, live=True).exists()


def test_other_author_cannot_unschedule_or_reschedule(client, victim, author, other_author):
    from datetime import timedelta

    from django.utils import timezone

    page = ProjectPage.objects.get(pk=victim.pk)
    page.go_live_at = timezone.now() + timedelta(days=3)
    revision = page.save_revision(user=author, approved_go_live_at=page.go_live_at)
    client.force_login(other_author)
    url = reverse("wagtailadmin_pages:revisions_unschedule", args=[victim.pk, revision.pk])
    assert_refused(client.get(url))
    assert_refused(client.post(url, {}))
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # Scheduling goes through the edit form, which the rival cannot open.
    edit = reverse("wagtailadmin_pages:edit", args=[victim.pk])
    data = project_form_data(
        victim, go_live_at="2030-01-01 10:00", **{"action-publish": "action-publish"}
    )
    assert_refused(client.post(edit, data))


def test_permission_tester_matrix(victim, author, other_author, admin):
    moderator = ModeratorFactory()
    page = ProjectPage.objects.get(pk=victim.pk)
    other = page.permissions_for_user(other_author)
    assert not other.can_edit()
    assert not other.can_publish()
    assert not other.can_unpublish()
    assert not other.can_delete()
    assert not other.can_lock()
    assert not other.can_unschedule()
    assert not other.can_move()
    assert not other.can_copy()
    owner = page.permissions_for_user(author)
    assert owner.can_edit() and owner.can_publish() and owner.can_unpublish()
    assert owner.can_delete()
    for boss in (moderator, admin):
        tester = page.permissions_for_user(boss)
        assert tester.can_edit() and tester.can_publish() and tester.can_unpublish()
        assert tester.can_lock()


def test_owner_can_edit_publish_and_unpublish(client, victim, author):
    client.force_login(author)
    edit_url = reverse("wagtailadmin_pages:edit", args=[victim.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        complete_form_data(author, victim, title="Renamed", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert ProjectPage.objects.get(pk=victim.pk).title == "Renamed"
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[victim.pk]), {})
    assert response.status_code == 302
    assert not Page.objects.get(pk=victim.pk).live


def test_owner_can_delete(client, victim, author):
    client.force_login(author)
    client.post(reverse("wagtailadmin_pages:delete", args=[victim.pk]), {})
    assert not Page.objects.filter(pk=victim.pk).exists()


def test_moderator_can_unpublish_anyones_project(client, victim):
    client.force_login(ModeratorFactory())
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[victim.pk]), {})
    assert response.status_code == 302
    assert not Page.objects.get(pk=victim.pk).live


def test_author_creates_and_publishes_under_the_index(client, project_index, author):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:add", args=["showcase", "projectpage", project_index.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        complete_form_data(
            author, title="Brand new", slug="brand-new", **{"action-publish": "action-publish"}
        ),
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(slug="brand-new")
    assert page.live
    assert page.owner == author


def test_projects_cannot_live_outside_the_index(client, site_pages, admin):
    home, _ = site_pages
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=["showcase", "projectpage", home.pk])
    assert_refused(client.get(url))


def test_feed_slug_is_reserved(client, project_index, author):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:add", args=["showcase", "projectpage", project_index.pk])
    response = client.post(url, project_form_data(title="Feed", slug="feed"))
    assert response.status_code == 200
    assert not ProjectPage.objects.filter(slug="feed").exists()


class TestDraftsAreHidden:
    @pytest.fixture
    def drafts(self, project_index, author, other_author):
        return (
            ProjectPageFactory(owner=author, title="Zebradraft mine", live=False),
            ProjectPageFactory(owner=other_author, title="Zebradraft theirs", live=False),
            ProjectPageFactory(owner=other_author, title="Zebralive theirs"),
        )

    def test_explorer_listing(self, client, drafts, project_index, author):
        client.force_login(author)
        content = client.get(reverse("wagtailadmin_explore", args=[project_index.pk])).content
        assert b"Zebradraft mine" in content
        # An author's explorer is their own projects: nothing of another author's shows.
        assert b"Zebralive theirs" not in content
        assert b"Zebradraft theirs" not in content

    def test_admin_search(self, client, drafts, author, reindex):
        reindex()
        client.force_login(author)
        content = client.get(reverse("wagtailadmin_pages:search"), {"q": "Zebradraft"}).content
        assert b"Zebradraft mine" in content
        assert b"Zebradraft theirs" not in content

    def test_page_chooser(self, client, drafts, project_index, author, reindex):
        reindex()
        client.force_login(author)
        listing = client.get(reverse("wagtailadmin_choose_page_child", args=[project_index.pk]))
        assert b"Zebradraft mine" in listing.content
        assert b"Zebralive theirs" not in listing.content
        assert b"Zebradraft theirs" not in listing.content
        search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Zebradraft"})
        assert b"Zebradraft mine" in search.content
        assert b"Zebradraft theirs" not in search.content

    def test_moderator_sees_every_draft(self, client, drafts, project_index):
        client.force_login(ModeratorFactory())
        content = client.get(reverse("wagtailadmin_explore", args=[project_index.pk])).content
        assert b"Zebradraft mine" in content
        assert b"Zebradraft theirs" in content

    def test_other_authors_draft_edit_url_is_refused(self, client, drafts, author):
        client.force_login(author)
        assert_refused(client.get(reverse("wagtailadmin_pages:edit", args=[drafts[1].pk])))
