"""Fragment caches of the public pages: faster repeat views, never a stale page."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from reviews import services
from showcase.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("url", ["/", "/projects/", "/projects/?sort=top"])
def test_listings_repeat_from_cache_with_fewer_queries(client, project, url):
    client.get("/healthz")
    first, html = queries_for(client, url)
    second, again = queries_for(client, url)
    assert project.title in html and again == html
    assert second < first


def test_project_page_repeats_from_cache_for_visitors(client, project):
    first, html = queries_for(client, project.url)
    second, again = queries_for(client, project.url)
    assert again == html
    assert second <= first - 3  # cover/gallery/tags and the review list are not queried again


def test_a_new_review_shows_at_once(client, project, django_capture_on_commit_callbacks):
    queries_for(client, project.url)  # cached now
    queries_for(client, "/projects/")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            author=UserFactory(),
            project=project,
            rating=5,
            title="Fresh off the press",
            body="This review must be visible on the very next request.",
        )
    _, html = queries_for(client, project.url)
    assert "Fresh off the press" in html
    assert "1 review" in html
    _, listing = queries_for(client, "/projects/")
    assert "1 review" in listing


def test_hidden_review_disappears_at_once(
    client, project, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_submit(
            author=UserFactory(),
            project=project,
            rating=2,
            title="Soon hidden",
            body="A moderator is about to hide this review.",
        )
    assert "Soon hidden" in queries_for(client, project.url)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_hide(review=review, actor=admin)
    assert "Soon hidden" not in queries_for(client, project.url)[1]


def test_published_edit_and_unpublish_show_at_once(
    client, project, author, django_capture_on_commit_callbacks
):
    queries_for(client, project.url)
    queries_for(client, "/projects/")
    project.title = "Renamed and republished"
    with django_capture_on_commit_callbacks(execute=True):
        project.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    assert "Renamed and republished" in queries_for(client, project.url)[1]
    assert "Renamed and republished" in queries_for(client, "/projects/")[1]
    with django_capture_on_commit_callbacks(execute=True):
        project.unpublish(user=author)
    assert client.get(project.url).status_code == 404
    assert "Renamed and republished" not in queries_for(client, "/projects/")[1]


def test_a_newly_published_project_is_listed_at_once(
    client, project_index, author, django_capture_on_commit_callbacks
):
    queries_for(client, "/")
    queries_for(client, "/projects/")
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = ProjectPageFactory(owner=author, title="Brand new arrival")
    assert newcomer.title in queries_for(client, "/")[1]
    assert newcomer.title in queries_for(client, "/projects/")[1]


def test_signed_in_review_section_is_personal(client, project, user):
    queries_for(client, project.url)  # a visitor's view is cached
    client.force_login(user)
    _, html = queries_for(client, project.url)
    assert "Write a review" in html and "Sign in to review" not in html
