"""The emails the showcase sends (collected by the notifications layer)."""

from django.urls import reverse

from wagtail.models import TaskState

from proctique.emails import EmailKind, Skip, absolute_url, page_url
from showcase.models import ProjectMember, ProjectPage


def project_published(recipient, refs: dict) -> dict:
    """To a project's owner: it went live."""
    project = ProjectPage.objects.filter(pk=refs.get("project_id")).first()
    if project is None:
        raise Skip("the project was deleted")
    if not project.live:
        raise Skip("the project is no longer live")
    return {"project": project, "project_url": page_url(project)}


def comaker_invited(recipient, refs: dict) -> dict:
    """To someone the owner invited to co-make a project."""
    membership = (
        ProjectMember.objects.select_related("project", "invited_by")
        .filter(pk=refs.get("membership_id"), user=recipient, status=ProjectMember.Status.INVITED)
        .first()
    )
    if membership is None:
        raise Skip("the invitation was withdrawn or answered")
    return {
        "membership": membership,
        "project": membership.project,
        "inviter": membership.invited_by,
        "invitations_url": absolute_url(reverse("project_invitations")),
    }


def _task_state(refs: dict):
    state = (
        TaskState.objects.select_related("workflow_state__requested_by", "task")
        .filter(pk=refs.get("task_state_id"))
        .first()
    )
    if state is None:
        raise Skip("the moderation was cancelled")
    project = ProjectPage.objects.filter(pk=state.workflow_state.object_id).first()
    if project is None:
        raise Skip("the project was deleted")
    return state, project


def moderation_submitted(recipient, refs: dict) -> dict:
    """To a moderator: a project awaits their approval (one email per submission)."""
    state, project = _task_state(refs)
    if state.status != TaskState.STATUS_IN_PROGRESS:
        raise Skip("the submission was already handled")
    return {
        "project": project,
        "requested_by": state.workflow_state.requested_by,
        "review_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[project.pk])),
        "preview_url": absolute_url(
            reverse("wagtailadmin_pages:workflow_preview", args=[project.pk, state.task_id])
        ),
    }


def moderation_rejected(recipient, refs: dict) -> dict:
    """To the author who submitted: a moderator asked for changes (approval sends the
    "published" email instead, so each outcome is one email)."""
    state, project = _task_state(refs)
    return {
        "project": project,
        "comment": state.get_comment(),
        "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[project.pk])),
    }


EMAIL_KINDS = [
    EmailKind("project_published", "Project published", project_published),
    EmailKind("comaker_invited", "Co-maker invitation", comaker_invited),
    EmailKind(
        "moderation_submitted",
        "Submitted for moderation",
        moderation_submitted,
        preference="notify_moderation_submissions",
    ),
    EmailKind("moderation_rejected", "Changes requested", moderation_rejected),
]
