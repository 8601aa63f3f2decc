"""What a listing's filter shows next to its choices: how many of the current results fall in
each category and under the most used tags; and the tags the tag field suggests."""

from taggit.models import Tag

from django.db.models import Count, QuerySet

from proctique import versions

TOP_TAGS = 12
SUGGESTED_TAGS = 200


def facets(results: QuerySet) -> dict:
    """Category and tag counts over `results` (a filtered project queryset), most first."""
    shown = results.order_by().values("pk")
    categories = (
        results.order_by()
        .exclude(category=None)
        .values("category__slug", "category__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "category__name")
    )
    tags = (
        Tag.objects.filter(showcase_projectpagetag_items__content_object__in=shown)
        .values("slug", "name")
        .annotate(count=Count("showcase_projectpagetag_items", distinct=True))
        .order_by("-count", "name")[:TOP_TAGS]
    )
    return {
        "categories": [
            {"slug": c["category__slug"], "name": c["category__name"], "count": c["count"]}
            for c in categories
        ],
        "tags": list(tags),
    }


def popular_tags(projects: QuerySet) -> list[dict]:
    """The most used tags of `projects` (discoverable ones), for the tag field's suggestions;
    read once per content version."""

    def compute() -> list[dict]:
        return list(
            Tag.objects.filter(showcase_projectpagetag_items__content_object__in=projects)
            .values("slug", "name")
            .annotate(count=Count("showcase_projectpagetag_items", distinct=True))
            .order_by("-count", "name")[:SUGGESTED_TAGS]
        )

    return versions.memoised("showcase.popular_tags", compute)
