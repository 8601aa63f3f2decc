"""A project's insights in the Wagtail admin (its makers and admins)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from insights import figures
from showcase.models import ProjectPage


class ProjectInsightsView(TemplateView):
    template_name = "insights/admin/project_insights.html"

    def get_context_data(self, **kwargs):
        project = get_object_or_404(ProjectPage, pk=self.kwargs["pk"])
        if not figures.may_see(project, self.request.user):
            raise PermissionDenied
        return {
            **super().get_context_data(**kwargs),
            "project": project,
            "figures": figures.insights(project),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[project.pk]),
        }
