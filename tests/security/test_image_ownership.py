"""A page may use only images its owner uploaded (or an admin did, or the site's own): the
rule lives on the page model, so the API, the admin and any other route share it."""

import pytest

from django.urls import reverse

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectGalleryImage, ProjectPage
from tests.security.conftest import client_for, complete_fields, make_image
from tests.showcase.admin_forms import project_form_data

pytestmark = pytest.mark.django_db
FOREIGN = "belongs to someone else"


def test_api_refuses_another_authors_image_as_cover(author, other_author):
    theirs = make_image(other_author, title="theirs")
    fields = complete_fields(author, CategoryFactory(), cover_image=theirs.pk)
    response = client_for(author).post("/api/projects/", fields, format="json")
    assert response.status_code == 400
    assert FOREIGN in response.json()["errors"]["cover_image"][0]
    assert not ProjectPage.objects.filter(owner=author).exists()


def test_api_refuses_another_authors_image_in_the_description(author, other_author, project):
    theirs = make_image(other_author, title="theirs")
    response = client_for(author).patch(
        f"/api/projects/{project.pk}/",
        {"description": [{"type": "image", "value": {"image": theirs.pk, "alt_text": "x"}}]},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert FOREIGN in response.json()["errors"]["description"][0]


def test_api_accepts_own_and_admin_images(author, admin):
    fields = complete_fields(author, CategoryFactory())
    fields["description"].append(
        {"type": "image", "value": {"image": make_image(admin).pk, "alt_text": "shared"}}
    )
    response = client_for(author).post("/api/projects/", fields, format="json")
    assert response.status_code == 201, response.json()


def test_admin_form_refuses_another_authors_cover(client, author, other_author, project):
    theirs = make_image(other_author, title="theirs")
    client.force_login(author)
    url = reverse("wagtailadmin_pages:edit", args=[project.pk])
    response = client.post(url, project_form_data(project, cover_image=theirs.pk))
    assert response.status_code == 200
    assert FOREIGN in str(response.context["form"].errors["cover_image"])
    latest = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert latest.cover_image_id != theirs.pk


def test_gallery_rule_holds_for_code_too(author, other_author):
    page = ProjectPageFactory(owner=author)
    page.gallery_images.add(ProjectGalleryImage(image=make_image(other_author)))
    with pytest.raises(Exception, match=FOREIGN):
        page.save_revision(user=author, clean=True)


def test_the_image_chooser_lists_an_authors_own_images(client, author, other_author):
    make_image(author, title="Mine to choose")
    make_image(other_author, title="Theirs not to choose")
    client.force_login(author)
    html = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Mine to choose" in html and "Theirs not to choose" not in html


def test_headless_images_expose_only_what_discoverable_projects_show(client, author, project):
    private = make_image(author, title="Unused private image")
    assert client.get(f"/api/v2/images/{private.pk}/").status_code == 404
    ids = [item["id"] for item in client.get("/api/v2/images/").json()["items"]]
    assert private.pk not in ids
