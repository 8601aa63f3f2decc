"""Who may do what with projects, in Wagtail's own terms.

"Manages every project" means holding Wagtail's `change` page permission (the Moderators group
holds it on the projects index) or being a superuser: change a group's page permissions in the
admin and its members' rights follow, on every route.

Wagtail's `publish` permission on the index lets an author publish *and unpublish* every project
below it (Wagtail issue #4147), and `lock`, `unschedule` and view restrictions follow `publish`;
the tester requires ownership for all of them. With a workflow assigned, an author's publish
becomes a submission: only managers bypass moderation. The page policy scopes every admin
listing (explorer, search, reports, choosers, the admin API, bulk actions) to the pages a
non-manager owns or co-makes, so no other author's draft, title or slug is shown to them.
"""

from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from wagtail.images import get_image_model
from wagtail.models import AbstractPage, GroupCollectionPermission, Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from showcase.models.members import member_project_ids


def manages_all_projects(user) -> bool:
    """The user may see and act on every project (admins in the roles matrix)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Not the policy's user_has_permission(user, "change"): it counts "add" as editing one's
    # own pages. Managing all projects is holding `change_page` itself.
    granted = page_policy().get_cached_permissions_for_user(user)
    return any(perm.permission.codename == "change_page" for perm in granted)


def page_policy() -> "ProjectAwarePagePermissionPolicy":
    return _POLICY


class ProjectPagePermissionTester(PagePermissionTester):
    """Every action on a project requires its owner or an active co-maker (deleting, moving and
    transferring: its owner), unless the user manages all projects."""

    @cached_property
    def manages(self) -> bool:
        return self.user.is_superuser or "change" in getattr(self, "permissions", set())

    @cached_property
    def is_owner(self) -> bool:
        owner_id = self.page.owner_id
        return owner_id is not None and owner_id == self.user.pk

    @cached_property
    def is_member(self) -> bool:
        return self.page.pk is not None and self.page.pk in member_project_ids(self.user)

    @cached_property
    def owns(self) -> bool:
        """May change and publish it: a manager, the owner or a co-maker."""
        return self.manages or self.is_owner or self.is_member

    @cached_property
    def holds(self) -> bool:
        """May delete, move or transfer it: a manager or the owner."""
        return self.manages or self.is_owner

    @cached_property
    def workflow_applies(self) -> bool:
        return self.page.get_workflow() is not None

    def can_edit(self):
        if self.is_member and not self.is_owner and not self.manages:
            # Wagtail lets "add" edit only pages one owns; a co-maker edits like the owner.
            return self.user.is_active and "add" in getattr(self, "permissions", set())
        return self.owns and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self.holds and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return self.holds and super().can_move()

    def can_unpublish(self):
        return self.owns and super().can_unpublish()

    def can_publish(self):
        if not (self.owns and super().can_publish()):
            return False
        return self.manages or not self.workflow_applies

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

    def can_copy(self):
        return self.owns and super().can_copy()


class ProjectIndexPermissionTester(PagePermissionTester):
    """Authors may create projects here; with a workflow assigned, they submit, not publish."""

    def can_publish_subpage(self):
        if not super().can_publish_subpage():
            return False
        manages = self.user.is_superuser or "change" in getattr(self, "permissions", set())
        return manages or self.page.get_workflow() is None


class ProjectAwarePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy; a non-manager's listings hold only the projects they own."""

    def _scoped(self, pages: QuerySet, user) -> QuerySet:
        if manages_all_projects(user):
            return pages
        # By id, not a join: the admin search runs these filters in the search backend.
        projects = ContentType.objects.get_by_natural_key("showcase", "projectpage")
        mine = Q(owner_id=user.pk) | Q(pk__in=member_project_ids(user))
        return pages.filter(~Q(content_type_id=projects.pk) | mine)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        # For projects, the tester decides (co-makers, ownership, moderation), as in the admin.
        tester = instance.specific_deferred.permissions_for_user(user)
        if isinstance(tester, ProjectPagePermissionTester):
            checks = {
                "change": tester.can_edit,
                "publish": tester.can_publish,
                "delete": tester.can_delete,
                "lock": tester.can_lock,
                "unlock": tester.can_unlock,
            }
            if set(actions) <= set(checks):
                return any(checks[action]() for action in actions)
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def explorable_instances(self, user):
        return self._scoped(super().explorable_instances(user), user)

    def instances_user_has_permission_for(self, user, action):
        return self._scoped(super().instances_user_has_permission_for(user, action), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return self._scoped(super().instances_user_has_any_permission_for(user, actions), user)


_POLICY = ProjectAwarePagePermissionPolicy(Page)


def scope_pages(pages: QuerySet, user) -> QuerySet:
    """The pages of `pages` that `user` may see in the admin (for choosers and hooks)."""
    return _POLICY._scoped(pages, user)


def install_page_policy() -> None:
    """Replace Wagtail's page permission policy (called from ShowcaseConfig.ready)."""
    if policy_registry.get_by_type(Page) is not _POLICY:
        policy_registry.register(AbstractPage, _POLICY)


def image_policy():
    """Wagtail's image permission policy ("add" reaches one's own uploads, "change" all)."""
    return policy_registry.get_by_type(get_image_model())


def manages_all_images(user) -> bool:
    """Holds `change_image` on a collection itself (the policy counts "add" as changing one's
    own uploads, so its user_has_permission(user, "change") is true for every author)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return GroupCollectionPermission.objects.filter(
        group__user=user, permission__codename="change_image"
    ).exists()
