"""Hostile input, one table per parameter type: every route answers a 4xx with a JSON error (the
API) or an ordinary page (the web), never a 500.

Each row names the route, the value and the exact answer a caller gets, so a new route or a new
kind of value is one more row.
"""

import json
from email.utils import getaddresses

import pytest
from rest_framework.test import APIClient

from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.factories import ReviewFactory
from showcase.factories import CategoryFactory
from tests.api.conftest import access_token_for, png_bytes

pytestmark = pytest.mark.django_db

# Values that look like an id to a careless parser: "²".isdigit() is True and int("²") raises.
HOSTILE_IDS = [
    "²",
    "١٢",  # Arabic-Indic digits: int() accepts them, the id converter must not
    "9" * 30,  # past bigint
    "1e3",
    "1%00",  # a NUL byte once decoded (PostgreSQL refuses it in text)
    "%E2%80%A8",  # LINE SEPARATOR
]
# Leading and trailing whitespace is trimmed (as forms do), so the characters sit inside.
HOSTILE_TEXT = ["a\x00b", "Name\r\nBcc: x@example.test", "tab\there", "\x1b[31m", "a\u2028b"]
# Query-string form of the same values (the client sends the query as given).
HOSTILE_QUERY = ["a%00b", "a%0D%0ABcc:x", "a%1Bb"]


@pytest.fixture
def as_admin(admin) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(admin)}")
    return client


@pytest.fixture
def as_author(author) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(author)}")
    return client


def assert_json_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    if "errors" in body or field:
        assert isinstance(body["errors"], dict)
    if field:
        assert field in body["errors"], body
    return body


# --- Path ids ------------------------------------------------------------------------------

ID_ROUTES = [
    ("get", "/api/projects/{}/"),
    ("get", "/api/projects/{}/reviews/"),
    ("post", "/api/projects/{}/reviews/"),
    ("get", "/api/projects/{}/members/"),
    ("get", "/api/projects/{}/insights/"),
    ("post", "/api/projects/{}/publish/"),
    ("get", "/api/reviews/{}/"),
    ("patch", "/api/reviews/{}/"),
    ("post", "/api/reviews/{}/helpful/"),
    ("post", "/api/reviews/{}/hide/"),
    ("get", "/api/categories/{}/"),
    ("delete", "/api/categories/{}/"),
    ("get", "/api/images/{}/"),
    ("delete", "/api/images/{}/"),
    ("get", "/api/reports/{}/"),
    ("post", "/api/reports/{}/resolve/"),
    ("delete", "/api/me/invitations/{}/"),
    ("post", "/api/me/invitations/{}/accept/"),
    ("get", "/api/v2/pages/{}/"),
    ("get", "/api/v2/images/{}/"),
]


@pytest.mark.parametrize("value", HOSTILE_IDS)
@pytest.mark.parametrize(("method", "route"), ID_ROUTES)
def test_malformed_path_id_is_a_json_404(as_admin, project, method, route, value):
    response = getattr(as_admin, method)(route.format(value), {}, format="json")
    assert_json_error(response, 404)


# --- Query strings: text, integers, choices -----------------------------------------------

TEXT_QUERY_ROUTES = [
    ("/api/projects/", "q"),
    ("/api/projects/", "tag"),
    ("/api/projects/", "category"),
    ("/api/projects/", "sort"),
    ("/api/reviews/", "status"),
    ("/api/reports/", "status"),
]


@pytest.mark.parametrize("value", HOSTILE_QUERY)
@pytest.mark.parametrize(("route", "param"), TEXT_QUERY_ROUTES)
def test_control_characters_in_a_query_parameter_are_a_400(as_admin, project, route, param, value):
    response = as_admin.get(f"{route}?{param}={value}")
    assert_json_error(response, 400, param)


INTEGER_QUERY_ROUTES = [
    ("/api/projects/", "page"),
    ("/api/projects/", "page_size"),
    ("/api/categories/", "page"),
    ("/api/reviews/", "project"),
    ("/api/reviews/", "page_size"),
]


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "1e3", "%00"])
@pytest.mark.parametrize(("route", "param"), INTEGER_QUERY_ROUTES)
def test_malformed_integer_query_parameter_is_a_400(as_admin, project, route, param, value):
    response = as_admin.get(f"{route}?{param}={value}")
    assert_json_error(response, 400, param)


