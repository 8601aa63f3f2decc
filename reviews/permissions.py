"""Who may do what with reviews and reports in the Wagtail admin.

Moderators (and superusers) manage; an author sees the reviews of their own projects,
read-only; nobody adds reviews or reports through the admin (they come from the site).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.models import AUTHORS_GROUP, MODERATORS_GROUP


def is_moderator(user) -> bool:
    """Cached per user object: the admin asks many times per request."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_reviews_is_moderator"):
        user._reviews_is_moderator = user.is_moderator
    return user._reviews_is_moderator


def is_author(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_reviews_is_author"):
        user._reviews_is_author = user.is_author
    return user._reviews_is_author


class ModerationPolicy(BasePermissionPolicy):
    """Moderators get `moderator_actions`; authors get `view` on their projects' objects."""

    moderator_actions = frozenset({"view"})
    authors_view = False
    owner_lookup = "project__owner"

    def user_has_permission(self, user, action):
        if is_moderator(user):
            return action in self.moderator_actions
        return action == "view" and self.authors_view and is_author(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        groups = []
        if self.moderator_actions & set(actions):
            groups.append(MODERATORS_GROUP)
        if self.authors_view and "view" in actions:
            groups.append(AUTHORS_GROUP)
        return User.objects.filter(
            Q(is_active=True) & (Q(is_superuser=True) | Q(groups__name__in=groups))
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if is_moderator(user):
            return True
        return self.owner_of(instance) == user.pk

    def owner_of(self, instance) -> int | None:
        return instance.project.owner_id

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        queryset = self.model._default_manager.all()
        if is_moderator(user):
            return queryset
        return queryset.filter(**{self.owner_lookup: user})


class ReviewPolicy(ModerationPolicy):
    moderator_actions = frozenset({"view", "change", "delete"})
    authors_view = True


class ReportPolicy(ModerationPolicy):
    moderator_actions = frozenset({"view"})
