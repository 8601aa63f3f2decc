"""A small relevance set: queries, and the projects that must come first. Guards the ranking
(title matches first, then relevance, rating and recency), prefix matching and typo tolerance."""

from datetime import timedelta

import pytest

from django.utils import timezone

from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

CATALOGUE = [
    # title, tagline, rating score, days since published
    ("Lantern", "A tiny lamp controller for makers", 3.0, 300),
    ("Harbor", "Container registry you can run at home", 4.0, 200),
    ("Lumen Notes", "Plain-text notes that sync everywhere", 3.5, 30),
    ("Note Taker Pro", "Notes for lawyers", 2.0, 10),
    ("Daily Journal", "Write notes every day, keep a journal of notes", 4.9, 5),
    ("Quartz Profiler", "Find the slow line in your program", 4.8, 60),
    ("Quartz Clock", "A desk clock with a quartz crystal", 2.5, 400),
    ("Pixel Arcade", "Tiny retro games that run in the browser", 4.2, 20),
]

RELEVANCE = [
    ("lant", ["Lantern"]),  # prefix while typing
    ("harbr", ["Harbor"]),  # a typo
    ("lanturn", ["Lantern"]),  # a typo in a longer word
    ("notes", ["Lumen Notes", "Note Taker Pro"]),  # title matches before text matches
    ("quartz", ["Quartz Profiler", "Quartz Clock"]),  # both titles: the better rated first
    ("lumen notes", ["Lumen Notes"]),  # the whole title
    ("retro games", ["Pixel Arcade"]),  # tagline words
]


@pytest.fixture
def catalogue(project_index, author, reindex):
    now = timezone.now()
    for title, tagline, score, days in CATALOGUE:
        page = ProjectPageFactory(owner=author, title=title, tagline=tagline)
        ProjectPage.objects.filter(pk=page.pk).update(
            rating_score=score, review_count=3, first_published_at=now - timedelta(days=days)
        )
    reindex()


def titles(response) -> list[str]:
    return [project.title for project in response.context["projects"]]


@pytest.mark.parametrize(("q", "first"), RELEVANCE)
def test_the_web_listing_ranks_the_relevance_set(client, catalogue, q, first):
    found = titles(client.get("/projects/", {"q": q}))
    assert found[: len(first)] == first, found


@pytest.mark.parametrize(("q", "first"), RELEVANCE)
def test_the_api_ranks_it_the_same(catalogue, q, first):
    body = client_for(None).get("/api/projects/", {"q": q}).json()
    assert [p["title"] for p in body["results"]][: len(first)] == first


def test_another_sort_keeps_the_same_matches(client, catalogue):
    ranked = set(titles(client.get("/projects/", {"q": "notes"})))
    newest = titles(client.get("/projects/", {"q": "notes", "sort": "newest"}))
    assert set(newest) == ranked and newest[0] == "Daily Journal"
