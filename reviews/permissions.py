"""Who may do what with reviews and reports in the Wagtail admin: Django model permissions,
through Wagtail's ModelPermissionPolicy, so a group's permissions set in the admin decide.

Moderators hold the change/delete permissions and see everything. Authors hold
`reviews.view_review` only, which reaches the reviews of their own projects, read-only. Nobody
adds reviews or reports through the admin (they come from the site).
"""

from django.db.models import QuerySet

from wagtail.permission_policies.base import ModelPermissionPolicy


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Model permissions; `view` without `change` covers only reviews of one's own projects."""

    def _sees_all(self, user) -> bool:
        return self.user_has_any_permission(user, ["change", "delete"])

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return self._sees_all(user) or instance.project.owner_id == user.pk

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        queryset = self.model._default_manager.all()
        return queryset if self._sees_all(user) else queryset.filter(project__owner=user)


class ReportPermissionPolicy(ModelPermissionPolicy):
    """Reports are read and closed by holders of the report permissions; never added here."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)
