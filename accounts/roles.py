"""Roles as Django groups: Authors and Moderators, with the Wagtail permissions they need.

A superuser is an admin, and so is every member of Moderators. `ensure_role_groups()` is
idempotent: the data migration (with its historical `apps`), seed_demo and tests call it.
Page permissions are granted on every projects index that exists; on a fresh database there
is none yet, so seed_demo (through showcase.demo.ensure_site) completes them.
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.log_actions import LogContext

from accounts.models import AUTHORS_GROUP, MODERATORS_GROUP

# (app_label, codename) of model-level permissions per group.
AUTHOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("reviews", "view_review"),
]
MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("reviews", "view_review"),
    ("reviews", "change_review"),
    ("reviews", "delete_review"),
    ("reviews", "view_report"),
    ("reviews", "change_report"),
    ("showcase", "add_category"),
    ("showcase", "change_category"),
    ("showcase", "delete_category"),
    ("showcase", "view_category"),
    ("tasks", "view_emailevent"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_user"),
]
AUTHOR_PAGE_PERMISSIONS = ["add_page", "publish_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
AUTHOR_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
MODERATOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "choose_image"]


def _permissions(apps, pairs: list[tuple[str, str]]) -> list:
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:  # models of apps added later get theirs on the next call
            found.append(perm)
    return found


def _grant_collection(apps, group, codenames: list[str]) -> None:
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for perm in _permissions(apps, [("wagtailimages", c) for c in codenames]):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=perm
        )


def _grant_pages(apps, group, codenames: list[str]) -> None:
    ProjectIndexPage = apps.get_model("showcase", "ProjectIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    perms = _permissions(apps, [("wagtailcore", c) for c in codenames])
    for index in ProjectIndexPage.objects.all():
        for perm in perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=index.pk, permission=perm
            )


def ensure_role_groups(apps=None) -> tuple:
    """Create or complete the Authors and Moderators groups and their permissions.

    `apps` is the migration's historical registry when called from a data migration.
    """
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    with transaction.atomic():
        authors, _ = Group.objects.get_or_create(name=AUTHORS_GROUP)
        moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
        authors.permissions.add(*_permissions(apps, AUTHOR_PERMISSIONS))
        moderators.permissions.add(*_permissions(apps, MODERATOR_PERMISSIONS))
        _grant_collection(apps, authors, AUTHOR_IMAGE_PERMISSIONS)
        _grant_collection(apps, moderators, MODERATOR_IMAGE_PERMISSIONS)
        _grant_pages(apps, authors, AUTHOR_PAGE_PERMISSIONS)
        _grant_pages(apps, moderators, MODERATOR_PAGE_PERMISSIONS)
    return authors, moderators


def _forget_roles(user) -> None:
    # The user object caches its groups and permissions for the request.
    for attribute in ("_group_names", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attribute, None)


def make_author(user) -> None:
    """Self-service: the user becomes an author at once (an admin stays an admin)."""
    authors, _ = ensure_role_groups()
    with LogContext(user=user):  # the audit log names them as the actor
        user.groups.add(authors)
    _forget_roles(user)


def revoke_author(user) -> None:
    """Admin action: the user is a plain user again (their pages stay, owned by them)."""
    user.groups.remove(*Group.objects.filter(name=AUTHORS_GROUP))
    _forget_roles(user)
