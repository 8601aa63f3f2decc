import pytest

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectPage
from tests.api.conftest import make_complete, make_image

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
    make_complete(project)
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


def test_list_filters_search_and_ordering(api, author):
    from wagtail.search.backends import get_search_backend

    from showcase.factories import CategoryFactory

    robots = CategoryFactory(slug="robots")
    low = ProjectPageFactory(owner=author, title="Rover", tagline="Mars rover kit", category=robots)
    high = ProjectPageFactory(owner=author, title="Drone", tagline="A quadcopter")
    many = ProjectPageFactory(owner=author, title="Loom", tagline="Weaving machine")
    high.tags.add("flying")
    high.save()
    ProjectPage.objects.filter(pk=high.pk).update(rating_score=4.8, review_count=2)
    ProjectPage.objects.filter(pk=many.pk).update(rating_score=3.0, review_count=9)
    backend = get_search_backend()
    for page in ProjectPage.objects.all():
        backend.add(page)

    def ids(query):
        response = api(None).get(f"/api/projects/{query}")
        assert response.status_code == 200, response.json()
        return [p["id"] for p in response.json()["results"]]

    assert ids("?category=robots") == [low.pk]
    assert ids("?tag=flying") == [high.pk]
    # The same parameters, and the same values, as the web listing's (showcase.filters).
    assert ids("?sort=top")[:2] == [high.pk, many.pk]
    assert ids("?sort=reviews")[:2] == [many.pk, high.pk]
    assert ids("?sort=newest") == [many.pk, high.pk, low.pk]
    assert ids("?q=quadcopter") == [high.pk]
    assert ids("?q=rover&sort=top") == [low.pk]
    bad = api(None).get("/api/projects/?sort=random")
    assert bad.status_code == 400 and "sort" in bad.json()["errors"]


def test_me_projects_includes_drafts(api, author, other_author, project):
    draft = ProjectPageFactory(owner=author, live=False)
    ProjectPageFactory(owner=other_author)
    body = api(author).get("/api/me/projects/").json()
    assert {p["id"]: p["status"] for p in body["results"]} == {
        project.pk: "live",
        draft.pk: "draft",
    }


def test_author_publish_goes_to_moderation_when_index_has_workflow(
    api, author, admin, project_index
):
    from wagtail.models import WorkflowPage

    from showcase.moderation import ensure_project_moderation_workflow

    workflow = ensure_project_moderation_workflow()
    WorkflowPage.objects.create(workflow=workflow, page=project_index)
    draft = ProjectPageFactory(owner=author, live=False)
    draft.cover_image = make_image(author)
    draft.description = [{"type": "paragraph", "value": "<p>Ready.</p>"}]
    draft.save_revision(user=author)
    response = api(author).post(f"/api/projects/{draft.pk}/publish/")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "in_moderation"
    assert body["workflow"] == workflow.name
    assert body["state"] == "in_progress"
    draft.refresh_from_db()
    assert not draft.live
    # Admins publish directly.
    assert api(admin).post(f"/api/projects/{draft.pk}/publish/").status_code == 200
    draft.refresh_from_db()
    assert draft.live


def test_cover_image_must_be_own(api, author, other_author, project):
    from tests.api.conftest import make_image

    foreign = make_image(other_author)
    response = api(author).patch(
        f"/api/projects/{project.pk}/", {"cover_image": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cover_image" in response.json()["errors"]
    mine = make_image(author)
    description = [{"type": "paragraph", "value": "<p>Now complete.</p>"}]
    response = api(author).patch(
        f"/api/projects/{project.pk}/",
        {"cover_image": mine.pk, "description": description, "publish": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["cover_image"]["id"] == mine.pk
