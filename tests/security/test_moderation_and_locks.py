"""Moderation and locks hold on every route: with the workflow assigned an author's publish is a
submission, content in moderation cannot be swapped, and an admin's lock stops every change."""

import pytest

from django.urls import reverse

from wagtail.models import Workflow, WorkflowPage, WorkflowState

from accounts.factories import ModeratorFactory
from showcase.factories import CategoryFactory
from showcase.models import ProjectPage
from showcase.moderation import WORKFLOW_NAME
from tests.security.conftest import client_for, complete_fields
from tests.showcase.admin_forms import project_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderated(project_index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    WorkflowPage.objects.create(workflow=workflow, page=project_index)
    return workflow


@pytest.fixture
def submitted(moderated, author):
    """A project its author has submitted through the API."""
    fields = complete_fields(author, CategoryFactory(), tagline="What the moderator reviews")
    response = client_for(author).post("/api/projects/", {**fields, "publish": True}, format="json")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "in_moderation"
    return ProjectPage.objects.get(owner=author)


def test_an_authors_publish_becomes_a_submission(submitted):
    assert not submitted.live
    state = submitted.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("method", ["patch", "put"])
def test_content_in_moderation_cannot_be_swapped_through_the_api(submitted, author, method):
    body = {"title": "Swapped", "tagline": "Not what was reviewed"}
    response = getattr(client_for(author), method)(
        f"/api/projects/{submitted.pk}/", body, format="json"
    )
    assert response.status_code == 423, response.json()
    assert "moderation" in response.json()["message"].lower()
    latest = ProjectPage.objects.get(pk=submitted.pk).get_latest_revision_as_object()
    assert latest.tagline == "What the moderator reviews"


def test_nor_through_the_admin_edit_view(submitted, author, client):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])
    data = project_form_data(title="Swapped", tagline="Not what was reviewed")
    client.post(url, {**data, "action-publish": "action-publish"})
    latest = ProjectPage.objects.get(pk=submitted.pk).get_latest_revision_as_object()
    assert latest.tagline == "What the moderator reviews"


def test_publishing_again_reports_the_moderation_in_progress(submitted, author):
    response = client_for(author).post(f"/api/projects/{submitted.pk}/publish/")
    assert response.status_code == 202
    assert response.json()["state"] == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.filter(object_id=str(submitted.pk)).count() == 1


def test_the_moderator_approves_what_was_submitted(submitted, author):
    moderator = ModeratorFactory()
    client_for(author).patch(f"/api/projects/{submitted.pk}/", {"tagline": "x"}, format="json")
    task_state = submitted.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    submitted.refresh_from_db()
    assert submitted.live and submitted.tagline == "What the moderator reviews"


def test_admins_bypass_moderation_through_the_api(moderated, admin):
    fields = complete_fields(admin, CategoryFactory())
    response = client_for(admin).post("/api/projects/", {**fields, "publish": True}, format="json")
    assert response.status_code == 201, response.json()
    assert ProjectPage.objects.get(pk=response.json()["id"]).live


@pytest.fixture
def locked(project, admin):
    project.locked, project.locked_by = True, admin
    project.save(update_fields=["locked", "locked_by"])
    return project


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/projects/{pk}/", {"tagline": "Changed while locked"}),
        ("post", "/api/projects/{pk}/publish/", None),
        ("post", "/api/projects/{pk}/unpublish/", None),
        ("delete", "/api/projects/{pk}/", None),
    ],
)
def test_an_admins_lock_stops_the_owner_on_every_api_route(locked, author, method, path, body):
    client = client_for(author)
    response = getattr(client, method)(path.format(pk=locked.pk), body, format="json")
    assert response.status_code == 423, response.content
    assert "locked" in response.json()["message"].lower()
    page = ProjectPage.objects.get(pk=locked.pk)
    assert page.live and page.get_latest_revision_as_object().tagline == locked.tagline


def test_the_lock_holder_may_still_edit(locked, admin):
    response = client_for(admin).patch(
        f"/api/projects/{locked.pk}/", {"tagline": "The admin's own edit"}, format="json"
    )
    assert response.status_code == 200, response.json()
