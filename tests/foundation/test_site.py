"""The demo site: seed_demo is idempotent and quiet, the home page and admin login answer."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

from reviews.models import HelpfulVote, Review, ReviewReply
from showcase.models import HomePage, ProjectIndexPage, ProjectPage
from tasks.models import EmailEvent


def _snapshot() -> dict:
    User = get_user_model()
    return {
        "users": sorted(User.objects.values_list("email", "username", "is_superuser")),
        "pages": sorted(Page.objects.values_list("id", "url_path")),
        "sites": list(Site.objects.values_list("root_page_id", "is_default_site")),
        "reviews": sorted(Review.objects.values_list("project_id", "author_id", "rating")),
        "replies": ReviewReply.objects.count(),
        "votes": HelpfulVote.objects.count(),
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


@pytest.mark.django_db
def test_seed_demo_sends_nothing_and_loads_varied_reviews(client):
    call_command("seed_demo", verbosity=0)
    assert EmailEvent.objects.count() == 0  # no "is live" or "new review" email for demo content
    ratings = set(Review.objects.values_list("rating", flat=True))
    assert ratings >= {2, 3, 4, 5}
    assert ReviewReply.objects.exists() and HelpfulVote.objects.exists()
    rated = ProjectPage.objects.filter(review_count__gt=0)
    assert rated.count() == 10 and ProjectPage.objects.filter(review_count=0).exists()
    # Home has its "Top rated" section; an unrated card says so instead of five empty stars.
    home = client.get("/").content.decode()
    assert "Top rated" in home
    listing = client.get("/projects/").content.decode()
    assert "No reviews yet" in listing
    unrated = [p.title for p in ProjectPage.objects.filter(review_count=0) if p.title in listing]
    card = listing[listing.index(unrated[0]) :][:1500]
    assert "No reviews yet" in card and "☆☆☆☆☆" not in card
