from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from proctique.templatetags.deferred import Deferred
from showcase import cache as fragments
from showcase.blocks import DescriptionBlock
from showcase.restrictions import CachedRestrictionCheckMixin


class Category(models.Model):
    """A subject area projects are filed under; managed by admins as a snippet."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


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


class HomePage(CachedRestrictionCheckMixin, Page):
    """The site root: hero, featured, newest and top-rated projects, categories."""

    hero_title = models.CharField(max_length=120, default="Discover projects worth your time")
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

    def get_context(self, request, *args, **kwargs):
        from showcase import discovery

        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = Deferred(lambda: discovery.home_context(self))
        context["catalogue_version"] = fragments.catalogue_version()
        return context

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


class ProjectIndexPage(CachedRestrictionCheckMixin, Page):
    """The one listing of projects at /projects/: search, filters, sorting."""

    intro = models.TextField(blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["showcase.HomePage"]
    subpage_types = ["showcase.ProjectPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from showcase import discovery

        context = super().get_context(request, *args, **kwargs)
        controls = discovery.discovery_controls(request)
        context.update(controls)
        context["results"] = Deferred(lambda: discovery.discover_results(self, request, controls))
        context["catalogue_version"] = fragments.catalogue_version()
        return context

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
        from showcase.permissions import ProjectIndexPermissionTester

        return ProjectIndexPermissionTester(user, self)


class ProjectPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProjectPage(CachedRestrictionCheckMixin, Page):
    """One showcased project. The Wagtail page owner is its author."""

    tagline = models.CharField(max_length=160)
    description = StreamField(DescriptionBlock(), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repository_url = models.URLField(blank=True)
    demo_url = models.URLField(blank=True)
    website_url = models.URLField(blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    tags = ClusterTaggableManager(through=ProjectPageTag, blank=True)

    # Kept up to date by the reviews app in the same transaction as each review change.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    review_count = models.PositiveIntegerField(default=0)
    rating_score = models.FloatField(default=0, db_index=True, editable=False)

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

    # /projects/feed/ is the projects feed (showcase.urls answers it before Wagtail's routing).
    RESERVED_SLUGS = frozenset({"feed"})

    class Meta:
        indexes = [models.Index(fields=["review_count"])]

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": f"The slug {self.slug!r} is reserved; choose another."})

    def get_context(self, request, *args, **kwargs):
        # The reviews app owns everything shown below the project: summary, list and form.
        from reviews.context import project_reviews_context
        from showcase import discovery

        context = super().get_context(request, *args, **kwargs)
        context["project_media"] = Deferred(lambda: discovery.project_context(self))
        context.update(project_reviews_context(self, request))
        return context

    # Kept by the reviews app on the live row; a revision must never roll them back.
    AGGREGATE_FIELDS = ("rating_average", "review_count", "rating_score")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # Read them from the row: the instance at hand may predate the latest review.
        live = ProjectPage.objects.filter(pk=self.pk).values(*self.AGGREGATE_FIELDS).first()
        for field in self.AGGREGATE_FIELDS:
            setattr(obj, field, live[field] if live else getattr(self, field))
        return obj

    def permissions_for_user(self, user):
        from showcase.permissions import ProjectPagePermissionTester

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
    caption = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
