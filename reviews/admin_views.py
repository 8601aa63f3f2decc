"""Wagtail admin views that route moderation through reviews.services."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets

from proctique.forms import ModelMessagesFormMixin
from reviews import services
from reviews.models import Report, Review

REPORT_ACTIONS = (("resolve", "Resolve", "check"), ("dismiss", "Dismiss", "cross"))


class ReviewAdminForm(ModelMessagesFormMixin, WagtailAdminModelForm):
    """The admin edit form: the model's rules and messages, as on the site and the API."""


class InstancePermissionMixin:
    """An author reaches only the reviews of their own projects, by any URL."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if policy is not None and not policy.user_has_permission_for_instance(
            self.request.user, "view", obj
        ):
            raise PermissionDenied
        return obj


class ReviewEditView(InstancePermissionMixin, snippets.EditView):
    def save_instance(self):
        review = Review.objects.select_related("project").get(pk=self.object.pk)
        data = self.form.cleaned_data
        services.review_update(
            review=review,
            actor=self.request.user,
            rating=data["rating"],
            title=data["title"],
            body=data["body"],
        )
        if data["status"] != review.status:
            change = (
                services.review_hide
                if data["status"] == Review.Status.HIDDEN
                else services.review_restore
            )
            change(review=review, actor=self.request.user)
        return review


class ReviewDeleteView(InstancePermissionMixin, snippets.DeleteView):
    def delete_action(self):
        services.review_delete(review=self.object, actor=self.request.user)


class ReviewInspectView(InstancePermissionMixin, snippets.InspectView):
    pass


class ReviewHistoryView(InstancePermissionMixin, snippets.HistoryView):
    pass


class ReviewUsageView(InstancePermissionMixin, snippets.UsageView):
    pass


class ReportIndexView(snippets.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Report.Status.OPEN and self.request.user.has_perm(
            services.HANDLE_REPORTS
        ):
            for action, label, icon in (
                ("resolve", "Resolve", "check"),
                ("dismiss", "Dismiss", "cross"),
            ):
                url = reverse(
                    instance.snippet_viewset.get_url_name(action), args=[quote(instance.pk)]
                )
                buttons.append(MenuItem(label, url=url, icon_name=icon, priority=5))
        return buttons


def resolve_label(report: Report) -> str:
    """What "resolve" does to this report's target, as the moderator's button says it."""
    if report.review_id:
        return "Hide review and resolve" if report.review.is_visible else "Resolve"
    return "Unpublish project and resolve" if report.project.live else "Resolve"


def report_action_buttons(report: Report, user, viewset) -> list[dict]:
    """The decisions a moderator can take on an open report (none on a closed one)."""
    if report.status != Report.Status.OPEN or not user.has_perm(services.HANDLE_REPORTS):
        return []
    return [
        {
            "action": action,
            "label": resolve_label(report) if action == "resolve" else label,
            "icon": icon,
            "url": reverse(viewset.get_url_name(action), args=[report.pk]),
        }
        for action, label, icon in REPORT_ACTIONS
    ]


class ReportInspectView(snippets.InspectView):
    """The one place a moderator acts on a report: its target in full, with links, and the
    decisions that close it."""

    template_name = "reviews/admin/report_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Report.objects.select_related(
                "reporter", "resolved_by", "review__author", "review__project", "project__owner"
            ),
            pk=self.pk,
        )

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        viewset = self.object.snippet_viewset
        for item in report_action_buttons(self.object, self.request.user, viewset):
            buttons.append(Button(item["label"], url=item["url"], icon_name=item["icon"]))
        return buttons

    def get_context_data(self, **kwargs):
        report = self.object
        review = report.review
        project = (review.project if review else report.project).specific
        others = Report.objects.open().exclude(pk=report.pk)
        others = others.filter(review=review) if review else others.filter(project=project)
        return {
            **super().get_context_data(**kwargs),
            "report": report,
            "review": review,
            "project": project,
            "project_url": project.get_url(request=self.request) if project.live else "",
            "project_admin_url": reverse("wagtailadmin_pages:edit", args=[project.pk]),
            "review_admin_url": (
                reverse(Review.snippet_viewset.get_url_name("edit"), args=[review.pk])
                if review
                else ""
            ),
            "other_open_reports": others.count(),
            "actions": report_action_buttons(report, self.request.user, report.snippet_viewset),
        }


class ReportActionView(TemplateView):
    """Confirm (GET) and apply (POST) a moderator's decision on a report."""

    template_name = "reviews/admin/report_action.html"
    action = "resolve"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(services.HANDLE_REPORTS):
            raise PermissionDenied
        self.report = get_object_or_404(
            Report.objects.select_related("review__project", "project", "reporter"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "report": self.report,
            "action": self.action,
            "label": resolve_label(self.report) if self.action == "resolve" else "Dismiss",
            "index_url": reverse(self.viewset.get_url_name("list")),
        }

    def post(self, request, *args, **kwargs):
        service = services.report_resolve if self.action == "resolve" else services.report_dismiss
        try:
            service(report=self.report, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = "resolved" if self.action == "resolve" else "dismissed"
            messages.success(request, f"Report {done}: {self.report}")
        return redirect(self.viewset.get_url_name("list"))
