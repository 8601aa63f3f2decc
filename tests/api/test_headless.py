import pytest

from showcase.factories import ProjectPageFactory
from tests.api.conftest import make_image

pytestmark = pytest.mark.django_db


def test_pages_list_live_projects_only(client, project, author):
    draft = ProjectPageFactory(owner=author, live=False)
    response = client.get("/api/v2/pages/?type=showcase.ProjectPage&fields=*")
    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["items"]]
    assert project.pk in ids
    assert draft.pk not in ids
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_project_detail_has_rating_category_tags_renditions(client, project, author):
    project.cover_image = make_image(author)
    project.tags.add("robots")
    project.save_revision(user=author).publish(user=author)
    body = client.get(f"/api/v2/pages/{project.pk}/").json()
    assert body["category"]["slug"] == project.category.slug
    assert body["author"]["username"] == author.username
    assert body["tags"] == ["robots"]
    assert "rating_average" in body and "review_count" in body
    assert body["cover_thumbnail"]["url"].endswith(".png")
    assert body["cover_thumbnail"]["width"] == 480 or body["cover_thumbnail"]["width"] <= 64


def test_images_only_those_shown_by_live_projects(client, project, author):
    shown = make_image(author, title="shown")
    hidden = make_image(author, title="hidden")
    draft = ProjectPageFactory(owner=author, live=False)
    draft.cover_image = hidden
    draft.save()
    project.cover_image = shown
    project.save_revision(user=author).publish(user=author)
    ids = [item["id"] for item in client.get("/api/v2/images/").json()["items"]]
    assert ids == [shown.pk]
    assert client.get(f"/api/v2/images/{hidden.pk}/").status_code == 404


def test_headless_conditional_get(client, project):
    first = client.get(f"/api/v2/pages/{project.pk}/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(f"/api/v2/pages/{project.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
