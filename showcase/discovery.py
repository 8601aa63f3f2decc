"""Public listings of projects: the /projects/ discovery page, the home page, project details.

Every listing goes through `card_queryset()`, which joins what a card shows (category, owner)
and prefetches the cover image with its card renditions, so a page of 24 cards costs a fixed
number of queries however many projects exist.
"""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from wagtail.images import get_image_model

from showcase import renditions
from showcase.models import Category, ProjectPage, ProjectPageTag

PAGE_SIZE = 24
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "newest": ("Newest", ("-first_published_at", "-id")),
    "top": ("Top rated", ("-rating_score", "-review_count", "-first_published_at", "-id")),
    "reviews": ("Most reviewed", ("-review_count", "-rating_score", "-first_published_at", "-id")),
}
DEFAULT_SORT = "newest"
MAX_QUERY_LENGTH = 200


def card_queryset() -> QuerySet:
    """Published projects with what a card needs, and nothing else (no StreamField)."""
    images = get_image_model().objects.prefetch_renditions(*renditions.prefetch_specs("card"))
    return (
        ProjectPage.objects.live()
        .defer_streamfields()
        .select_related("category", "owner")
        .prefetch_related(Prefetch("cover_image", queryset=images))
    )


@dataclass
class Filters:
    q: str
    category: Category | None
    tag: str
    sort: str

    @property
    def active(self) -> bool:
        return bool(self.q or self.category or self.tag)


def parse_filters(request: HttpRequest) -> Filters:
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    slug = request.GET.get("category", "").strip()
    category = Category.objects.filter(slug=slug).first() if slug else None
    tag = request.GET.get("tag", "").strip()[:100]
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = "relevance" if q else DEFAULT_SORT
    return Filters(q=q, category=category, tag=tag, sort=sort)


def _paginate(results, page_number) -> tuple[Paginator, object]:
    paginator = Paginator(results, PAGE_SIZE)
    try:
        page_obj = paginator.page(page_number)
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return paginator, page_obj


def discover(index, request: HttpRequest) -> dict:
    """Context of the projects index: search, category/tag filters, sorting, one page of cards."""
    filters = parse_filters(request)
    projects = card_queryset().child_of(index)
    if filters.category is not None:
        projects = projects.filter(category=filters.category)
    if filters.tag:
        tagged = ProjectPageTag.objects.filter(tag__name__iexact=filters.tag)
        projects = projects.filter(id__in=tagged.values("content_object_id"))
    if filters.q:
        if filters.sort == "relevance":
            results = projects.search(filters.q)
        else:
            results = projects.order_by(*SORTS[filters.sort][1]).search(
                filters.q, order_by_relevance=False
            )
    else:
        results = projects.order_by(*SORTS[filters.sort][1])
    paginator, page_obj = _paginate(results, request.GET.get("page"))
    cards = list(page_obj.object_list)
    sort_options = [(key, label) for key, (label, _) in SORTS.items()]
    if filters.q:
        sort_options.insert(0, ("relevance", "Best match"))
    return {
        "filters": filters,
        "projects": cards,
        "page_obj": page_obj,
        "paginator": paginator,
        "categories": list(Category.objects.all()),
        "sort_options": sort_options,
    }


def home_context(home) -> dict:
    """Featured (chosen by admins), newest and top-rated projects, and categories with counts."""
    featured_ids = [f.project_id for f in home.featured_projects.all()]
    featured_by_id = card_queryset().in_bulk(featured_ids) if featured_ids else {}
    return {
        "featured": [featured_by_id[pk] for pk in featured_ids if pk in featured_by_id],
        "newest": list(card_queryset().order_by(*SORTS["newest"][1])[:8]),
        "top_rated": list(
            card_queryset().filter(review_count__gt=0).order_by(*SORTS["top"][1])[:8]
        ),
        "categories": list(
            Category.objects.annotate(
                project_count=Count("projects", filter=Q(projects__live=True))
            ).filter(project_count__gt=0)
        ),
    }


def project_context(project: ProjectPage) -> dict:
    """The cover and gallery images of a project page, with their renditions, in 2 queries."""
    gallery = list(project.gallery_images.all())
    image_ids = {item.image_id for item in gallery}
    if project.cover_image_id:
        image_ids.add(project.cover_image_id)
    images = {}
    if image_ids:
        specs = renditions.prefetch_specs("cover", "gallery", "social")
        images = get_image_model().objects.prefetch_renditions(*specs).in_bulk(image_ids)
    for item in gallery:
        if item.image_id in images:
            item.image = images[item.image_id]
    return {
        "cover": images.get(project.cover_image_id),
        "gallery": [item for item in gallery if item.image_id in images],
        "tags": list(project.tags.all()),
    }
