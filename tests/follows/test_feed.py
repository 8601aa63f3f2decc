"""/feed/ and /api/feed/: new projects by followed authors and in followed categories, new
reviews of followed projects, newest first, paginated, within a fixed query budget."""

from datetime import timedelta

import pytest

from django.utils import timezone

from accounts.factories import AuthorFactory, UserFactory
from follows import services
from follows.views import FEED_PAGE_SIZE
from reviews.models import Review
from showcase.factories import CategoryFactory, ProjectPageFactory
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(publish, author, category, project_index, user, post_review):
    """`user` follows `author`, `category` and one project of someone else (reviewed)."""
    stranger = AuthorFactory()
    elsewhere = CategoryFactory(name="Games", slug="games")
    by_author = publish(title="By the author", category=elsewhere)
    in_category = ProjectPageFactory(owner=stranger, category=category, title="In the category")
    watched = ProjectPageFactory(owner=stranger, category=elsewhere, title="Watched")
    ProjectPageFactory(owner=stranger, category=elsewhere, title="Unrelated")
    for target in (author, category, watched):
        services.follow_add(user=user, target=target)
    reviewer = UserFactory()
    review = post_review(reviewer, watched, title="A careful look")
    post_review(reviewer, by_author, title="Not on a followed project")
    return {
        "by_author": by_author,
        "in_category": in_category,
        "watched": watched,
        "review": review,
    }


def test_feed_lists_what_the_user_follows(client, user, followed):
    client.force_login(user)
    response = client.get("/feed/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "By the author" in body and "In the category" in body
    assert "A careful look" in body
    assert "Unrelated" not in body and "Not on a followed project" not in body
    kinds = [
        (item.kind, item.review.title if item.review else item.project.title)
        for item in response.context["items"]
    ]
    # Newest first: the review was posted after the projects were published.
    assert kinds[0] == ("review", "A careful look")
    assert sorted(kinds[1:]) == [("project", "By the author"), ("project", "In the category")]
    assert response["Cache-Control"].startswith("private")


def test_feed_leaves_out_unpublished_projects_and_hidden_reviews(client, user, followed):
    followed["in_category"].unpublish()
    Review.objects.filter(pk=followed["review"].pk).update(status=Review.Status.HIDDEN)
    client.force_login(user)
    titles = [item.project.title for item in client.get("/feed/").context["items"]]
    assert titles == ["By the author"]


def test_empty_feed_suggests_what_to_follow(client, user, site_pages):
    client.force_login(user)
    body = client.get("/feed/").content.decode()
    assert "Your feed shows new projects and reviews from what you follow." in body
    assert 'href="/authors/"' in body


def test_feed_paginates(client, publish, user, author):
    services.follow_add(user=user, target=author)
    for n in range(FEED_PAGE_SIZE + 3):
        publish(title=f"Release {n:02d}")
    client.force_login(user)
    first = client.get("/feed/")
    assert len(first.context["items"]) == FEED_PAGE_SIZE
    assert 'rel="next"' in first.content.decode()
    assert len(client.get("/feed/?page=2").context["items"]) == 3


FEED_BUDGET = 12


def _count(client, path, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(FEED_BUDGET) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("route", ["web", "api"])
def test_feed_query_budget_does_not_grow_with_the_feed(
    client,
    settings,
    publish,
    user,
    author,
    category,
    post_review,
    route,
    django_assert_max_num_queries,
):
    settings.PAGE_CACHE_SECONDS = 0  # caches off: the budget is the rendering's own
    if route == "web":
        client.force_login(user)
        path = "/feed/"
    else:
        client = client_for(user)
        path = "/api/feed/"
    services.follow_add(user=user, target=author)
    first = publish(title="First")
    services.follow_add(user=user, target=first)
    post_review(UserFactory(), first, title="The first review")
    client.get(path)  # warm Wagtail's site-root cache
    small = _count(client, path, django_assert_max_num_queries)

    services.follow_add(user=user, target=category)
    for n in range(12):
        publish(title=f"More {n}")
        watched = ProjectPageFactory(owner=AuthorFactory(), category=CategoryFactory())
        services.follow_add(user=user, target=watched)
        post_review(UserFactory(), watched, title=f"Review number {n}")
    client.get(path)  # the publishes changed the content version: memos are read once again
    large = _count(client, path, django_assert_max_num_queries)
    assert large == small, f"the feed's queries grew from {small} to {large}"


def test_feed_in_the_api(user, followed):
    api = client_for(user)
    data = api.get("/api/feed/").json()
    assert data["count"] == 3
    first = data["results"][0]
    assert first["kind"] == "review"
    assert first["review"]["title"] == "A careful look"
    assert first["project"]["url"] == f"http://testserver{followed['watched'].url}"
    assert {r["project"]["title"] for r in data["results"][1:]} == {
        "By the author",
        "In the category",
    }
    assert api.get("/api/feed/?page=x").status_code == 400


def test_old_projects_keep_their_place(client, publish, user, author):
    services.follow_add(user=user, target=author)
    older = publish(title="Older")
    newer = publish(title="Newer")
    type(older).objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(user)
    titles = [item.project.title for item in client.get("/feed/").context["items"]]
    assert titles == [newer.title, "Older"]
