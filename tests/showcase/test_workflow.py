"""The one "Project moderation" workflow: assigned to the projects index after migrate and
seed_demo, off with PROJECT_MODERATION=false; both modes driven through the admin."""

import importlib

import pytest

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Page, Task, Workflow, WorkflowPage, WorkflowState

from accounts.factories import AdminFactory, ModeratorFactory
from accounts.models import MODERATORS_GROUP
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectIndexPage, ProjectPage
from showcase.moderation import TASK_NAME, WAGTAIL_DEFAULT_WORKFLOW, WORKFLOW_NAME
from tasks.models import EmailEvent
from tests.showcase.admin_forms import complete_form_data

pytestmark = pytest.mark.django_db

PUBLISH = {"action-publish": "action-publish"}
SUBMIT = {"action-submit": "action-submit"}


def wagtails_default_workflow():
    """What Wagtail's install makes: a look-alike workflow assigned to the tree root."""
    task = GroupApprovalTask.objects.create(name=WAGTAIL_DEFAULT_WORKFLOW)
    task.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    default = Workflow.objects.create(name=WAGTAIL_DEFAULT_WORKFLOW)
    default.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=default, page=Page.get_first_root_node())


def assert_assigned_once(index):
    assert list(Workflow.objects.values_list("name", flat=True)) == [WORKFLOW_NAME]
    assert list(Task.objects.values_list("name", flat=True)) == [TASK_NAME]
    workflow = Workflow.objects.get()
    assert workflow.active
    assert list(WorkflowPage.objects.values_list("workflow__name", "page_id")) == [
        (WORKFLOW_NAME, index.pk)
    ]
    assert ProjectIndexPage.objects.get(pk=index.pk).get_workflow() == workflow
    [task] = [t.specific for t in workflow.tasks]
    assert [g.name for g in task.groups.all()] == [MODERATORS_GROUP]


def assert_off(index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert not workflow.active
    assert not WorkflowPage.objects.filter(workflow=workflow).exists()
    assert ProjectIndexPage.objects.get(pk=index.pk).get_workflow() is None


def test_migrate_ships_one_workflow_assigned_to_the_projects_index(project_index):
    wagtails_default_workflow()
    call_command("migrate", verbosity=0)
    assert_assigned_once(project_index)
    call_command("migrate", verbosity=0)  # every migrate applies the setting; idempotent
    assert_assigned_once(project_index)


def test_migrate_with_moderation_off_leaves_it_unassigned_and_inactive(project_index, settings):
    call_command("migrate", verbosity=0)
    settings.PROJECT_MODERATION = False
    call_command("migrate", verbosity=0)
    assert_off(project_index)
    assert Workflow.objects.count() == 1
    settings.PROJECT_MODERATION = True
    call_command("migrate", verbosity=0)
    assert_assigned_once(project_index)


def test_a_used_wagtail_default_keeps_its_history_but_is_switched_off(project_index, author):
    wagtails_default_workflow()
    default = Workflow.objects.get(name=WAGTAIL_DEFAULT_WORKFLOW)
    page = ProjectPageFactory(owner=author, live=False)
    WorkflowState.objects.create(
        workflow=default,
        content_type=ContentType.objects.get_for_model(ProjectPage),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        status=WorkflowState.STATUS_APPROVED,
        requested_by=author,
    )
    call_command("migrate", verbosity=0)
    default.refresh_from_db()
    assert not default.active
    assert not WorkflowPage.objects.filter(workflow=default).exists()
    assert ProjectPage.objects.get(pk=page.pk).get_workflow().name == WORKFLOW_NAME


def test_seed_demo_assigns_it_and_honours_the_setting(settings):
    call_command("seed_demo", verbosity=0)
    index = ProjectIndexPage.objects.get()
    assert_assigned_once(index)
    settings.PROJECT_MODERATION = False
    call_command("seed_demo", verbosity=0)
    assert_off(index)
    settings.PROJECT_MODERATION = True
    call_command("seed_demo", verbosity=0)
    assert_assigned_once(index)


def test_the_data_migration_is_idempotent(site_pages):
    migration = importlib.import_module("showcase.migrations.0002_project_moderation_workflow")
    migration.create_workflow(django_apps, None)
    migration.create_workflow(django_apps, None)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert GroupApprovalTask.objects.filter(name=TASK_NAME).count() == 1


@pytest.fixture
def moderation_on(project_index, settings):
    settings.PROJECT_MODERATION = True
    call_command("migrate", verbosity=0)
    return Workflow.objects.get(name=WORKFLOW_NAME)


@pytest.fixture
def moderation_off(project_index, settings):
    settings.PROJECT_MODERATION = False
    call_command("migrate", verbosity=0)


def test_with_moderation_off_an_authors_publish_in_the_admin_goes_live(
    client, moderation_off, author, django_capture_on_commit_callbacks
):
    ModeratorFactory()
    page = ProjectPageFactory(owner=author, title="Draft", live=False)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="Now live", **PUBLISH),
        )
    assert response.status_code == 302
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.live and page.title == "Now live"
    assert not WorkflowState.objects.exists()
    assert not EmailEvent.objects.filter(kind="moderation_submitted").exists()


