"""Project ownership in the Wagtail admin.

Wagtail's `publish` permission on the projects index lets an author publish *and unpublish*
every project below it (Wagtail issue #4147); `add` already restricts editing to owned pages.
The testers here require ownership for every action on a project unless the user is an admin
(superuser or Moderators member). When a workflow applies, an author's publish becomes a
submission for moderation: only admins may bypass it.

The permission policy hides other authors' drafts wherever Wagtail lists "explorable" pages
(explorer listing, admin page search, the admin API behind the page chooser).
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy


def is_admin(user) -> bool:
    """Admin in the roles matrix: a superuser or a Moderators member."""
    return bool(user.is_active and (user.is_superuser or getattr(user, "is_moderator", False)))


def hide_others_drafts(pages: QuerySet, user) -> QuerySet:
    """Drop project pages that are not live and not owned by `user` (admins see all)."""
    if is_admin(user):
        return pages
    others_drafts = Q(content_type_id=_project_content_type_id(), live=False) & ~Q(owner_id=user.pk)
    return pages.exclude(others_drafts)


def _project_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from showcase.models import ProjectPage

    return ContentType.objects.get_for_model(ProjectPage).pk


class _AdminAwareTester(PagePermissionTester):
    @cached_property
    def is_admin(self) -> bool:
        return is_admin(self.user)

    @cached_property
    def workflow_applies(self) -> bool:
        return self.page.get_workflow() is not None


class ProjectIndexPermissionTester(_AdminAwareTester):
    """Authors may create projects here; with a workflow assigned, they submit, not publish."""

    def can_publish_subpage(self):
        if not super().can_publish_subpage():
            return False
        return self.is_admin or not self.workflow_applies


class ProjectPagePermissionTester(_AdminAwareTester):
    """Every action on a project requires ownership unless the user is an admin."""

    @cached_property
    def owns(self) -> bool:
        return self.is_admin or (
            self.page.owner_id is not None and self.page.owner_id == self.user.pk
        )

    def can_edit(self):
        return self.owns and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self.owns and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        return self.owns and super().can_unpublish()

    def can_publish(self):
        if not (self.owns and super().can_publish()):
            return False
        # With a workflow assigned, only admins may bypass moderation.
        return self.is_admin or not self.workflow_applies

    def can_unschedule(self):
        return self.owns and super().can_publish()

    def can_set_view_restrictions(self):
        return self.owns and super().can_publish()

    def can_lock(self):
        return self.owns and super().can_lock()

    def can_unlock(self):
        return (self.owns or self.user_has_lock()) and super().can_unlock()

    def can_view_revisions(self):
        return self.owns and super().can_view_revisions()

    def can_submit_for_moderation(self):
        return self.owns and super().can_submit_for_moderation()


class ProjectAwarePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, minus other authors' drafts in every explorable listing."""

    def explorable_instances(self, user):
        return hide_others_drafts(super().explorable_instances(user), user)


def install_page_policy() -> None:
    """Replace Wagtail's page permission policy (called from ShowcaseConfig.ready)."""
    from wagtail.models import AbstractPage
    from wagtail.permissions import policy_registry

    if not isinstance(policy_registry.get_by_type(Page), ProjectAwarePagePermissionPolicy):
        policy_registry.register(AbstractPage, ProjectAwarePagePermissionPolicy(Page))
