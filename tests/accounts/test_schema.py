"""The account API's part of the OpenAPI contract."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

AUTH_PATHS = {
    "/api/auth/register/": ("post", {"201", "400", "429"}),
    "/api/auth/token/": ("post", {"200", "400", "401", "429"}),
    "/api/auth/token/refresh/": ("post", {"200", "400", "401"}),
    "/api/auth/token/verify/": ("post", {"200", "400", "401"}),
    "/api/auth/logout/": ("post", {"204", "400", "401"}),
    "/api/auth/me/": ("get", {"200", "401"}),
    "/api/auth/become-author/": ("post", {"200", "401"}),
    "/api/auth/password-reset/": ("post", {"202", "400", "429"}),
    "/api/auth/password-reset/confirm/": ("post", {"200", "400", "429"}),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


@pytest.mark.parametrize("path", AUTH_PATHS)
def test_auth_endpoints_are_documented_with_their_errors(schema, path):
    method, statuses = AUTH_PATHS[path]
    operation = schema["paths"][path][method]
    assert statuses <= set(operation["responses"])


def test_me_patch_and_request_bodies_are_documented(schema):
    assert "patch" in schema["paths"]["/api/auth/me/"]
    body = schema["paths"]["/api/auth/token/"]["post"]["requestBody"]["content"]
    props = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"email", "password"} <= set(schema["components"]["schemas"][props]["properties"])
