"""Roles as Django groups: Authors and Moderators, with the Wagtail permissions they need.

A superuser is an admin. `ensure_role_groups()` is idempotent: the data migration, seed_demo
and tests call it. Page permissions are granted on every projects index that exists.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

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
    ("showcase", "add_category"),
    ("showcase", "change_category"),
    ("showcase", "delete_category"),
    ("showcase", "view_category"),
]
AUTHOR_PAGE_PERMISSIONS = ["add_page", "publish_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
AUTHOR_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
MODERATOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "choose_image"]


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    found = []
    for app_label, codename in pairs:
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:  # models of apps added later get theirs on the next call
            found.append(perm)
    return found


def _grant_collection(group: Group, codenames: list[str]) -> None:
    root = Collection.get_first_root_node()
    if root is None:
        return
    for codename in codenames:
        perm = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=perm
        )


def _grant_pages(group: Group, codenames: list[str]) -> None:
    from showcase.models import ProjectIndexPage

    for index in ProjectIndexPage.objects.all():
        for codename in codenames:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=perm)


@transaction.atomic
def ensure_role_groups() -> tuple[Group, Group]:
    """Create or complete the Authors and Moderators groups and their permissions."""
    authors, _ = Group.objects.get_or_create(name=AUTHORS_GROUP)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    authors.permissions.add(*_permissions(AUTHOR_PERMISSIONS))
    moderators.permissions.add(*_permissions(MODERATOR_PERMISSIONS))
    _grant_collection(authors, AUTHOR_IMAGE_PERMISSIONS)
    _grant_collection(moderators, MODERATOR_IMAGE_PERMISSIONS)
    _grant_pages(authors, AUTHOR_PAGE_PERMISSIONS)
    _grant_pages(moderators, MODERATOR_PAGE_PERMISSIONS)
    return authors, moderators


def make_author(user) -> None:
    """Self-service: the user becomes an author at once."""
    authors, _ = ensure_role_groups()
    user.groups.add(authors)


def revoke_author(user) -> None:
    """Admin action: the user is a plain user again (their pages stay, owned by them)."""
    user.groups.remove(*Group.objects.filter(name=AUTHORS_GROUP))
