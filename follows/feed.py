"""The personal feed: new projects by followed authors or in followed categories, and new
reviews of followed projects, newest first, in one paginated list (web and API)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, F, Q, QuerySet, Value

from follows.models import Follow
from reviews.models import Review
from showcase.models import ProjectPage

PROJECT = "project"
REVIEW = "review"


@dataclass(frozen=True)
class FeedItem:
    kind: str  # "project" or "review"
    at: datetime
    project: ProjectPage
    review: Review | None = None


def feed_entries(user) -> QuerySet:
    """(kind, id, at) rows of `user`'s feed, newest first: a union the paginator slices in the
    database, so a page costs the same whatever the user follows."""
    follows = Follow.objects.of(user)
    public = ProjectPage.objects.discoverable()
    projects = (
        public.filter(
            Q(owner_id__in=follows.filter(author__isnull=False).values("author_id"))
            | Q(category_id__in=follows.filter(category__isnull=False).values("category_id"))
        )
        .order_by()
        .annotate(
            entry_kind=Value(PROJECT, output_field=CharField()),
            entry_id=F("pk"),
            entry_at=F("first_published_at"),
        )
        .values_list("entry_kind", "entry_id", "entry_at")
    )
    reviews = (
        Review.objects.visible()
        .filter(
            project_id__in=follows.filter(project__isnull=False).values("project_id"),
            project__in=public,
        )
        .order_by()
        .annotate(
            entry_kind=Value(REVIEW, output_field=CharField()),
            entry_id=F("pk"),
            entry_at=F("created_at"),
        )
        .values_list("entry_kind", "entry_id", "entry_at")
    )
    return projects.union(reviews, all=True).order_by("-entry_at", "-entry_id")


def feed_items(entries) -> list[FeedItem]:
    """Load one page of entries in a fixed number of queries: the reviews with their writers,
    then every project the page shows (as cards: owner, category, tags, cover)."""
    entries = list(entries)
    review_ids = [pk for kind, pk, _ in entries if kind == REVIEW]
    reviews = {r.pk: r for r in Review.objects.filter(pk__in=review_ids).select_related("author")}
    project_ids = {pk for kind, pk, _ in entries if kind == PROJECT}
    project_ids |= {review.project_id for review in reviews.values()}
    projects = {p.pk: p for p in ProjectPage.objects.filter(pk__in=project_ids).for_listing()}
    items = []
    for kind, pk, at in entries:
        if kind == PROJECT and pk in projects:
            items.append(FeedItem(PROJECT, at, projects[pk]))
        elif kind == REVIEW and pk in reviews and reviews[pk].project_id in projects:
            review = reviews[pk]
            items.append(FeedItem(REVIEW, at, projects[review.project_id], review))
    return items
