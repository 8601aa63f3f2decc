from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Orderable, Page
from wagtail.search import index

from proctique.rows import FromRows
from proctique.text import reject_control_characters
from showcase import renditions
from showcase.blocks import DescriptionBlock
from showcase.facets import facets, popular_tags
from showcase.filters import PAGE_SIZE, SORTS, ProjectFilterSet
from showcase.forms import PUBLISH_REQUIRED, ProjectPageForm
from showcase.models.category import Category
from showcase.models.querysets import LISTED_COVER, LISTED_TAGS, CoverRow, ProjectPageManager
from showcase.permissions import ProjectIndexPermissionTester, ProjectPagePermissionTester
from showcase.restrictions import MemoisedViewRestrictionsMixin

NON_FIELD = "__all__"


def route_to_child(parent, model, request, path_components, **related):
    """Route to a child of a known type in one query (Wagtail's generic route uses two)."""
    slug, remaining = path_components[0], path_components[1:]
    queryset = model.objects.child_of(parent)
    if related.get("select_related"):
        queryset = queryset.select_related(*related["select_related"])
    child = queryset.filter(slug=slug).first()
    if child is None:
        return None
    child._cached_parent_obj = parent
    return child.route(request, remaining)


class HomePage(MemoisedViewRestrictionsMixin, Page):
    """The site root: hero, featured, trending, newest and top-rated projects, categories."""

    hero_title = models.CharField(
        max_length=120,
        default="Discover projects worth your time",
        validators=[reject_control_characters],
    )
    hero_text = models.TextField(
        blank=True,
        max_length=400,
        default="Authors showcase what they built; the community reviews it.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading="Hero"),
        InlinePanel("featured_projects", label="Featured projects", max_num=6),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["showcase.ProjectIndexPage"]
    max_count = 1

    SECTION_SIZE = 8

    def sections(self) -> dict:
        """Featured (chosen by admins), trending, newest and top-rated projects, categories
        with counts."""
        cards = ProjectPage.objects.discoverable().for_listing()
        featured_ids = [f.project_id for f in self.featured_projects.all()]
        featured_by_id = cards.in_bulk(featured_ids) if featured_ids else {}
        newest = cards.order_by(*SORTS["newest"][1])
        trending = cards.filter(trending_score__gt=0).order_by(*SORTS["trending"][1])
        top = cards.filter(review_count__gt=0).order_by(*SORTS["top"][1])
        discoverable = Q(projects__in=ProjectPage.objects.discoverable())
        return {
            "featured": [featured_by_id[pk] for pk in featured_ids if pk in featured_by_id],
            "trending": list(trending[: self.SECTION_SIZE]),
            "newest": list(newest[: self.SECTION_SIZE]),
            "top_rated": list(top[: self.SECTION_SIZE]),
            "categories": list(
                Category.objects.annotate(project_count=Count("projects", filter=discoverable))
                .filter(project_count__gt=0)
                .order_by("name")
            ),
        }

    def get_context(self, request, *args, **kwargs):
        return {**super().get_context(request, *args, **kwargs), **self.sections()}

    def route(self, request, path_components):
        if path_components:
            result = route_to_child(self, ProjectIndexPage, request, path_components)
            if result is not None:
                return result
        return super().route(request, path_components)


class FeaturedProject(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_projects")
    project = models.ForeignKey("showcase.ProjectPage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("project")]


class ProjectIndexPage(RoutablePageMixin, MemoisedViewRestrictionsMixin, Page):
    """The one listing of projects at /projects/ (search, filters, sorting), and the category
    and tag pages below it: /projects/category/<slug>/, /projects/tag/<slug>/ (with feeds)."""

    intro = models.TextField(blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["showcase.HomePage"]
    subpage_types = ["showcase.ProjectPage"]
    max_count = 1

    def listing(self, request, fixed: dict | None = None) -> dict:
        """The filter form, the current filters, facets and one page of cards for
        `request.GET` (with `fixed` parameters, e.g. the category of a category page)."""
        data = request.GET.copy()
        data.update(fixed or {})
        projects = ProjectPage.objects.child_of(self).discoverable().for_listing()
        filters = ProjectFilterSet(data, queryset=projects, request=request)
        page_obj = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "filters": filters,
            "page_obj": page_obj,
            "projects": list(page_obj),
            "facets": facets(filters.qs),
            "tag_options": popular_tags(ProjectPage.objects.child_of(self).discoverable()),
            "fixed": fixed or {},
        }

    def get_context(self, request, *args, fixed=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        return {**context, **self.listing(request, fixed)}

    @path("category/<slug:slug>/")
    def category_page(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        return self.render(
            request, fixed={"category": slug}, context_overrides={"category": category}
        )

    @path("tag/<slug:slug>/")
    def tag_page(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        return self.render(request, fixed={"tag": slug}, context_overrides={"tag": tag})

    def get_sitemap_urls(self, request=None):
        base = self.get_full_url(request)
        urls = super().get_sitemap_urls(request)
        if not base:
            return urls
        shown = ProjectPage.objects.child_of(self).discoverable()
        categories = Category.objects.filter(projects__in=shown).distinct()
        tags = Tag.objects.filter(
            showcase_projectpagetag_items__content_object__in=shown
        ).distinct()
        return [
            *urls,
            *[{"location": f"{base}category/{c.slug}/", "priority": 0.6} for c in categories],
            *[{"location": f"{base}tag/{t.slug}/", "priority": 0.5} for t in tags],
        ]

    def route(self, request, path_components):
        if path_components:
            # A project with what its page shows joined in: owner, category, cover.
            result = route_to_child(
                self,
                ProjectPage,
                request,
                path_components,
                select_related=("owner", "category", "cover_image"),
            )
            if result is not None:
                return result
        return super().route(request, path_components)

    def permissions_for_user(self, user):
        return ProjectIndexPermissionTester(user, self)


class ProjectPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


# FromRows (proctique.rows): the constructors of Page, ShowInMenusMixin and modelcluster act only
# on a new page or on child-relation keywords, never on a row read from the database.
class ProjectPage(FromRows, MemoisedViewRestrictionsMixin, Page):
    """One showcased project. The Wagtail page owner is its author."""

    tagline = models.CharField(max_length=160, validators=[reject_control_characters])
    description = StreamField(DescriptionBlock(), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repository_url = models.URLField(blank=True)
    demo_url = models.URLField(blank=True)
    website_url = models.URLField(blank=True)
    # PROTECT: deleting a category must not silently uncategorise its projects.
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    tags = ClusterTaggableManager(through=ProjectPageTag, blank=True)

    # Kept up to date by the reviews app in the same transaction as each review change.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    review_count = models.PositiveIntegerField(default=0)
    rating_score = models.FloatField(default=0, editable=False)
    # The visible ratings' sum, so a new review is counted in with one UPDATE (no re-count).
    rating_sum = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Kept by the community app: the count on each upvote, the score by its periodic task.
    # Database defaults too: bulk loaders (the benchmark, tests) insert rows with raw SQL.
    upvote_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    trending_score = models.FloatField(default=0, db_default=0, editable=False)

    objects = ProjectPageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("description"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("category"),
        index.FilterField("rating_score"),
        index.FilterField("review_count"),
    ]

    api_fields = [
        APIField("tagline"),
        APIField("description"),
        APIField("cover_image"),
        APIField("repository_url"),
        APIField("demo_url"),
        APIField("website_url"),
        APIField("category"),
        APIField("tags"),
        APIField("rating_average"),
        APIField("review_count"),
        APIField("upvote_count"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("cover_image"),
        FieldPanel("description"),
        InlinePanel("gallery_images", label="Gallery", max_num=12),
        MultiFieldPanel(
            [FieldPanel("repository_url"), FieldPanel("demo_url"), FieldPanel("website_url")],
            heading="Links",
        ),
        MultiFieldPanel([FieldPanel("category"), FieldPanel("tags")], heading="Filing"),
    ]

    parent_page_types = ["showcase.ProjectIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ProjectPageForm

    # /projects/feed/ and /projects/invitations/ are answered by showcase.urls before Wagtail's
    # routing; /projects/category/… and /projects/tag/… by the index's own routes.
    RESERVED_SLUGS = frozenset({"feed", "invitations", "suggest", "category", "tag"})
    # Kept by the reviews and community apps on the live row; a revision must never roll them
    # back.
    AGGREGATE_FIELDS = (
        "rating_average",
        "review_count",
        "rating_score",
        "rating_sum",
        "upvote_count",
        "trending_score",
    )

    class Meta:
        # One per score sort (showcase.filters.SORTS), read backwards for the DESC order.
        indexes = [
            models.Index(fields=["rating_score", "review_count", "page_ptr"], name="project_top"),
            models.Index(fields=["review_count", "rating_score", "page_ptr"], name="project_most"),
            models.Index(fields=["trending_score", "rating_score", "page_ptr"], name="project_hot"),
        ]

    def clean(self):
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.slug in self.RESERVED_SLUGS:
            errors["slug"] = [f"The slug {self.slug!r} is reserved; choose another."]
        for field in ("title", "seo_title"):
            try:
                reject_control_characters(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc.messages
        errors.update(self._foreign_image_errors())
        if errors:
            raise ValidationError(errors)

    def image_ids_by_field(self) -> dict[str, set[int]]:
        """The images this page shows, by the field that shows them (cover, gallery, text)."""
        used = {
            "cover_image": {self.cover_image_id} - {None},
            NON_FIELD: {item.image_id for item in self.gallery_images.all()} - {None},
            "description": set(),
        }
        for block in self.description or []:
            if block.block_type == "image" and getattr(block.value, "pk", None):
                used["description"].add(block.value.pk)
        return used

    def _foreign_image_errors(self) -> dict[str, list[str]]:
        """A page may use the images its owner or co-makers uploaded, or that an admin (or the
        site itself, with no uploader) provided for all; never another author's."""
        used = self.image_ids_by_field()
        every = set().union(*used.values())
        if not every:
            return {}
        makers = (
            [self.owner_id, *self.members.filter(status="active").values_list("user_id", flat=True)]
            if self.pk
            else [self.owner_id]
        )
        allowed = (
            get_image_model()
            .objects.filter(pk__in=every)
            .filter(
                Q(uploaded_by_user_id__in=makers)
                | Q(uploaded_by_user__isnull=True)  # site images, not any author's
                | Q(uploaded_by_user__is_superuser=True)
                | Q(
                    uploaded_by_user__groups__collection_permissions__permission__codename=(
                        "change_image"
                    )
                )
            )
            .values_list("pk", flat=True)
        )
        foreign = every - set(allowed)
        message = "Use images you uploaded yourself; this one belongs to someone else."
        return {field: [message] for field, ids in used.items() if ids & foreign}

    def publish_errors(self) -> dict[str, list[str]]:
        """What stops this version of the project from going live, by field."""
        if not settings.PROJECTS_REQUIRE_COMPLETE:
            return {}
        values = {
            "cover_image": self.cover_image_id,
            "category": self.category_id,
            "description": len(self.description or []),
        }
        return {field: [msg] for field, msg in PUBLISH_REQUIRED.items() if not values[field]}

    def media(self) -> dict:
        """Cover, gallery (with images) and tags of the page, renditions prefetched."""
        gallery = self.gallery_images.all()
        if isinstance(gallery, models.QuerySet):  # a preview's gallery is in memory
            gallery = gallery.select_related("image")
        gallery = [item for item in gallery if item.image_id]
        images = [item.image for item in gallery] + ([self.cover_image] if self.cover_image else [])
        if images:
            specs = renditions.prefetch_specs("cover", "gallery", "lightbox", "social")
            models.prefetch_related_objects(
                images,
                models.Prefetch(
                    "renditions",
                    queryset=get_image_model()
                    .get_rendition_model()
                    .objects.filter(filter_spec__in=specs),
                    to_attr="prefetched_renditions",
                ),
            )
        makers = (
            [m.user for m in self.members.filter(status="active").select_related("user")]
            if self.pk
            else []
        )
        return {
            "cover": self.cover_image,
            "gallery": gallery,
            "tags": list(self.tags.all()),
            "comakers": makers,
        }

    def get_context(self, request, *args, **kwargs):
        return {**super().get_context(request, *args, **kwargs), **self.media()}

    def listed_tags(self) -> list[Tag]:
        """The project's tags by name: from the rows `with_tags()` prefetched, else from the
        page itself (a revision holds them in memory)."""
        tags = getattr(self, LISTED_TAGS, None)
        if tags is not None:
            return list(tags)
        return sorted((row.tag for row in self.tagged_items.all()), key=lambda tag: tag.name)

    def listed_cover(self) -> CoverRow | AbstractImage | None:
        """The cover as `with_covers(..., rows=True)` read it, else the cover image itself."""
        cover = self.__dict__.get(LISTED_COVER)
        return cover if cover is not None else self.cover_image

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # Read them from the row: the instance at hand may predate the latest review.
        live = ProjectPage.objects.filter(pk=self.pk).values(*self.AGGREGATE_FIELDS).first()
        for field in self.AGGREGATE_FIELDS:
            setattr(obj, field, live[field] if live else getattr(self, field))
        return obj

    def permissions_for_user(self, user):
        return ProjectPagePermissionTester(user, self)

    def get_sitemap_urls(self, request=None):
        return [{**url, "priority": 0.8} for url in super().get_sitemap_urls(request)]

    @property
    def author(self):
        """The project's author: Wagtail's page owner."""
        return self.owner


class ProjectGalleryImage(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=200, blank=True, validators=[reject_control_characters])

    panels = [FieldPanel("image"), FieldPanel("caption")]
