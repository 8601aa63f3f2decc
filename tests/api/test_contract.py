"""The OpenAPI contract, error format, conditional GET, CORS and query budgets."""

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services
from reviews.factories import ReviewFactory
from showcase.factories import ProjectPageFactory
from tests.api.conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_validates_and_names_every_operation(schema):
    validate(schema)
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 40
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary") or op.get("description"), where
        errors = {code for code in op["responses"] if code.startswith(("4", "5"))}
        assert errors, where
        if not path.startswith("/api/auth/"):  # the accounts app documents its own
            assert op.get("security"), where  # every operation states its auth
            assert {"401", "429"} <= errors, where
            if {} not in op["security"]:
                assert "403" in errors, where


def test_schema_public_reads_allow_anonymous(schema):
    assert {} in schema["paths"]["/api/projects/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/projects/"]["post"]["security"]
    assert {"jwtAuth": []} in schema["paths"]["/api/projects/"]["post"]["security"]


def test_swagger_ui_served(client):
    assert client.get("/api/docs/").status_code == 200


def test_one_error_format(api, user):
    not_found = api(None).get("/api/projects/999999/")
    invalid = api(user).post("/api/reports/", {"target_type": "planet"}, format="json")
    unauthenticated = api(None).post("/api/projects/", {}, format="json")
    bad_token = api(None).get("/api/projects/", HTTP_AUTHORIZATION="Bearer nope")
    for response, status in [
        (not_found, 404),
        (invalid, 400),
        (unauthenticated, 401),
        (bad_token, 401),
    ]:
        assert response.status_code == status
        body = response.json()
        assert isinstance(body["message"], str) and isinstance(body["errors"], dict)
    assert set(invalid.json()["errors"]) >= {"target_type", "target_id", "reason"}


def test_conditional_get_etag_and_last_modified(
    api, project, user, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client = api(None)
    first = client.get(f"/api/projects/{project.pk}/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    # Answered from the content version alone, before any rendering: one query.
    with django_assert_num_queries(1):
        again = client.get(f"/api/projects/{project.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    since = client.get(f"/api/projects/{project.pk}/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    # A new review changes the rating: the validators move on once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            author=user, project=project, rating=1, title="Meh", body="Not for me, sadly."
        )
    changed = client.get(f"/api/projects/{project.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["review_count"] == 1
    lists = client.get("/api/projects/")
    assert client.get("/api/projects/", HTTP_IF_NONE_MATCH=lists["ETag"]).status_code == 304
    reviews = client.get(f"/api/projects/{project.pk}/reviews/")
    assert reviews.status_code == 200 and reviews["ETag"]


def test_cors_header_for_configured_origin(client, settings, project):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.test"]
    allowed = client.get("/api/projects/", HTTP_ORIGIN="https://app.example.test")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.test"
    other = client.get("/api/projects/", HTTP_ORIGIN="https://evil.example.test")
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options(
        "/api/projects/",
        HTTP_ORIGIN="https://app.example.test",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://app.example.test"
    assert "authorization" in preflight["Access-Control-Allow-Headers"].lower()


def _queries(client, path) -> int:
    client.get(path)  # renditions are made on first sight; the budget is for steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("authenticated", [False, True])
def test_project_list_query_budget(api, author, user, authenticated):
    counts = []
    for size in (5, 50):
        existing = len(ProjectPageFactory._meta.model.objects.all())
        for n in range(existing, size):
            page = ProjectPageFactory(owner=author)
            page.cover_image = make_image(author, title=f"cover{n}")
            page.tags.add(f"tag{n}", "common")
            page.save()
        counts.append(_queries(api(user if authenticated else None), "/api/projects/?page_size=50"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts


def test_review_list_query_budget(api, project, author):
    from accounts.factories import UserFactory
    from reviews.models import HelpfulVote, ReviewReply

    counts = []
    for size in (5, 50):
        for _ in range(project.reviews.count(), size):
            review = ReviewFactory(project=project, author=UserFactory())
            ReviewReply.objects.create(review=review, author=author, body="Thanks")
            HelpfulVote.objects.create(review=review, user=author)
        counts.append(_queries(api(None), f"/api/projects/{project.pk}/reviews/?page_size=50"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts


def test_token_from_the_auth_endpoint_works(client, author, project_index):
    from accounts.factories import DEFAULT_PASSWORD

    tokens = client.post(
        "/api/auth/token/",
        {"email": author.email, "password": DEFAULT_PASSWORD},
        content_type="application/json",
    ).json()
    response = client.post(
        "/api/projects/",
        {"title": "Via login", "tagline": "Token from the obtain endpoint"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['access']}",
    )
    assert response.status_code == 201, response.json()


def test_fields_always_returned_are_required(schema):
    components = schema["components"]["schemas"]
    assert {"status", "edited", "helpful_count", "reply"} <= set(components["Review"]["required"])
    assert {"review_count", "rating_average", "status", "url"} <= set(
        components["ProjectDetail"]["required"]
    )
    assert {"next", "previous", "count", "results"} <= set(
        components["PaginatedProjectListList"]["required"]
    )
    # Deliberately optional keys stay optional.
    assert "retry_after" not in components["ApiError"].get("required", [])


def test_token_verify_documents_its_body(schema):
    response = schema["paths"]["/api/auth/token/verify/"]["post"]["responses"]["200"]
    body = response["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TokenValid"}


def test_blank_or_url_fields_match_blank_once(schema):
    url = schema["components"]["schemas"]["ProjectWriteRequest"]["properties"]["repository_url"]
    for value in ("", "https://example.test/x"):
        matches = [jsonschema.Draft202012Validator(b).is_valid(value) for b in url["oneOf"]]
        assert matches.count(True) == 1, (value, url)
    jsonschema.validate("", url)
