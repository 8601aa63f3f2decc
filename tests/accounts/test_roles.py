"""Role groups, their permissions, and who reaches the Wagtail admin."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import GroupCollectionPermission, GroupPagePermission

from accounts.factories import AuthorFactory, ModeratorFactory, UserFactory
from accounts.models import AUTHORS_GROUP, MODERATORS_GROUP
from accounts.roles import ensure_role_groups, make_author, revoke_author

pytestmark = pytest.mark.django_db


def _codenames(group):
    return set(group.permissions.values_list("codename", flat=True))


def test_data_migration_creates_groups_with_their_permissions():
    """Run the migration's function with its historical models on a database that has no
    permissions yet (as on a fresh install, where post_migrate has not run)."""
    import importlib

    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from showcase.demo import ensure_wagtail_baseline

    ensure_wagtail_baseline()  # the root collection, made by Wagtail's own migrations
    Group.objects.filter(name__in=[AUTHORS_GROUP, MODERATORS_GROUP]).delete()
    Permission.objects.all().delete()
    state = MigrationLoader(connection).project_state(("accounts", "0002_role_groups"))
    migration = importlib.import_module("accounts.migrations.0002_role_groups")
    migration.create_groups(state.apps, connection.schema_editor())

    authors = Group.objects.get(name=AUTHORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    assert {"access_admin", "view_review"} <= _codenames(authors)
    assert {
        "access_admin",
        "change_review",
        "delete_review",
        "change_category",
        "view_report",
        "view_emailevent",
    } <= _codenames(moderators)
    assert GroupCollectionPermission.objects.filter(
        group=authors, permission__codename="add_image"
    ).exists()
    assert not GroupCollectionPermission.objects.filter(
        group=authors, permission__codename="delete_image"
    ).exists()


def test_ensure_role_groups_grants_page_permissions_on_the_index_and_is_idempotent(
    project_index,
):
    ensure_role_groups()
    counts = (Group.objects.count(), GroupPagePermission.objects.count())
    ensure_role_groups()
    assert (Group.objects.count(), GroupPagePermission.objects.count()) == counts
    authors = Group.objects.get(name=AUTHORS_GROUP)
    granted = set(
        GroupPagePermission.objects.filter(group=authors, page=project_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_page", "publish_page"}


def test_roles_follow_groups(user, admin):
    assert user.role == "user"
    make_author(user)
    user = type(user).objects.get(pk=user.pk)
    assert user.role == "author" and user.is_author
    revoke_author(user)
    user = type(user).objects.get(pk=user.pk)
    assert user.role == "user" and not user.is_author
    assert admin.role == "admin"
    assert ModeratorFactory().role == "admin"


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/users/"])
def test_plain_users_get_no_admin(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert client.get(response.url).status_code == 403  # not a loop back to the admin


def test_anonymous_admin_goes_to_site_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get(response.url).url.startswith("/accounts/login/")


def test_authors_reach_the_admin_but_not_user_management(client, site_pages):
    client.force_login(AuthorFactory())
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/users/").url == "/admin/"


def test_moderators_reach_user_management(client, site_pages):
    client.force_login(ModeratorFactory())
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/users/").status_code == 200
