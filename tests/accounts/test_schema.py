"""The account API's part of the OpenAPI contract."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

AUTH_PATHS = {
    "/api/auth/register/": ("post", {"201", "400", "429"}),
    "/api/auth/token/": ("post", {"200", "400", "401", "429"}),
    "/api/auth/token/refresh/": ("post", {"200", "400", "401", "429"}),
    "/api/auth/token/verify/": ("post", {"200", "400", "401", "429"}),
    "/api/auth/logout/": ("post", {"204", "400", "401", "403", "429"}),
    "/api/auth/me/": ("get", {"200", "401", "429"}),
    "/api/auth/become-author/": ("post", {"200", "401", "429"}),
    "/api/auth/password-reset/": ("post", {"202", "400", "429"}),
    "/api/auth/password-reset/confirm/": ("post", {"200", "400", "429"}),
}
SIGNED_IN = {"/api/auth/logout/", "/api/auth/me/", "/api/auth/become-author/"}


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


def test_me_patch_is_documented_too(schema):
    statuses = set(schema["paths"]["/api/auth/me/"]["patch"]["responses"])
    assert {"200", "400", "401", "429"} <= statuses


@pytest.mark.parametrize("path", AUTH_PATHS)
def test_auth_endpoints_state_their_security(schema, path):
    for operation in schema["paths"][path].values():
        security = operation.get("security")
        if path in SIGNED_IN:
            assert security == [{"jwtAuth": []}], (path, security)
        else:
            assert security == [{}], (path, security)


@pytest.mark.parametrize("path", AUTH_PATHS)
def test_auth_endpoints_take_json_only(schema, path):
    for operation in schema["paths"][path].values():
        if "requestBody" in operation:
            assert set(operation["requestBody"]["content"]) == {"application/json"}


def test_errors_share_the_one_error_component(schema):
    names = schema["components"]["schemas"]
    assert [name for name in names if "error" in name.lower()] == ["ApiError"]
    for path in AUTH_PATHS:
        for operation in schema["paths"][path].values():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ApiError", (path, code)


def test_status_enums_have_meaningful_names(schema):
    names = set(schema["components"]["schemas"])
    assert {"ReviewStatusEnum", "ReportStatusEnum", "ProjectStatusEnum"} <= names
    assert not [name for name in names if name.startswith("Status")]
