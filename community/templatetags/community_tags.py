"""What the community app adds to the showcase's pages, as template tags (so the showcase never
imports it): `{% project_community page %}` (the upvote button and "Save to collection")."""

from django import template
from django.urls import reverse

from community import services
from community.forms import SaveToCollectionForm

register = template.Library()


@register.inclusion_tag("community/includes/project_community.html", takes_context=True)
def project_community(context, project):
    request = context["request"]
    user = request.user
    signed_in = user.is_authenticated
    is_maker, upvoted = services.viewer_state(user, project)
    return {
        "project": project,
        "signed_in": signed_in,
        "is_maker": is_maker,
        "upvoted": upvoted,
        "upvote_url": reverse("community:upvote", args=[project.pk]),
        "save_url": reverse("community:save", args=[project.pk]),
        "save_form": SaveToCollectionForm(owner=user, auto_id="id_save_%s") if signed_in else None,
        "login_url": f"/accounts/login/?next={project.get_url(request)}",
        "csrf_token": context.get("csrf_token"),
    }
