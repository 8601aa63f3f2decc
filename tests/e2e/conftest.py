"""Fixtures for the browser journeys: a small, known catalogue of projects and reviews."""

from dataclasses import dataclass

import pytest

from tests.e2e.support import recompute
from tests.services import _smtp_session  # noqa: F401  (smtp_server needs it; not in __all__)


@dataclass
class Catalogue:
    tools: object
    games: object
    top: object  # highest rated, in "Developer tools"
    lumen: object  # the one the visitor searches for, in "Developer tools"
    arcade: object  # a game
    reviewers: list


@pytest.fixture
def catalogue(site_pages, author, other_author, huey_immediate):
    """Three projects in two categories with reviews, owned by two authors.

    Transactional tests flush the database, so every journey builds what it needs. Wagtail's
    background tasks (search index, renditions) run in-process so search finds the projects.
    """
    from accounts.factories import UserFactory
    from reviews.factories import ReviewFactory
    from showcase.factories import CategoryFactory, ProjectPageFactory

    tools = CategoryFactory(name="Developer tools", slug="developer-tools")
    games = CategoryFactory(name="Games", slug="games")
    lumen = ProjectPageFactory(
        title="Lumen Notes",
        slug="lumen-notes",
        tagline="Plain-text notes that sync everywhere.",
        owner=author,
        category=tools,
    )
    top = ProjectPageFactory(
        title="Quartz Profiler",
        slug="quartz-profiler",
        tagline="Find the slow line in your program in one run.",
        owner=other_author,
        category=tools,
    )
    arcade = ProjectPageFactory(
        title="Pixel Arcade",
        slug="pixel-arcade",
        tagline="Tiny retro games that run in the browser.",
        owner=other_author,
        category=games,
    )
    reviewers = [UserFactory() for _ in range(6)]
    for reviewer in reviewers:
        ReviewFactory(project=top, author=reviewer, rating=5, title="Saved my week")
    for reviewer, rating in zip(reviewers[:3], (4, 3, 3), strict=True):
        ReviewFactory(
            project=lumen,
            author=reviewer,
            rating=rating,
            title=f"Solid notes app ({reviewer.username})",
            body="Syncs fine, search could be faster.",
        )
    ReviewFactory(project=arcade, author=reviewers[0], rating=2, title="Fun for a minute")
    for project in (lumen, top, arcade):
        recompute(project)
    return Catalogue(tools, games, top, lumen, arcade, reviewers)


@pytest.fixture
def demo_data(site_pages):
    """The full demo catalogue, as `make run` shows it."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


@pytest.fixture
def sign_in(page, live_server):
    """`sign_in(user)`: the browser page becomes signed in as `user`."""
    from tests.e2e.support import sign_in as _sign_in

    return lambda user: _sign_in(page, user, live_server.url)
