"""The emails the showcase sends (collected by the notifications layer)."""

from django.urls import reverse

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


EMAIL_KINDS = [
    EmailKind("project_published", "Project published", project_published),
    EmailKind("comaker_invited", "Co-maker invitation", comaker_invited),
]
