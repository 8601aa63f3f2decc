"""What the reviews app adds to the showcase's pages, as template tags (so the showcase never
imports the reviews app): `{% project_reviews page %}` (the section under a project),
`{% reviews_by author %}` (a profile's reviews), `{% recently_reviewed %}` (home's strip)."""

from django import template
from django.db.models import Max

from reviews.models import Review
from reviews.sections import review_section
from showcase.models import ProjectPage

register = template.Library()


@register.inclusion_tag("reviews/includes/project_reviews.html", takes_context=True)
def project_reviews(context, project):
    request = context["request"]
    return {
        "s": review_section(project, request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reviews/includes/reviews_by.html")
def reviews_by(author, limit: int = 10):
    """The reviews `author` wrote, newest first, unless they keep them off their profile."""
    if not author.show_reviews_on_profile:
        return {"reviews": [], "kept_private": True, "author": author}
    reviews = (
        Review.objects.visible()
        .filter(author=author, project__in=ProjectPage.objects.discoverable())
        .select_related("project")
        .order_by("-created_at")[:limit]
    )
    return {"reviews": list(reviews), "kept_private": False, "author": author}


@register.inclusion_tag("reviews/includes/recently_reviewed.html")
def recently_reviewed(limit: int = 4):
    """Projects with the newest visible reviews (the home page's strip)."""
    latest = (
        Review.objects.visible()
        .filter(project__in=ProjectPage.objects.discoverable())
        .values("project_id")
        .annotate(last=Max("created_at"))
        .order_by("-last")[:limit]
    )
    order = [row["project_id"] for row in latest]
    found = ProjectPage.objects.filter(pk__in=order).for_listing().in_bulk(order)
    return {"projects": [found[pk] for pk in order if pk in found]}
