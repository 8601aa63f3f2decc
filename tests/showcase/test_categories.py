"""Categories: the admin form fills the slug from the name; a category holding projects stays.

The refusal is one rule (`Category.delete_refusal`) asked by the admin's delete page, its
single and bulk delete POSTs and the API, for every role that may reach them.
"""

import pytest

from django.urls import reverse

from accounts.factories import AuthorFactory, ModeratorFactory, UserFactory
from accounts.roles import ensure_role_groups
from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import Category, ProjectPage
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

HELD = "“Games” still holds 2 projects. Move them to another category first, then delete it."


@pytest.fixture(autouse=True)
def _roles(site_pages):
    ensure_role_groups()


@pytest.fixture
def games():
    category = CategoryFactory(name="Games", slug="games")
    ProjectPageFactory(category=category, title="Pixel Arcade")
    draft = ProjectPageFactory(category=category, title="Unreleased")
    draft.unpublish()  # drafts count: they would lose their category too
    return category


def admin_url(name, *args):
    return reverse(f"wagtailsnippets_showcase_category:{name}", args=args)


def test_add_form_syncs_the_slug_from_the_name(client, admin):
    client.force_login(admin)
    html = client.get(admin_url("add")).content.decode()
    # Wagtail's own controllers: the name field syncs into the slug field, which slugifies.
    assert 'data-w-sync-target-value="#id_slug"' in html
    assert 'data-controller="w-slug"' in html


def test_delete_page_says_why_a_category_with_projects_stays(client, admin, games):
    client.force_login(admin)
    response = client.get(admin_url("delete", games.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert HELD in html
    assert "Yes, delete" not in html


def test_delete_post_is_refused_with_the_reason(client, admin, games):
    client.force_login(admin)
    response = client.post(admin_url("delete", games.pk), follow=True)
    assert HELD in response.content.decode()
    assert Category.objects.filter(pk=games.pk).exists()
    assert ProjectPage.objects.filter(category=games).count() == 2


def test_bulk_delete_is_refused_with_the_reason(client, admin, games):
    empty = CategoryFactory(name="Empty")
    client.force_login(admin)
    url = reverse("wagtail_bulk_action", args=["showcase", "category", "delete"])
    response = client.post(f"{url}?id={games.pk}&id={empty.pk}", follow=True)
    assert HELD in response.content.decode()
    assert set(Category.objects.values_list("name", flat=True)) == {"Games", "Empty"}


def test_an_empty_category_is_deleted(client, admin):
    empty = CategoryFactory(name="Empty")
    client.force_login(admin)
    response = client.get(admin_url("delete", empty.pk))
    assert "Yes, delete" in response.content.decode()
    client.post(admin_url("delete", empty.pk))
    assert not Category.objects.filter(pk=empty.pk).exists()


def test_api_refuses_deleting_a_category_with_projects(games):
    response = client_for(ModeratorFactory()).delete(f"/api/categories/{games.pk}/")
    assert response.status_code == 400
    assert HELD in str(response.json())
    assert Category.objects.filter(pk=games.pk).exists()


def test_database_protects_projects_from_losing_their_category(games):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        games.delete()


@pytest.mark.parametrize(
    ("role", "api_status", "admin_deleted"),
    [
        ("user", 403, False),
        ("author", 403, False),
        ("moderator", 204, True),
        ("superuser", 204, True),
    ],
)
def test_deleting_an_empty_category_route_by_role(client, admin, role, api_status, admin_deleted):
    """Who may delete (an empty category): the same answer in the API and the admin."""
    users = {
        "user": UserFactory,
        "author": AuthorFactory,
        "moderator": ModeratorFactory,
        "superuser": lambda: admin,
    }
    actor = users[role]()
    by_api, by_admin = CategoryFactory(name="By API"), CategoryFactory(name="By admin")
    assert client_for(actor).delete(f"/api/categories/{by_api.pk}/").status_code == api_status
    client.force_login(actor)
    client.post(admin_url("delete", by_admin.pk))
    assert Category.objects.filter(pk=by_admin.pk).exists() is not admin_deleted


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_deleting_a_category_with_projects_route_by_role(client, admin, games, role):
    actor = ModeratorFactory() if role == "moderator" else admin
    assert client_for(actor).delete(f"/api/categories/{games.pk}/").status_code == 400
    client.force_login(actor)
    assert HELD in client.post(admin_url("delete", games.pk), follow=True).content.decode()
    assert Category.objects.filter(pk=games.pk).exists()
