"""The showcase in the Wagtail admin: categories, and every listing scoped by ownership."""

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Model, Q, Sum
from django.urls import path, reverse
from django.utils.html import escape

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from showcase.admin_views import ProjectMembersView
from showcase.category_admin import CategoryDeleteView, refuse_deleting_used_categories
from showcase.models import Category, ProjectIndexPage, ProjectPage
from showcase.permissions import (
    manages_all_images,
    manages_all_projects,
    page_policy,
    scope_pages,
)


class ProjectListingViewSet(PageListingViewSet):
    """The author's workspace: their projects with status, rating, reviews and last edit
    (every project for those who manage them all), and an "Add project" button."""

    model = ProjectPage
    icon = "doc-full-inverse"
    menu_label = "My projects"
    menu_order = 50
    add_to_admin_menu = True
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Project", sort_key="title", classname="title"),
        PageStatusColumn("status", label="Status", sort_key="live"),
        Column("rating_average", label="Rating", sort_key="rating_average"),
        Column("review_count", label="Reviews", sort_key="review_count"),
        DateColumn(
            "latest_revision_created_at", label="Last edited", sort_key="latest_revision_created_at"
        ),
    ]


@hooks.register("register_admin_viewset")
def register_project_listing():
    return ProjectListingViewSet("projects")


class WorkspacePanel(Component):
    """The dashboard of someone who does not manage every project: their own figures."""

    name = "workspace"
    order = 10
    template_name = "showcase/admin/workspace_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        mine = ProjectPage.objects.filter(owner=self.user)
        figures = mine.aggregate(
            total=Count("pk"),
            live=Count("pk", filter=Q(live=True)),
            reviews=Sum("review_count"),
            average=Avg("rating_average", filter=Q(review_count__gt=0)),
        )
        return {
            **figures,
            "drafts": figures["total"] - figures["live"],
            "recent": list(mine.order_by("-latest_revision_created_at")[:5]),
            "listing_url": reverse("projects:index"),
            "add_url": reverse(
                "wagtailadmin_pages:add",
                args=["showcase", "projectpage", ProjectIndexPage.objects.first().pk],
            )
            if ProjectIndexPage.objects.exists()
            else None,
        }


@hooks.register("construct_homepage_panels")
def authors_see_their_own_figures(request, panels):
    if not manages_all_projects(request.user):
        panels.insert(0, WorkspacePanel(request.user))


@hooks.register("construct_homepage_summary_items")
def no_site_wide_counts_for_authors(request, summary_items):
    if not manages_all_projects(request.user):
        summary_items.clear()


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Categories"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    delete_view_class = CategoryDeleteView
    delete_template_name = "showcase/admin/category_confirm_delete.html"


register_snippet(CategoryViewSet)
hooks.register("before_delete_snippet", refuse_deleting_used_categories)


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


@hooks.register("register_admin_urls")
def register_members_url():
    return [
        path(
            "projects/<int:pk>/members/",
            ProjectMembersView.as_view(),
            name="showcase_project_members",
        )
    ]


@hooks.register("register_page_header_buttons")
def members_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ProjectPage) and page.permissions_for_user(user).owns:
        yield MenuItem(
            "Co-makers",
            url=reverse("showcase_project_members", args=[page.pk]),
            icon_name="group",
            priority=60,
        )
