"""The trending score: upvotes and reviews, older activity counting less, suspect voters a
quarter; recomputed by the periodic task; the Trending sort, the home section and /ranking/."""

from datetime import timedelta

import pytest

from django.utils import timezone

from accounts.factories import UserFactory
from community import trending
from community.models import Upvote
from community.tasks import refresh_trending
from reviews import aggregates
from reviews.factories import ReviewFactory
from showcase.factories import ProjectPageFactory
from showcase.models import HomePage, ProjectPage
from tests.community.conftest import client_for

pytestmark = pytest.mark.django_db


def score(project) -> float:
    return ProjectPage.objects.get(pk=project.pk).trending_score


def established_user(**kwargs):
    """A user who joined two months ago and has written a review: their upvote counts fully."""
    person = UserFactory(date_joined=timezone.now() - timedelta(days=60), **kwargs)
    ReviewFactory(author=person, project=ProjectPageFactory())
    return person


def vote(user, project, *, days_ago: float = 0):
    upvote = Upvote.objects.create(user=user, project=project)
    if days_ago:
        Upvote.objects.filter(pk=upvote.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return upvote


def test_one_five_star_review_does_not_outrank_fifty_good_ones(project_index, author):
    lone = ProjectPageFactory(owner=author)
    loved = ProjectPageFactory(owner=author)
    ReviewFactory(project=lone, rating=5)
    for _ in range(50):
        ReviewFactory(project=loved, rating=4)
    for project in (lone, loved):
        aggregates.recompute(project)
    trending.refresh()
    assert score(loved) > 10 * score(lone) > 0


def test_older_activity_counts_less_by_the_half_life(project, project_index, author):
    fresh, old = project, ProjectPageFactory(owner=author)
    vote(established_user(), fresh)
    vote(established_user(), old, days_ago=2 * trending.HALF_LIFE_DAYS)
    trending.refresh()
    assert score(fresh) == pytest.approx(trending.UPVOTE_WEIGHT, rel=1e-3)
    assert score(old) == pytest.approx(trending.UPVOTE_WEIGHT / 4, rel=1e-3)


def test_votes_of_young_or_inactive_accounts_count_a_quarter(project_index, author):
    real, young, idle = (ProjectPageFactory(owner=author) for _ in range(3))
    vote(established_user(), real)
    newcomer = UserFactory()  # joined now, even with a review
    ReviewFactory(author=newcomer, project=ProjectPageFactory())
    vote(newcomer, young)
    vote(UserFactory(date_joined=timezone.now() - timedelta(days=30)), idle)  # votes only
    trending.refresh()
    assert score(real) == pytest.approx(trending.UPVOTE_WEIGHT, rel=1e-3)
    for ring in (young, idle):
        assert score(ring) == pytest.approx(trending.SUSPECT_VOTE_WEIGHT, rel=1e-3)


def test_unpublished_projects_score_nothing(project, user, author):
    vote(established_user(), project)
    trending.refresh()
    assert score(project) > 0
    project.unpublish(user=author)
    trending.refresh()
    assert score(project) == 0


def test_the_periodic_task_recomputes_scores(project, huey_immediate):
    vote(established_user(), project)
    assert score(project) == 0
    refresh_trending()
    assert score(project) == pytest.approx(trending.UPVOTE_WEIGHT, rel=1e-3)


@pytest.fixture
def ranked(project_index, author):
    """Three projects, trending in this order: hot, warm, cold (no activity)."""
    hot, warm, cold = (ProjectPageFactory(owner=author, title=t) for t in ("Hot", "Warm", "Cold"))
    for _ in range(3):
        vote(established_user(), hot)
    vote(established_user(), warm)
    trending.refresh()
    return hot, warm, cold


def test_the_trending_sort_on_the_web_and_in_the_api(client, ranked):
    hot, warm, cold = ranked
    web = client.get("/projects/?sort=trending")
    shown = [p.pk for p in web.context["projects"]]
    assert shown[:2] == [hot.pk, warm.pk] and cold.pk in shown[2:]
    assert b'<option value="trending" selected>Trending</option>' in web.content
    api = client_for(None).get("/api/projects/", {"sort": "trending"}).json()["results"]
    assert [p["id"] for p in api][:2] == [hot.pk, warm.pk]


def test_an_unknown_sort_is_a_form_error_not_a_500(client, ranked):
    response = client_for(None).get("/api/projects/", {"sort": "trendy"})
    assert response.status_code == 400
    assert "sort" in response.json()["errors"]


# Version, site, home, featured, then each section's cards and their tags, categories, the
# recently-reviewed strip: a fixed number whatever the catalogue holds.
HOME_BUDGET = 13


@pytest.mark.parametrize("more", [0, 12])
def test_home_shows_trending_projects_within_its_budget(
    client, ranked, author, more, django_assert_max_num_queries
):
    hot, warm, cold = ranked
    voter = established_user()
    for _ in range(more):
        vote(voter, ProjectPageFactory(owner=author), days_ago=30)
    trending.refresh()
    client.get("/?warm=1")
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get("/")
    trending_cards = [p.pk for p in response.context["trending"]]
    assert trending_cards[:2] == [hot.pk, warm.pk]
    assert cold.pk not in trending_cards  # no activity, not trending
    assert len(trending_cards) == min(2 + more, HomePage.SECTION_SIZE)
    html = response.content.decode()
    assert 'id="trending-heading"' in html and 'href="/projects/?sort=trending"' in html


def test_the_ranking_page_states_the_rule_the_code_uses(client):
    response = client.get("/ranking/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"age in days ÷ {trending.HALF_LIFE_DAYS}" in html
    assert f"counts {trending.SUSPECT_VOTE_WEIGHT:g} instead of" in html
    assert f"younger than {trending.YOUNG_ACCOUNT.days * 24} hours" in html
    assert f"{trending.REVIEW_WEIGHT:g} × Σ" in html
    assert f"{aggregates.PRIOR_WEIGHT} extra reviews" in html
    assert 'href="/ranking/"' in client.get("/projects/").content.decode()
