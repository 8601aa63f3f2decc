"""The public cache: anonymous GETs of public routes are stored whole under the content version,
answer 304 before rendering, and every change that shows on a page is seen on the next request.
(The cache is off in the rest of the suite; these tests turn it on.)"""

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from reviews import services
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/", "/projects/", "/projects/?sort=top", "{project}", "/api/projects/", "/api/v2/pages/"],
)
def test_a_repeat_anonymous_read_costs_one_query(client, project, url):
    url = url.format(project=project.url)
    first, first_queries = get(client, url)
    second, second_queries = get(client, url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert first_queries > 1 and second_queries == 1  # the content version, nothing else
    assert "public" in second["Cache-Control"] and second["ETag"] == first["ETag"]


def test_validators_answer_304_before_rendering(client, project):
    first, _ = get(client, project.url)
    again, queries = get(client, project.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and queries == 1
    since, _ = get(client, project.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize(
    "change",
    ["review", "display name", "category", "unpublish", "new project"],
)
def test_every_change_shows_on_the_next_request(
    client, project, author, project_index, change, django_capture_on_commit_callbacks
):
    from showcase.factories import ProjectPageFactory

    urls = ["/projects/", "/api/projects/"] + ([] if change == "new project" else [project.url])
    before = {url: client.get(url).content for url in urls}
    with django_capture_on_commit_callbacks(execute=True):
        if change == "review":
            services.review_submit(
                author=UserFactory(), project=project, rating=4, title="Fresh", body="Seen at once."
            )
        elif change == "display name":
            author.display_name = "Renamed Author"
            author.save()
        elif change == "category":
            project.category.name = "Renamed category"
            project.category.save()
        elif change == "unpublish":
            project.unpublish()
        else:
            ProjectPageFactory(owner=author, title="Brand new project")
    for url in urls:
        assert client.get(url).content != before[url], f"{url} is stale after a {change}"


def test_signed_in_callers_are_never_served_a_shared_response(client, project, user):
    get(client, project.url)  # cached for visitors
    client.force_login(user)
    response, queries = get(client, project.url)
    assert queries > 1
    assert "Write a review" in response.content.decode()
    assert "private" in response["Cache-Control"]
    api = client_for(user)
    api.get("/api/projects/")
    with CaptureQueriesContext(connection) as ctx:
        signed = api.get("/api/projects/")
    assert len(ctx.captured_queries) > 1 and "private" in signed["Cache-Control"]


def test_only_whitelisted_parameters_are_cached(client, project_index, project):
    everything, _ = get(client, "/projects/")
    nothing, _ = get(client, "/projects/?q=zzzznothingmatches")
    assert project.title in everything.content.decode()
    assert project.title not in nothing.content.decode()
    stored = len(cache.keys("public:*"))
    for n in range(20):
        response, queries = get(client, f"/projects/?utm_source=campaign{n}")
        assert response.status_code == 200 and queries > 1  # served fresh
    assert len(cache.keys("public:*")) == stored
    # The same parameters in another order are one entry.
    get(client, "/projects/?sort=top&category=x")
    _, queries = get(client, "/projects/?category=x&sort=top")
    assert queries == 1


def test_the_scheme_is_part_of_the_key(client, project):
    get(client, "/projects/feed/")
    _, queries = get(client, "/projects/feed/", secure=True)
    assert queries > 1


def test_forms_with_a_csrf_token_are_never_shared(project):
    first = Client().get("/accounts/login/").cookies["csrftoken"].value
    second = Client().get("/accounts/login/").cookies["csrftoken"].value
    assert first != second
