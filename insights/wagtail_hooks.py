"""Insights in the Wagtail admin: a page per project, linked from its header menu."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem

from insights import figures
from insights.admin_views import ProjectInsightsView
from showcase.models import ProjectPage


@hooks.register("register_admin_urls")
def register_insights_url():
    return [
        path(
            "projects/<int:pk>/insights/",
            ProjectInsightsView.as_view(),
            name="insights_project",
        )
    ]


@hooks.register("register_page_header_buttons")
def insights_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, ProjectPage) and figures.may_see(specific, user):
        yield MenuItem(
            "Insights",
            url=reverse("insights_project", args=[page.pk]),
            icon_name="view",
            priority=70,
        )


class InsightsPanel(Component):
    """On the dashboard: visitors of each of the user's projects over the last 30 days."""

    name = "insights"
    order = 20
    template_name = "insights/admin/insights_panel.html"

    def __init__(self, projects: list[dict]):
        self.projects = projects

    def get_context_data(self, parent_context=None):
        return {"projects": self.projects}


@hooks.register("construct_homepage_panels")
def makers_see_their_visitors(request, panels):
    projects = figures.made_by(request.user)
    if projects:
        panels.append(InsightsPanel(projects))