class TestModerationOn:
    @pytest.fixture(autouse=True)
    def on(self, moderation_on):
        return moderation_on

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

    def test_a_submission_sends_one_branded_email_to_each_moderator(
        self, client, author, huey_immediate, django_capture_on_commit_callbacks
    ):
        moderators = [ModeratorFactory(), ModeratorFactory(), AdminFactory()]
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        EmailEvent.objects.all().delete()
        mail.outbox.clear()
        client.force_login(author)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                complete_form_data(author, page, title="Please review", **SUBMIT),
            )
            assert response.status_code == 302
            # Wagtail's own notifiers would have sent straight from the request by now.
            assert mail.outbox == []

        state = ProjectPage.objects.get(pk=page.pk).current_workflow_state
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        events = EmailEvent.objects.filter(kind="moderation_submitted")
        assert sorted(events.values_list("recipient_id", flat=True)) == sorted(
            m.pk for m in moderators
        )
        assert set(events.values_list("status", flat=True)) == {"sent"}
        # Exactly one message per moderator (the superuser too, who is in no group), none
        # to the author, every one ours: HTML and text from our templates.
        assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == sorted(
            m.email for m in moderators
        )
        for message in mail.outbox:
            assert message.subject == "Please review is waiting for your approval"
            html = message.alternatives[0][0]
            assert "Proctique" in html and "Review the project" in html
            assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in message.body
            assert "List-Unsubscribe" in message.extra_headers

    def test_approval_publishes_and_sends_the_published_email_only(
        self, client, author, huey_immediate, django_capture_on_commit_callbacks
    ):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        client.force_login(author)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="Please review", **SUBMIT),
        )
        task_state = ProjectPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
        approve_url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        # The author cannot approve their own submission.
        client.post(approve_url, {"comment": ""})
        assert not Page.objects.get(pk=page.pk).live

        client.force_login(ModeratorFactory())
        EmailEvent.objects.all().delete()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(approve_url, {"comment": "Looks good"})
        assert response.status_code == 302
        page = ProjectPage.objects.get(pk=page.pk)
        assert page.live and page.title == "Please review" and page.owner == author
        assert list(EmailEvent.objects.values_list("kind", "recipient_id")) == [
            ("project_published", author.pk)
        ]
        [message] = mail.outbox
        assert message.to[0].endswith(f"<{author.email}>") and "Please review" in message.subject

    def test_a_request_for_changes_tells_the_author_once(
        self, client, author, huey_immediate, django_capture_on_commit_callbacks
    ):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        client.force_login(author)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="Please review", **SUBMIT),
        )
        task_state = ProjectPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
        reject_url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]
        )
        client.force_login(ModeratorFactory())
        EmailEvent.objects.all().delete()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reject_url, {"comment": "Add a <b>screenshot</b>"})
        assert not Page.objects.get(pk=page.pk).live
        [message] = mail.outbox
        assert message.to[0].endswith(f"<{author.email}>")
        assert message.subject == "Changes requested on Please review"
        html = message.alternatives[0][0]
        assert "Add a &lt;b&gt;screenshot&lt;/b&gt;" in html

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

    def test_moderator_still_publishes_directly(self, client, author):
        page = ProjectPageFactory(owner=author, title="Draft", live=False)
        client.force_login(ModeratorFactory())
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            complete_form_data(author, page, title="By moderator", **PUBLISH),
        )
        assert Page.objects.get(pk=page.pk).live
