"""RSS and Atom feeds of newly published projects (published ones only)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from showcase.models import ProjectPage

FEED_SIZE = 20


class NewProjectsFeed(Feed):
    title = f"New projects on {settings.WAGTAIL_SITE_NAME}"
    description = "Projects as they are published."

    def link(self):
        return "/projects/"

    def items(self):
        return (
            ProjectPage.objects.live()
            .defer_streamfields()
            .select_related("owner", "category")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.tagline

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return f"{settings.SITE_URL}/projects/#{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.owner.public_name if item.owner else None

    def item_categories(self, item):
        return [item.category.name] if item.category else []


class NewProjectsAtomFeed(NewProjectsFeed):
    feed_type = Atom1Feed
    subtitle = NewProjectsFeed.description
