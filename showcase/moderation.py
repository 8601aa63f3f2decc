"""The one "Project moderation" workflow, assigned to the projects index unless switched off.

`PROJECT_MODERATION` (on by default) decides: on, the workflow is active and assigned to the
projects index, so an author's publish becomes a submission to the Moderators; off, it is
unassigned and inactive, and authors publish directly. `apply_project_moderation()` is the one
place that brings the database in line with the setting; it runs after every `migrate` (a
post_migrate receiver, so a changed setting takes effect on the next deploy) and in
`seed_demo`. It also removes the look-alike workflow Wagtail's install makes
("Moderators approval"), so the admin offers one.
"""

from django.apps import apps as global_apps
from django.conf import settings

WORKFLOW_NAME = "Project moderation"
TASK_NAME = "Moderator approval"
MODERATORS_GROUP = "Moderators"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def ensure_project_moderation_workflow(apps=global_apps):
    """Create (or return) the workflow with one group-approval task for Moderators."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def unassign_wagtail_default_workflow(apps=global_apps) -> None:
    """Wagtail's install assigns its "Moderators approval" workflow to the tree root.

    Kept for the data migration 0002; `remove_wagtail_default_workflow` now goes further.
    """
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WAGTAIL_DEFAULT_WORKFLOW, page__depth=1).delete()


def remove_wagtail_default_workflow(apps=global_apps) -> None:
    """Delete Wagtail's "Moderators approval" workflow and task, the look-alike of ours.

    One that pages were already moderated by keeps its history: it is unassigned and
    deactivated instead of deleted.
    """
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        WorkflowPage.objects.filter(workflow=workflow).delete()
        if WorkflowState.objects.filter(workflow=workflow).exists():
            Workflow.objects.filter(pk=workflow.pk).update(active=False)
        else:
            workflow.delete()
    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, workflow_tasks__isnull=True):
        if not TaskState.objects.filter(task=task).exists():
            task.delete()


def apply_project_moderation(*, enabled: bool | None = None, apps=global_apps):
    """Bring the workflow in line with PROJECT_MODERATION (or `enabled`); idempotent.

    On: the workflow is active and assigned to the projects index. Off: it is unassigned
    and inactive (moderations in progress can still be finished by a moderator).
    """
    if enabled is None:
        enabled = settings.PROJECT_MODERATION
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ProjectIndexPage = apps.get_model("showcase", "ProjectIndexPage")

    workflow = ensure_project_moderation_workflow(apps)
    remove_wagtail_default_workflow(apps)
    if workflow.active != enabled:
        Workflow.objects.filter(pk=workflow.pk).update(active=enabled)
        workflow.active = enabled
    indexes = ProjectIndexPage.objects.values_list("pk", flat=True)
    if enabled:
        for page_id in indexes:
            WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})
    else:
        WorkflowPage.objects.filter(workflow=workflow).delete()
    return workflow
