"""A project needs a cover, a category and a description to go live; drafts may be incomplete.
The same rule answers in the admin (a field error) and the API (400 with field messages)."""

import pytest

from django.urls import reverse

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectPage
from tests.api.conftest import client_for, make_image
from tests.showcase.admin_forms import project_form_data

pytestmark = pytest.mark.django_db
MESSAGES = {
    "cover_image": "Add a cover image before publishing.",
    "category": "Choose a category before publishing.",
    "description": "Describe the project before publishing.",
}


def test_the_admin_saves_an_incomplete_draft_but_refuses_to_publish_it(
    client, author, project_index
):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:add", args=["showcase", "projectpage", project_index.pk])
    data = project_form_data(title="Half done", slug="half-done", category="")
    assert client.post(url, data).status_code == 302  # a draft
    page = ProjectPage.objects.get(slug="half-done")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    refused = client.post(edit, {**project_form_data(page), "action-publish": "action-publish"})
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    for field, message in MESSAGES.items():
        assert errors[field] == [message]
    assert not ProjectPage.objects.get(pk=page.pk).live


def test_the_api_names_what_is_missing(author, project_index):
    response = client_for(author).post(
        "/api/projects/",
        {"title": "Half done", "tagline": "Not yet", "publish": True},
        format="json",
    )
    assert response.status_code == 400
    assert {k: v[0] for k, v in response.json()["errors"].items()} == MESSAGES
    # Nothing half-made is left behind: the draft itself was not kept either.
    assert not ProjectPage.objects.filter(title="Half done").exists()


def test_a_complete_draft_publishes(author, project_index):
    draft = ProjectPageFactory(owner=author, live=False, category=CategoryFactory())
    draft.cover_image = make_image(author)
    draft.description = [{"type": "paragraph", "value": "<p>Ready.</p>"}]
    draft.save_revision(user=author)
    response = client_for(author).post(f"/api/projects/{draft.pk}/publish/")
    assert response.status_code == 200, response.json()
    assert ProjectPage.objects.get(pk=draft.pk).live


def test_the_rule_can_be_turned_off(author, project_index, settings):
    settings.PROJECTS_REQUIRE_COMPLETE = False
    response = client_for(author).post(
        "/api/projects/", {"title": "Bare", "tagline": "Allowed", "publish": True}, format="json"
    )
    assert response.status_code == 201, response.json()
