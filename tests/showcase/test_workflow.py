"""The "Project moderation" workflow: created unassigned by a migration; both modes work."""

import importlib

import pytest

from django.apps import apps as django_apps
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowState

from accounts.factories import ModeratorFactory
from accounts.models import MODERATORS_GROUP
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from showcase.moderation import TASK_NAME, WAGTAIL_DEFAULT_WORKFLOW, WORKFLOW_NAME
from tests.showcase.admin_forms import complete_form_data

pytestmark = pytest.mark.django_db

PUBLISH = {"action-publish": "action-publish"}
SUBMIT = {"action-submit": "action-submit"}


@pytest.fixture
def workflow(site_pages):
    # site_pages runs ensure_site(), which re-creates the workflow after a transactional
    # test flushed the rows the data migration made.
    return Workflow.objects.get(name=WORKFLOW_NAME)


def run_data_migration():
    migration = importlib.import_module("showcase.migrations.0002_project_moderation_workflow")
    migration.create_workflow(django_apps, None)


def test_data_migration_creates_the_workflow_and_unassigns_wagtails_default(site_pages):
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    GroupApprovalTask.objects.filter(name=TASK_NAME).delete()
    default = Workflow.objects.create(name=WAGTAIL_DEFAULT_WORKFLOW)
    WorkflowPage.objects.create(workflow=default, page=Page.get_first_root_node())

    run_data_migration()
    run_data_migration()  # idempotent

    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert GroupApprovalTask.objects.filter(name=TASK_NAME).count() == 1
    assert not WorkflowPage.objects.exists()
    assert Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).exists()


def test_the_workflow_is_created_unassigned(workflow, project_index):
    tasks = [t.specific for t in workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert [g.name for g in tasks[0].groups.all()] == [MODERATORS_GROUP]
    assert workflow.active
    assert not WorkflowPage.objects.filter(workflow=workflow).exists()
    # Nothing applies to projects until an admin assigns it (Wagtail's root default is removed).
    assert project_index.get_workflow() is None


def test_unassigned_author_publish_goes_live(client, project_index, author):
    page = ProjectPageFactory(owner=author, title="Draft", live=False)
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        complete_form_data(author, page, title="Now live", **PUBLISH),
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.live and page.title == "Now live"
    assert not WorkflowState.objects.exists()


class TestAssignedToTheIndex:
    @pytest.fixture(autouse=True)
    def assigned(self, workflow, project_index):
        WorkflowPage.objects.create(workflow=workflow, page=project_index)

    def test_author_cannot_publish_directly(self, client, project_index, author):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        assert not page.permissions_for_user(author).can_publish()
        assert not project_index.permissions_for_user(author).can_publish_subpage()
        client.force_login(author)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="Sneaky", **PUBLISH),
        )
        assert not Page.objects.get(pk=page.pk).live
        # A new page "published" from the create view stays a draft too.
        add_url = reverse(
            "wagtailadmin_pages:add", args=["showcase", "projectpage", project_index.pk]
        )
        client.post(add_url, complete_form_data(author, title="New", slug="new-one", **PUBLISH))
        assert not ProjectPage.objects.get(slug="new-one").live

    def test_submit_then_moderator_approval_publishes(self, client, project_index, author):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        client.force_login(author)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="Please review", **SUBMIT),
        )
        assert response.status_code == 302
        page = ProjectPage.objects.get(pk=page.pk)
        assert not page.live
        state = page.current_workflow_state
        assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS

        # The author cannot approve their own submission.
        task_state = state.current_task_state
        approve_url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        client.post(approve_url, {"comment": ""})
        assert not Page.objects.get(pk=page.pk).live

        moderator = ModeratorFactory()
        client.force_login(moderator)
        response = client.post(approve_url, {"comment": "Looks good"})
        assert response.status_code == 302
        page = ProjectPage.objects.get(pk=page.pk)
        assert page.live
        assert page.title == "Please review"
        assert page.owner == author

    def test_new_page_submitted_from_the_create_view(self, client, project_index, author):
        client.force_login(author)
        add_url = reverse(
            "wagtailadmin_pages:add", args=["showcase", "projectpage", project_index.pk]
        )
        response = client.post(
            add_url, complete_form_data(author, title="Fresh", slug="fresh", **SUBMIT)
        )
        assert response.status_code == 302
        page = ProjectPage.objects.get(slug="fresh")
        assert not page.live
        assert page.workflow_in_progress

    def test_moderator_still_publishes_directly(self, client, project_index, author):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        client.force_login(ModeratorFactory())
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="By moderator", **PUBLISH),
        )
        assert Page.objects.get(pk=page.pk).live
