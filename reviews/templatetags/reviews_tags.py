"""`{% project_reviews page %}`: the reviews section of a project page (summary, list, form).

The project page template loads it, so the showcase never imports the reviews app.
"""

from django import template

from reviews.sections import review_section

register = template.Library()


@register.inclusion_tag("reviews/includes/project_reviews.html", takes_context=True)
def project_reviews(context, project):
    request = context["request"]
    return {
        "s": review_section(project, request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
