"""RSS and Atom feeds of newly published projects (discoverable ones only).

Links come from SITE_URL, never from the request (a cached feed must not carry the first
caller's host or scheme), and text is made safe for XML: rows stored before control
characters were refused must not break the feed for everyone.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from proctique.text import single_line
from showcase.models import Category, ProjectPage

FEED_SIZE = 20


class NewProjectsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = f"New projects on {settings.WAGTAIL_SITE_NAME}"
    description = "Projects as they are published."

    url_name = "project_feed"

    def link(self):
        return settings.SITE_URL + "/projects/"

    def feed_url(self):
        return settings.SITE_URL + reverse(self.url_name)

    def projects(self):
        return (
            ProjectPage.objects.discoverable()
            .defer_streamfields()
            .select_related("owner", "category")
            .order_by("-first_published_at", "-pk")
        )

    def items(self):
        return self.projects()[:FEED_SIZE]

    def item_title(self, item):
        return single_line(item.title)

    def item_description(self, item):
        return single_line(item.tagline)

    def item_link(self, item):
        parts = item.get_url_parts()
        return settings.SITE_URL + (parts[2] if parts else "/")

    def item_guid(self, item):
        return f"{settings.SITE_URL}/projects/#{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return single_line(item.owner.public_name) if item.owner else None

    def item_categories(self, item):
        return [single_line(item.category.name)] if item.category else []


class NewProjectsAtomFeed(NewProjectsFeed):
    feed_type = Atom1Feed
    url_name = "project_feed_atom"
    subtitle = NewProjectsFeed.description


class CategoryProjectsFeed(NewProjectsFeed):
    """New projects of one category (/projects/category/<slug>/feed/)."""

    url_name = "category_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return f"New {category.name} projects on {settings.WAGTAIL_SITE_NAME}"

    def link(self, category):
        return f"{settings.SITE_URL}/projects/category/{category.slug}/"

    def feed_url(self, category):
        return settings.SITE_URL + reverse(self.url_name, args=[category.slug])

    def items(self, category):
        return self.projects().filter(category=category)[:FEED_SIZE]
