"""The showcase in the Wagtail admin: categories, and every listing scoped by ownership."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.html import escape

from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from showcase.models import Category
from showcase.permissions import (
    manages_all_images,
    manages_all_projects,
    page_policy,
    scope_pages,
)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Categories"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]


register_snippet(CategoryViewSet)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    """Authors see their own projects in the explorer; admins see everything."""
    return scope_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return scope_pages(pages, request.user)


@hooks.register("construct_image_chooser_queryset")
def scope_image_chooser(images, request):
    """Authors choose among the images they uploaded (a page may use no one else's)."""
    if manages_all_images(request.user):
        return images
    return images.filter(uploaded_by_user=request.user)


class PublicPageLinkHandler(PageLinkHandler):
    """Rich-text page links point only at live, public pages: a link to a draft or a
    restricted page renders as plain text, so its slug is never revealed."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Model | None]:
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = Page.objects.filter(id__in=ids).live().public().defer_streamfields().specific()
        by_id = {str(page.id): page for page in pages}
        return [by_id.get(str(id_)) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            f'<a href="{escape(page.localized.url)}">' if page else "<a>"
            for page in cls.get_many(attrs_list)
        ]


# After Wagtail's own registration of the "page" link type, which this one replaces.
@hooks.register("register_rich_text_features", order=100)
def register_public_page_links(features):
    features.register_link_type(PublicPageLinkHandler)


class ScopedPageBulkActionMixin:
    """Bulk confirmations list only pages the user may see (never another author's draft)."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        visible = set(
            page_policy()
            .explorable_instances(self.request.user)
            .filter(pk__in=[o.pk for o in [*objects, *extra["items_with_no_access"]]])
            .values_list("pk", flat=True)
        )
        return [o for o in objects if o.pk in visible], {
            "items_with_no_access": [o for o in extra["items_with_no_access"] if o.pk in visible]
        }


for _action in (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction):
    _scoped = type(f"Scoped{_action.__name__}", (ScopedPageBulkActionMixin, _action), {})
    # Registered after Wagtail's own, so these win for pages.
    hooks.register("register_bulk_action", _scoped, order=100)


def managers_only(view):
    """Admin reports that list pages regardless of ownership are for project managers."""

    def guarded(request, *args, **kwargs):
        if not manages_all_projects(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
