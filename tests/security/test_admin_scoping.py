"""In the Wagtail admin, an author sees only their own projects: explorer, search, choosers,
the admin API, reports and bulk-action confirmations never name another author's draft."""

import pytest

from django.urls import reverse

from accounts.factories import ModeratorFactory
from showcase.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db
SECRET = "Zebrasecret draft title"


@pytest.fixture
def theirs(project_index, other_author):
    page = ProjectPageFactory(owner=other_author, title="Zebralive theirs", slug="zebra-live")
    page.title = SECRET
    page.save_revision(user=other_author)  # an unpublished edit of a live page
    draft = ProjectPageFactory(
        owner=other_author, title=f"{SECRET} two", slug="never-published", live=False
    )
    return page, draft


@pytest.fixture
def author_client(client, author, theirs, reindex):
    reindex()
    client.force_login(author)
    return client


def pages(theirs):
    return [str(p.pk) for p in theirs]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{index}/",
        "/admin/pages/search/?q=Zebrasecret",
        "/admin/choose-page/{index}/",
        "/admin/choose-page/search/?q=Zebrasecret",
        "/admin/api/main/pages/?child_of={index}&fields=admin_display_title",
        "/admin/api/main/pages/?search=Zebrasecret",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/bulk/wagtailcore/page/delete/?id={live}&id={draft}",
        "/admin/bulk/wagtailcore/page/unpublish/?id={live}&id={draft}",
        "/admin/bulk/wagtailcore/page/move/?id={live}&id={draft}",
    ],
)
def test_no_admin_listing_names_another_authors_pages(author_client, theirs, project_index, url):
    live, draft = theirs
    response = author_client.get(url.format(index=project_index.pk, live=live.pk, draft=draft.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body and "never-published" not in body


@pytest.mark.parametrize("pk", ["live", "draft"])
def test_the_admin_api_does_not_find_them(author_client, theirs, pk):
    page = theirs[0] if pk == "live" else theirs[1]
    assert author_client.get(f"/admin/api/main/pages/{page.pk}/").status_code == 404


def test_the_locked_pages_report_turns_authors_away(author_client):
    assert author_client.get("/admin/reports/locked/").url == "/admin/"


def test_the_page_types_report_is_for_admins(author_client, client):
    assert author_client.get("/admin/reports/page-types-usage/").status_code == 403
    client.force_login(ModeratorFactory())
    assert client.get("/admin/reports/page-types-usage/").status_code == 200


def test_a_moderator_sees_every_project(client, theirs, project_index):
    client.force_login(ModeratorFactory())
    body = client.get(reverse("wagtailadmin_explore", args=[project_index.pk])).content.decode()
    assert SECRET in body
