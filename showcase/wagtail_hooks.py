from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from showcase.models import Category
from showcase.permissions import hide_others_drafts


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
def hide_other_authors_drafts_in_explorer(parent_page, pages, request):
    """Authors see their own drafts and everyone's live projects; admins see everything."""
    return hide_others_drafts(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_other_authors_drafts_in_choosers(pages, request):
    return hide_others_drafts(pages, request.user)
