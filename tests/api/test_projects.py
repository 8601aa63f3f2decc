import pytest

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectPage

pytestmark = pytest.mark.django_db


def test_list_shows_published_only(api, project, author):
    ProjectPageFactory(owner=author, live=False, title="Hidden draft")
    response = api(None).get("/api/projects/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [project.pk]
    item = response.json()["results"][0]
    assert item["author"]["username"] == author.username
    assert item["status"] == "live"
    assert item["url"].endswith(f"/projects/{project.slug}/")


def test_detail_by_id_and_slug(api, project):
    by_id = api(None).get(f"/api/projects/{project.pk}/")
    by_slug = api(None).get(f"/api/projects/{project.slug}/")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    assert by_id.json()["title"] == project.title


def test_author_creates_draft_under_index(api, author, project_index):
    category = CategoryFactory()
    response = api(author).post(
        "/api/projects/",
        {
            "title": "Lathe",
            "tagline": "A tiny lathe controller",
            "category": category.slug,
            "tags": ["cnc", "python"],
            "description": [{"type": "paragraph", "value": "<p>Hello</p>"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    page = ProjectPage.objects.get(pk=response.json()["id"])
    assert page.owner == author
    assert not page.live
    assert page.get_parent().pk == project_index.pk
    assert sorted(t.name for t in page.tags.all()) == ["cnc", "python"]
    assert response.json()["status"] == "draft"
    # Drafts are invisible to others, visible to their author.
    assert api(None).get(f"/api/projects/{page.pk}/").status_code == 404
    assert api(author).get(f"/api/projects/{page.pk}/").status_code == 200


def test_update_saves_revision_without_publishing(api, author, project):
    response = api(author).patch(
        f"/api/projects/{project.pk}/", {"tagline": "Changed tagline"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["tagline"] == "Changed tagline"
    project.refresh_from_db()
    assert project.tagline != "Changed tagline"
    assert project.has_unpublished_changes
    response = api(author).post(f"/api/projects/{project.pk}/publish/")
    assert response.status_code == 200, response.json()
    project.refresh_from_db()
    assert project.tagline == "Changed tagline"


def test_unpublish_and_delete(api, author, project):
    assert api(author).post(f"/api/projects/{project.pk}/unpublish/").status_code == 200
    project.refresh_from_db()
    assert not project.live
    assert api(author).delete(f"/api/projects/{project.pk}/").status_code == 204
    assert not ProjectPage.objects.filter(pk=project.pk).exists()


def test_other_author_cannot_touch(api, other_author, project):
    client = api(other_author)
    assert (
        client.patch(f"/api/projects/{project.pk}/", {"tagline": "x"}, format="json").status_code
        == 403
    )
    assert client.post(f"/api/projects/{project.pk}/unpublish/").status_code == 403
    assert client.delete(f"/api/projects/{project.pk}/").status_code == 403