HEADLESS_PARAMS = [
    ("search", "%00"),
    ("search", "a%00b"),
    ("offset", "9" * 30),
    ("offset", "²"),
    ("offset", "-1"),
    ("limit", "9" * 30),
    ("limit", "²"),
    ("id", "²"),
    ("id", "9" * 30),
    ("slug", "%00"),
    ("child_of", "²"),
    ("child_of", "9" * 30),
    ("descendant_of", "%00"),
    ("type", "%00"),
    ("fields", "%00"),
    ("order", "%00"),
    ("html_path", "%00"),
    ("locale", "%00"),
]


@pytest.mark.parametrize("endpoint", ["pages", "images"])
@pytest.mark.parametrize(("param", "value"), HEADLESS_PARAMS)
def test_headless_query_parameters_are_a_400(client, project, endpoint, param, value):
    response = client.get(f"/api/v2/{endpoint}/?{param}={value}")
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


# --- JSON bodies -------------------------------------------------------------------------

BODY_ROUTES = [
    ("post", "/api/auth/token/verify/"),
    ("post", "/api/auth/token/"),
    ("post", "/api/auth/token/refresh/"),
    ("post", "/api/auth/register/"),
    ("post", "/api/auth/password-reset/"),
    ("patch", "/api/auth/me/"),
    ("post", "/api/projects/"),
    ("post", "/api/projects/{project}/reviews/"),
    ("post", "/api/reports/"),
    ("post", "/api/categories/"),
]
NESTED = "[" * 5000 + "]" * 5000
BAD_BODIES = {
    "nested-5000": NESTED,
    "nested-objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "truncated": '{"title": "x"',
    "not-json": "title=x",
    "lone-surrogate": '{"title": "\\ud800", "name": "\\udfff", "email": "\\ud800"}',
}
# Valid JSON but not an object: a field error is not possible, the body is refused.
NOT_OBJECTS = ["[]", '"text"', "null"]


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize(("method", "route"), BODY_ROUTES)
def test_malformed_json_body_is_a_400(as_admin, project, method, route, body):
    response = getattr(as_admin, method)(
        route.format(project=project.pk), body, content_type="application/json"
    )
    assert_json_error(response, 400)


@pytest.mark.parametrize("body", NOT_OBJECTS)
@pytest.mark.parametrize(("method", "route"), BODY_ROUTES)
def test_json_body_that_is_not_an_object_is_a_400(as_admin, project, method, route, body):
    response = getattr(as_admin, method)(
        route.format(project=project.pk), body, content_type="application/json"
    )
    assert_json_error(response, 400)


def test_deep_json_without_any_credentials_is_a_400(client):
    response = client.post("/api/auth/token/verify/", NESTED, content_type="application/json")
    assert_json_error(response, 400)


# --- Single-line text fields ---------------------------------------------------------------

TEXT_FIELDS = [
    # (client fixture, method, route, base body, field)
    ("as_author", "post", "/api/projects/", {"title": "Fine", "tagline": "Fine too"}, "title"),
    ("as_author", "post", "/api/projects/", {"title": "Fine", "tagline": "Fine too"}, "tagline"),
    ("as_author", "patch", "/api/projects/{project}/", {}, "title"),
    ("as_author", "patch", "/api/projects/{project}/", {}, "tagline"),
    ("as_author", "post", "/api/projects/", {"title": "Fine", "tagline": "t"}, "tags"),
    ("as_admin", "patch", "/api/auth/me/", {}, "display_name"),
    (
        None,
        "post",
        "/api/auth/register/",
        {"email": "new@example.test", "username": "newbie", "password": "a long pass phrase 42"},
        "display_name",
    ),
    (
        None,
        "post",
        "/api/auth/register/",
        {"email": "new@example.test", "password": "a long pass phrase 42"},
        "username",
    ),
    (
        "as_admin",
        "post",
        "/api/projects/{project}/reviews/",
        {"rating": 4, "body": "A body long enough."},
        "title",
    ),
    ("as_admin", "post", "/api/categories/", {"name": "Fine", "slug": "fine"}, "name"),
    ("as_admin", "post", "/api/categories/", {"name": "Fine", "slug": "fine"}, "slug"),
    ("as_admin", "post", "/api/projects/", {"title": "Fine", "tagline": "t"}, "category"),
]


