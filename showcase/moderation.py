"""The "Project moderation" workflow: created unassigned; an admin assigns it to the index.

Used by the data migration (with historical models) and by tests and seed_demo after a flush.
"""

from django.apps import apps as global_apps

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

    Authors publish directly until an admin assigns a workflow to the projects index, so the
    default assignment is removed (the workflow itself stays for admins to reuse).
    """
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WAGTAIL_DEFAULT_WORKFLOW, page__depth=1).delete()
