"""Moderation in the Wagtail admin: review and report snippets, bulk actions, dashboard panel."""

import django_filters

from django.urls import path, reverse
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from reviews import admin_views, services
from reviews.models import Report, Review
from reviews.permissions import ReportPermissionPolicy, ReviewPermissionPolicy
from showcase.models import ProjectPage

review_policy = ReviewPermissionPolicy(Review)
report_policy = ReportPermissionPolicy(Report)
register_permission_policy(Review, review_policy, exact_class=True)
register_permission_policy(Report, report_policy, exact_class=True)


def _handles_reports(user) -> bool:
    return report_policy.user_has_permission(user, "change")


def _projects_for(request):
    queryset = ProjectPage.objects.order_by("title")
    if request is None or services.can_moderate(request.user):
        return queryset
    return queryset.filter(owner=request.user)


class ReviewFilterSet(WagtailFilterSet):
    project = django_filters.ModelChoiceFilter(queryset=_projects_for, label="Project")
    reported = django_filters.BooleanFilter(label="Reported (open reports)", method="_reported")

    class Meta:
        model = Review
        fields = ["status", "rating", "project"]

    def _reported(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(is_reported=value)


def _counted(base_class, count):
    """A menu item whose label carries a live count (the sidebar's badge)."""

    class CountedMenuItem(base_class):
        def render_component(self, request):
            component = super().render_component(request)
            number = count(request)
            if number:
                component.label = f"{self.label} ({number})"
                component.attrs = {**(component.attrs or {}), "data-open-count": str(number)}
            return component

    return CountedMenuItem


def open_report_count(request) -> int:
    return Report.objects.open().count() if _handles_reports(request.user) else 0


def reported_review_count(request) -> int:
    if not _handles_reports(request.user):
        return 0
    return Review.objects.filter(reports__status=Report.Status.OPEN).distinct().count()


class ReviewViewSet(SnippetViewSet):
    model = Review
    icon = "comment"
    menu_label = "Reviews"
    menu_order = 100
    filterset_class = ReviewFilterSet
    search_fields = ["title", "body"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    # Reviews and reports are readers' activity, not content editors place: in Wagtail's
    # reference index a project would be "used" by each of its reviews, and every review
    # posted would queue an index task.
    add_to_reference_index = False
    list_per_page = 50
    list_display = [
        "title",
        Column("project", label="Project"),
        Column("author", label="Author"),
        "rating",
        Column("status", label="Status", accessor="get_status_display"),
        # Words, not a tick: a green tick read as "fine" for a review with open reports.
        Column("open_reports_label", label="Reported", accessor="open_reports_label"),
        DateColumn("created_at", label="Posted"),
    ]
    inspect_view_fields = ["project", "author", "rating", "title", "body", "status", "edited"]
    edit_handler = ObjectList(
        [FieldPanel("rating"), FieldPanel("title"), FieldPanel("body"), FieldPanel("status")],
        base_form_class=admin_views.ReviewAdminForm,
    )
    edit_view_class = admin_views.ReviewEditView
    delete_view_class = admin_views.ReviewDeleteView
    inspect_view_class = admin_views.ReviewInspectView
    history_view_class = admin_views.ReviewHistoryView
    usage_view_class = admin_views.ReviewUsageView

    def get_queryset(self, request):
        visible = review_policy.instances_user_has_any_permission_for(request.user, ["view"])
        return visible.select_related("project", "author").with_open_reports()

    @property
    def menu_item_class(self):
        return _counted(super().menu_item_class, reported_review_count)


class ReportFilterSet(WagtailFilterSet):
    class Meta:
        model = Report
        fields = ["status", "reason"]


class ReportViewSet(SnippetViewSet):
    model = Report
    icon = "warning"
    menu_label = "Reports"
    menu_order = 200
    filterset_class = ReportFilterSet
    search_fields = ["note"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False  # as for reviews
    index_view_class = admin_views.ReportIndexView
    inspect_view_class = admin_views.ReportInspectView
    list_display = [
        "target_label",
        Column("reason", label="Reason", accessor="get_reason_display"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("reporter", label="Reporter"),
        DateColumn("created_at", label="Reported at"),
    ]
    inspect_view_fields = [
        "review",
        "project",
        "reason",
        "note",
        "status",
        "reporter",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]
    panels = [FieldPanel("note", read_only=True)]

    def get_queryset(self, request):
        return Report.objects.select_related("review", "project", "reporter")

    def get_urlpatterns(self):
        resolve = admin_views.ReportActionView.as_view(action="resolve", viewset=self)
        dismiss = admin_views.ReportActionView.as_view(action="dismiss", viewset=self)
        return [
            *super().get_urlpatterns(),
            path("resolve/<int:pk>/", resolve, name="resolve"),
            path("dismiss/<int:pk>/", dismiss, name="dismiss"),
        ]

    @property
    def menu_item_class(self):
        return _counted(super().menu_item_class, open_report_count)


class ModerationGroup(SnippetViewSetGroup):
    items = (ReviewViewSet, ReportViewSet)
    menu_icon = "warning"
    menu_label = "Moderation"
    menu_name = "moderation"
    menu_order = 250


register_snippet(ModerationGroup)


class _ReviewBulkAction(SnippetBulkAction):
    models = [Review]
    template_name = "reviews/admin/confirm_bulk_action.html"
    service = None
    permission_action = "change"
    verb = past = ""

    def check_perm(self, review):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_action, review
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "verb": self.verb}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for review in objects:
            cls.service(review=review, actor=user)
        return len(objects), 0

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d review %(verb)s.", "%(count)d reviews %(verb)s.", num_parent_objects
        ) % {"count": num_parent_objects, "verb": self.past}


@hooks.register("register_bulk_action")
class HideReviewsBulkAction(_ReviewBulkAction):
    display_name = "Hide"
    action_type = "hide"
    aria_label = "Hide the selected reviews"
    action_priority = 10
    permission_action = "change"
    service = staticmethod(services.review_hide)
    verb, past = "hide", "hidden"


@hooks.register("register_bulk_action")
class RestoreReviewsBulkAction(_ReviewBulkAction):
    display_name = "Restore"
    action_type = "restore"
    aria_label = "Show the selected reviews again"
    action_priority = 20
    permission_action = "change"
    service = staticmethod(services.review_restore)
    verb, past = "restore", "restored"


class DeleteReviewsBulkAction(_ReviewBulkAction):
    """Replaces the generic snippet delete so aggregates follow every deletion."""

    display_name = "Delete"
    action_type = "delete"
    aria_label = "Delete the selected reviews"
    action_priority = 30
    classes = {"serious"}
    permission_action = "delete"
    service = staticmethod(services.review_delete)
    verb, past = "delete", "deleted"


# Registered after wagtail.snippets' generic delete action so this one wins for reviews.
hooks.register("register_bulk_action", DeleteReviewsBulkAction, order=100)


class ModerationPanel(Component):
    name = "moderation"
    order = 50
    template_name = "reviews/admin/moderation_panel.html"

    def get_context_data(self, parent_context=None):
        reports = list(Report.objects.open().select_related("review", "project", "reporter")[:10])
        reviews = list(Review.objects.select_related("project", "author")[:10])
        for report in reports:
            report.admin_url = reverse(
                Report.snippet_viewset.get_url_name("inspect"), args=[report.pk]
            )
        for review in reviews:
            review.admin_url = reverse(
                Review.snippet_viewset.get_url_name("edit"), args=[review.pk]
            )
        return {
            "open_reports": reports,
            "open_report_total": Report.objects.open().count(),
            "latest_reviews": reviews,
            "reports_url": reverse(Report.snippet_viewset.get_url_name("list")) + "?status=open",
        }


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if _handles_reports(request.user):
        panels.append(ModerationPanel())


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    """Moderation actions in Wagtail's audit log (site history, and each object's history)."""
    actions.register_action("proctique.review.hide", "Hide review", "Review hidden")
    actions.register_action("proctique.review.restore", "Restore review", "Review restored")
    actions.register_action(
        "proctique.review.moderator_edit", "Edit review (moderator)", "Review edited by a moderator"
    )
    actions.register_action(
        "proctique.review.moderator_delete",
        "Delete review (moderator)",
        "Review deleted by a moderator",
    )
    actions.register_action("proctique.report.resolve", "Resolve report", "Report resolved")
    actions.register_action("proctique.report.dismiss", "Dismiss report", "Report dismissed")