@pytest.mark.parametrize("value", HOSTILE_TEXT)
@pytest.mark.parametrize(
    ("who", "method", "route", "base", "field"),
    TEXT_FIELDS,
    ids=[f"{m}-{r}-{f}" for _, m, r, _, f in TEXT_FIELDS],
)
def test_control_characters_in_single_line_fields_are_a_field_error(
    request, project, who, method, route, base, field, value
):
    client = request.getfixturevalue(who) if who else APIClient()
    sent = {**base, field: [f"tag{value}"] if field == "tags" else value}
    response = getattr(client, method)(route.format(project=project.pk), sent, format="json")
    body = assert_json_error(response, 400)
    # A list field names the item at fault ("tags.0").
    assert any(key.split(".")[0] == field for key in body["errors"]), body


# --- Uploads ------------------------------------------------------------------------------


def _upload(client, content: bytes, name="photo.png", **extra):
    return client.post(
        "/api/images/",
        {"file": SimpleUploadedFile(name, content, content_type="image/png"), **extra},
        format="multipart",
    )


@pytest.mark.parametrize(
    "content",
    [
        png_bytes((300, 200))[:200],
        png_bytes((300, 200))[:40],
        b"\x89PNG\r\n\x1a\n",
        b"",
        b"GIF89a" + b"\x00" * 20,
    ],
    ids=["truncated", "header-only", "signature-only", "empty", "garbage"],
)
def test_broken_image_upload_is_a_field_error(as_author, content):
    assert_json_error(_upload(as_author, content), 400, "file")


def test_control_characters_in_an_image_title_are_a_field_error(as_author):
    response = _upload(as_author, png_bytes(), title="bad\x00title")
    assert_json_error(response, 400, "title")


def test_uploads_are_rate_limited_per_user(settings, author, other_author):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "uploads": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(author)}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(other_author)}")
    assert _upload(first, png_bytes()).status_code == 201
    assert _upload(first, png_bytes()).status_code == 201
    body = assert_json_error(_upload(first, png_bytes()), 429)
    assert body["retry_after"] > 0
    # Another user's allowance is their own.
    assert _upload(second, png_bytes()).status_code == 201


def test_deleting_an_image_right_after_upload_leaves_the_worker_nothing_to_fail_on(
    as_author, huey_immediate, django_capture_on_commit_callbacks
):
    from wagtail.images import get_image_model

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = _upload(as_author, png_bytes((400, 300)))
    assert created.status_code == 201
    image_id = created.json()["id"]
    assert as_author.delete(f"/api/images/{image_id}/").status_code == 204
    # The rendition task queued by the upload runs after the delete: it finds nothing to do.
    for callback in callbacks:
        callback()
    assert not get_image_model().objects.filter(pk=image_id).exists()
    assert not get_image_model().get_rendition_model().objects.filter(image_id=image_id).exists()


# --- Rows that collide ---------------------------------------------------------------------


def test_two_projects_with_the_same_longest_title_get_distinct_slugs(as_author):
    title = "T" * 255
    slugs = []
    for _ in range(3):
        response = as_author.post(
            "/api/projects/", {"title": title, "tagline": "Same"}, format="json"
        )
        assert response.status_code == 201, response.json()
        slugs.append(response.json()["slug"])
    assert len(set(slugs)) == 3
    assert all(len(slug) <= 255 for slug in slugs)


def test_title_past_the_limit_is_a_field_error(as_author):
    response = as_author.post("/api/projects/", {"title": "T" * 256, "tagline": "x"}, format="json")
    assert_json_error(response, 400, "title")


# --- Unknown API paths ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/nope/", "/api/projects/1/nope/", "/api/v2/", "/api/v2/nope/", "/api/auth/x/"],
)
def test_unknown_api_paths_answer_json(client, path):
    assert_json_error(client.get(path), 404)


