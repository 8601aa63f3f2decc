from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from django.db import models

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from showcase.blocks import DescriptionBlock


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


class HomePage(Page):
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


class FeaturedProject(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_projects")
    project = models.ForeignKey("showcase.ProjectPage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("project")]


class ProjectIndexPage(Page):
    """The one listing of projects at /projects/: search, filters, sorting."""

    intro = models.TextField(blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["showcase.HomePage"]
    subpage_types = ["showcase.ProjectPage"]
    max_count = 1


class ProjectPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProjectPage(Page):
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

    class Meta:
        indexes = [models.Index(fields=["review_count"])]

    def get_context(self, request, *args, **kwargs):
        # The reviews app owns everything shown below the project: summary, list and form.
        from reviews.context import project_reviews_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_reviews_context(self, request))
        return context

    @property
    def author(self):
        """The project's author: Wagtail's page owner."""
        return self.owner


class ProjectGalleryImage(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
