"""The co-makers of a project in the Wagtail admin: list, invite, remove, transfer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from showcase import members
from showcase.models import ProjectMember, ProjectPage


class ProjectMembersView(TemplateView):
    """GET lists the project's co-makers; POST invites, removes or transfers (owner or admin)."""

    template_name = "showcase/admin/members.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(ProjectPage, pk=kwargs["pk"])
        self.tester = self.project.permissions_for_user(request.user)
        if not self.tester.owns:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        memberships = ProjectMember.objects.filter(project=self.project).select_related("user")
        return {
            **super().get_context_data(**kwargs),
            "project": self.project,
            "memberships": memberships,
            "may_manage": self.tester.holds,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[self.project.pk]),
        }

    def post(self, request, *args, **kwargs):
        who = request.POST.get("user", "")
        action = request.POST.get("action")
        try:
            if action == "invite":
                members.member_invite(project=self.project, by=request.user, who=who)
                messages.success(request, f"Invitation sent to {who}.")
            elif action == "transfer":
                members.project_transfer(project=self.project, by=request.user, who=who)
                messages.success(request, f"{self.project.title} now belongs to {who}.")
            elif action == "remove":
                membership = get_object_or_404(
                    ProjectMember, project=self.project, pk=request.POST.get("membership")
                )
                members.member_remove(membership=membership, by=request.user)
                messages.success(request, f"{membership.user} is no longer a co-maker.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("showcase_project_members", pk=self.project.pk)
