"""The demo site: seed_demo is idempotent, the home page and admin login answer."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

from showcase.models import HomePage, ProjectIndexPage


def _snapshot() -> dict:
    User = get_user_model()
    return {
        "users": sorted(User.objects.values_list("email", "username", "is_superuser")),
        "pages": sorted(Page.objects.values_list("id", "url_path")),
        "sites": list(Site.objects.values_list("root_page_id", "is_default_site")),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_rows():
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first
    assert HomePage.objects.count() == 1
    assert ProjectIndexPage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert {"admin", "alice", "bob", "uma"} <= {u[1] for u in first["users"]}


@pytest.mark.django_db
def test_home_page_and_admin_login_answer(client):
    call_command("seed_demo", verbosity=0)
    home = client.get("/")
    assert home.status_code == 200
    assert b"Discover projects" in home.content
    login = client.get("/admin/login/", follow=True)
    assert login.status_code == 200
    assert login.redirect_chain[-1][0].startswith("/accounts/login/")
    assert b"password" in login.content.lower()
