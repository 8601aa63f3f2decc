"""Querysets and filters behind the project endpoints (each says what it joins)."""

from django.db.models import Prefetch, Q, QuerySet

from wagtail.models import WorkflowPage
from wagtail.search.backends import get_search_backend

from proctique.api.images import DETAIL_RENDITIONS, LIST_RENDITIONS, image_queryset
from showcase.models import ProjectIndexPage, ProjectPage, ProjectPageTag

ORDERINGS = {
    "newest": ("-first_published_at", "-pk"),
    "rating": ("-rating_score", "-review_count", "-pk"),
    "reviews": ("-review_count", "-rating_score", "-pk"),
}


def _listing(queryset: QuerySet, specs: dict[str, str]) -> QuerySet:
    return (
        queryset.select_related("category", "owner")
        .prefetch_related("tags", Prefetch("cover_image", queryset=image_queryset(specs)))
        .defer_streamfields()
    )


def project_list(*, q: str = "", category: str = "", tag: str = "", ordering: str = ""):
    """Published projects, filtered, searched with Wagtail search and ordered."""
    queryset = ProjectPage.objects.live().public()
    if category:
        queryset = queryset.filter(category__slug=category)
    if tag:
        tagged = ProjectPageTag.objects.filter(tag__slug=tag).values("content_object_id")
        queryset = queryset.filter(pk__in=tagged)
    if q:
        results = get_search_backend().search(q, ProjectPage.objects.live())
        if hasattr(results, "get_queryset"):
            matches = results.get_queryset()  # database backend: the ranked queryset itself
            if not ordering:
                ranked = matches.filter(pk__in=queryset.values("pk"))
                return _listing(ranked, LIST_RENDITIONS)
            queryset = queryset.filter(pk__in=matches.values("pk"))
        else:
            queryset = queryset.filter(pk__in=[page.pk for page in results])
    return _listing(queryset.order_by(*ORDERINGS[ordering or "newest"]), LIST_RENDITIONS)


def own_projects(user) -> QuerySet:
    """Every project the user owns, drafts included, most recently edited first."""
    queryset = ProjectPage.objects.filter(owner=user).order_by("-latest_revision_created_at", "-pk")
    return _listing(queryset, LIST_RENDITIONS)


def visible_projects(user) -> QuerySet:
    """Projects the caller may see: live ones, their own drafts, or all for admins."""
    queryset = ProjectPage.objects.all()
    if user.is_authenticated and user.is_moderator:
        pass
    elif user.is_authenticated:
        queryset = queryset.filter(Q(live=True) | Q(owner=user))
    else:
        queryset = queryset.live()
    return _listing(queryset, DETAIL_RENDITIONS).prefetch_related(
        Prefetch(
            "gallery_images__image",
            queryset=image_queryset(DETAIL_RENDITIONS),
        )
    )


def projects_index() -> ProjectIndexPage:
    """The index new projects go under (the site has one)."""
    index = ProjectIndexPage.objects.order_by("path").first()
    if index is None:
        raise ProjectIndexPage.DoesNotExist("No projects index: run seed_demo or create one.")
    return index


def moderation_workflow(page):
    """The active workflow assigned to the projects index (or the project), if any.

    Wagtail's install assigns a default workflow to the tree root; only a workflow assigned
    at the index makes author publishes go through moderation.
    """
    workflow = page.get_workflow()
    if workflow is None:
        return None
    index_path = page.path[: -page.steplen] if page.depth > 1 else page.path
    assigned = WorkflowPage.objects.filter(
        workflow=workflow, page__path__startswith=index_path
    ).exists()
    return workflow if assigned else None
