"""Public listings of projects: the /projects/ discovery page, the home page, project details.

Every listing goes through `card_queryset()`, which joins what a card shows (category, owner)
and prefetches the cover image with its card renditions, so a page of 24 cards costs a fixed
number of queries however many projects exist.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
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
CATEGORIES_CACHE_KEY = "showcase:categories:v1"


def card_queryset() -> QuerySet:
    """Published projects joined with what a card shows (no StreamField); see `with_covers`."""
    return (
        ProjectPage.objects.live()
        .defer_streamfields()
        .select_related("category", "owner", "cover_image")
    )


def with_covers(cards: list) -> list:
    """Prefetch the card renditions of a page of cards in one query (works on search hits too)."""
    renditions_qs = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec__in=renditions.prefetch_specs("card"))
    )
    prefetch_related_objects(
        [card for card in cards if card.cover_image_id],
        Prefetch(
            "cover_image__renditions", queryset=renditions_qs, to_attr="prefetched_renditions"
        ),
    )
    return cards


def category_choices() -> list[Category]:
    """All categories, cached (admins rarely change them; signals clear the cache)."""
    return cache.get_or_set(CATEGORIES_CACHE_KEY, lambda: list(Category.objects.all()), 60 * 60)


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
    category = next((c for c in category_choices() if c.slug == slug), None) if slug else None
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


def discovery_controls(request: HttpRequest) -> dict:
    """The search form's state: filters, categories and sorts (no query with a warm cache)."""
    filters = parse_filters(request)
    sort_options = [(key, label) for key, (label, _) in SORTS.items()]
    if filters.q:
        sort_options.insert(0, ("relevance", "Best match"))
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    return {
        "filters": filters,
        "categories": category_choices(),
        "sort_options": sort_options,
        "page_number": page_number,
    }


def discover_results(index, request: HttpRequest, controls: dict) -> dict:
    """One page of cards for the filters: the part of /projects/ that costs queries."""
    filters = controls["filters"]
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
    cards = with_covers(list(page_obj.object_list))
    return {"projects": cards, "page_obj": page_obj, "paginator": paginator}


def discover(index, request: HttpRequest) -> dict:
    """Context of the projects index: search, category/tag filters, sorting, one page of cards."""
    controls = discovery_controls(request)
    return {**controls, **discover_results(index, request, controls)}


def home_context(home) -> dict:
    """Featured (chosen by admins), newest and top-rated projects, and categories with counts."""
    featured_ids = [f.project_id for f in home.featured_projects.all()]
    featured_by_id = card_queryset().in_bulk(featured_ids) if featured_ids else {}
    featured = [featured_by_id[pk] for pk in featured_ids if pk in featured_by_id]
    newest = list(card_queryset().order_by(*SORTS["newest"][1])[:8])
    top_rated = list(card_queryset().filter(review_count__gt=0).order_by(*SORTS["top"][1])[:8])
    with_covers(featured + newest + top_rated)
    return {
        "featured": featured,
        "newest": newest,
        "top_rated": top_rated,
        "categories": list(
            Category.objects.annotate(
                project_count=Count("projects", filter=Q(projects__live=True))
            ).filter(project_count__gt=0)
        ),
    }


def project_context(project: ProjectPage) -> dict:
    """Cover, gallery (with images) and tags of a project page: 3 queries with their renditions.

    The cover comes joined from routing (ProjectIndexPage.route); a preview's in-memory gallery
    is used as it is.
    """
    gallery = project.gallery_images.all()
    if isinstance(gallery, QuerySet):
        gallery = gallery.select_related("image")
    gallery = [item for item in gallery if item.image_id]
    cover = project.cover_image
    images = [item.image for item in gallery] + ([cover] if cover else [])
    if images:
        specs = renditions.prefetch_specs("cover", "gallery", "social")
        rendition_model = get_image_model().get_rendition_model()
        prefetch_related_objects(
            images,
            Prefetch(
                "renditions",
                queryset=rendition_model.objects.filter(filter_spec__in=specs),
                to_attr="prefetched_renditions",
            ),
        )
    return {"cover": cover, "gallery": gallery, "tags": list(project.tags.all())}
