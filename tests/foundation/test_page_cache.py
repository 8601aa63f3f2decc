"""The public cache: anonymous GETs of public routes are stored whole under the content version,
answer 304 before rendering, and every change that shows on a page is seen on the next request.
(The cache is off in the rest of the suite; these tests turn it on.)"""

import gzip
import io

import pytest

from django.core.cache import cache
from django.core.files.images import ImageFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model

from accounts.factories import UserFactory
from reviews import services
from tests.api.conftest import client_for
from tests.showcase.images import image_bytes

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


GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.parametrize("url", ["/", "/projects/", "{project}", "/api/projects/"])
def test_public_responses_are_stored_compressed_for_clients_that_take_gzip(client, project, url):
    url = url.format(project=project.url)
    plain, _ = get(client, url)
    packed, packed_queries = get(client, url, **GZIP)
    again, again_queries = get(client, url, **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    # Each encoding is its own cache entry and its own validator; a hit is not recompressed.
    assert packed_queries > 1 and again_queries == 1 and again.content == packed.content
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    revalidated, queries = get(client, url, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP)
    assert revalidated.status_code == 304 and queries == 1
    mixed, _ = get(client, url, HTTP_IF_NONE_MATCH=plain["ETag"], **GZIP)
    assert mixed.status_code == 200 and mixed["Content-Encoding"] == "gzip"


def test_signed_in_pages_and_api_answers_are_compressed_too(client, project, user):
    client.force_login(user)
    page = client.get(project.url, **GZIP)
    assert page["Content-Encoding"] == "gzip"
    assert "Write a review" in gzip.decompress(page.content).decode()
    api = client_for(user).get("/api/projects/", **GZIP)
    assert api["Content-Encoding"] == "gzip" and api["ETag"].startswith('W/"')
    assert b'"results"' in gzip.decompress(api.content)
    # Its validator still answers 304 (a weak match is what If-None-Match compares).
    again = client_for(user).get("/api/projects/", HTTP_IF_NONE_MATCH=api["ETag"], **GZIP)
    assert again.status_code == 304


def test_images_are_not_recompressed(client, project_index):
    # A flat-colour PNG: gzip would shrink it, so only the content-type rule keeps it as is.
    file = ImageFile(io.BytesIO(image_bytes((1200, 700))), name="cover.png")
    image = get_image_model().objects.create(title="Cover", file=file)
    response = client.get(image.file.url, **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "Content-Encoding" not in response