# --- Web routes --------------------------------------------------------------------------

WEB_QUERIES = [
    "/projects/?q={}",
    "/projects/?tag={}",
    "/projects/?category={}",
    "/projects/?sort={}",
    "/projects/?page={}",
    "/projects/suggest/?q={}",
    "/authors/?q={}",
    "/authors/?page={}",
    "/?q={}",
]


@pytest.mark.parametrize("value", ["%00", "a%1Bb", "²", "9" * 30])
@pytest.mark.parametrize("route", WEB_QUERIES)
def test_web_listings_with_hostile_parameters_answer_normally(client, project, route, value):
    response = client.get(route.format(value))
    # The listing renders (an invalid filter is a form error on the page, not a failure).
    assert response.status_code == 200, response.status_code


@pytest.mark.parametrize(
    "path",
    [
        "/projects/%00/",
        "/projects/a%00b/",
        "/authors/%00/",
        "/authors/a%00b/",
        "/projects/category/%00/feed/",
        "/projects/%E2%80%A8/",
    ],
)
def test_web_paths_with_control_characters_are_a_404(client, project, path):
    assert client.get(path).status_code == 404


# --- Rows stored before the rule: feeds and emails stay safe --------------------------------


def test_feeds_survive_control_characters_already_stored(client, project, author):
    type(project).objects.filter(pk=project.pk).update(tagline="bell\x07 and \x1b escape")
    type(author).objects.filter(pk=author.pk).update(display_name="Evil\r\nName\x0b")
    for path in ("/projects/feed/", "/projects/feed/atom/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"bell  and   escape" in response.content
        assert b"Evil  Name" in response.content
        assert b"\x07" not in response.content and b"\x1b" not in response.content


def test_feed_links_follow_site_url_not_the_callers_scheme(client, project, settings):
    settings.SITE_URL = "https://proctique.example.test"
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/projects/feed/", HTTP_X_FORWARDED_PROTO="http")
    second = client.get("/projects/feed/", HTTP_X_FORWARDED_PROTO="https")
    for response in (first, second):
        assert response.status_code == 200
        assert b"https://proctique.example.test/" in response.content
        assert b"http://testserver" not in response.content


def test_email_to_an_owner_with_a_line_break_in_their_name_is_delivered(
    author, user, project, mailoutbox, huey_immediate, django_capture_on_commit_callbacks
):
    from reviews import services

    type(author).objects.filter(pk=author.pk).update(display_name="Owner\r\nBcc: x@example.test")
    type(user).objects.filter(pk=user.pk).update(display_name="Rev\r\niewer")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            author=user, project=project, rating=5, title="Great", body="Works for me, nicely."
        )
    to_owner = [m for m in mailoutbox if m.subject.startswith("New 5-star review")]
    assert len(to_owner) == 1, [m.subject for m in mailoutbox]
    for sent in mailoutbox:
        message = sent.message()
        for header in ("To", "Subject", "From"):
            assert "\n" not in str(message[header] or "")
        addresses = [address for _, address in getaddresses(sent.recipients())]
        assert "x@example.test" not in addresses
    assert [address for _, address in getaddresses(to_owner[0].to)] == [author.email]


def test_review_page_links_in_the_cached_fragment_carry_only_the_callers_query(
    client, project, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(12):
        ReviewFactory(project=project, title=f"Review {n}")
    first = client.get(project.url + "?utm_source=spam&reviews_sort=newest")
    assert first.status_code == 200
    second = client.get(project.url)
    assert second.status_code == 200
    assert b"utm_source" not in second.content


def test_category_filter_by_unknown_slug_is_a_field_error(as_admin):
    CategoryFactory(slug="tools")
    assert as_admin.get("/api/projects/?category=tools").status_code == 200
    assert_json_error(as_admin.get("/api/projects/?category=nope"), 400, "category")


def test_unsupported_media_type_is_a_415_that_echoes_nothing(as_admin):
    response = as_admin.post(
        "/api/projects/", json.dumps({"title": "<script>x</script>" * 20}), content_type="text/x"
    )
    assert_json_error(response, 415)
    assert b"<script>" not in response.content
