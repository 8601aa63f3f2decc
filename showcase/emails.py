"""The emails the showcase sends (collected by the notifications layer)."""

from proctique.emails import EmailKind, Skip, page_url
from showcase.models import ProjectPage


def project_published(recipient, refs: dict) -> dict:
    """To a project's owner: it went live."""
    project = ProjectPage.objects.filter(pk=refs.get("project_id")).first()
    if project is None:
        raise Skip("the project was deleted")
    if not project.live:
        raise Skip("the project is no longer live")
    return {"project": project, "project_url": page_url(project)}


EMAIL_KINDS = [EmailKind("project_published", "Project published", project_published)]
