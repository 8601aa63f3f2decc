"""Whole-page cache for visitors: repeat views skip the database, changes show at once."""

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from reviews import services

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


def test_repeat_visit_is_served_without_queries(client, project):
    first, first_queries = get(client, project.url)
    second, second_queries = get(client, project.url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert first_queries > 0 and second_queries == 0


def test_a_review_shows_on_the_next_visit(client, project, django_capture_on_commit_callbacks):
    get(client, project.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            author=UserFactory(),
            project=project,
            rating=4,
            title="Seen straight away",
            body="The cached page must not hide this review.",
        )
    response, queries = get(client, project.url)
    assert "Seen straight away" in response.content.decode()
    assert queries > 0


def test_signed_in_users_are_never_served_a_shared_page(client, project, user):
    get(client, project.url)  # cached for visitors
    client.force_login(user)
    response, queries = get(client, project.url)
    assert queries > 0
    assert "Write a review" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_query_strings_are_cached_separately(client, project_index, project):
    everything, _ = get(client, "/projects/")
    nothing, _ = get(client, "/projects/?q=zzzznothingmatches")
    assert project.title in everything.content.decode()
    assert project.title not in nothing.content.decode()


def test_api_and_accounts_are_never_page_cached(client, project):
    get(client, "/api/projects/")
    _, queries = get(client, "/api/projects/")
    assert queries > 0
    # Two visitors must never share a login form (each carries its own CSRF token).
    first = Client().get("/accounts/login/").cookies["csrftoken"].value
    second = Client().get("/accounts/login/").cookies["csrftoken"].value
    assert first != second
