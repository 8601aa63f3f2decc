"""Every endpoint and method, for every role, answers what the roles matrix implies.

Roles: anonymous, a signed-in user, the author owning the objects, another author, an admin.
"""

import pytest

from showcase.factories import CategoryFactory, ProjectPageFactory
from tests.api.conftest import client_for, make_image, png_bytes

pytestmark = pytest.mark.django_db

ROLES = ["anon", "user", "owner", "other_author", "admin"]


def _status(anon, user, owner, other_author, admin):
    return dict(zip(ROLES, [anon, user, owner, other_author, admin], strict=True))


PROJECT_FIELDS = {"title": "Matrix project", "tagline": "Checks every role"}


def _upload_body():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("m.png", png_bytes(), content_type="image/png")}


# (name, method, path template, body factory or None, expected statuses)
CASES = [
    ("projects list", "get", "/api/projects/", None, _status(200, 200, 200, 200, 200)),
    ("project detail", "get", "/api/projects/{project}/", None, _status(200, 200, 200, 200, 200)),
    ("project by slug", "get", "/api/projects/{slug}/", None, _status(200, 200, 200, 200, 200)),
    ("draft detail", "get", "/api/projects/{draft}/", None, _status(404, 404, 200, 404, 200)),
    (
        "project create",
        "post",
        "/api/projects/",
        lambda: dict(PROJECT_FIELDS),
        _status(401, 403, 201, 201, 201),
    ),
    (
        "project edit",
        "patch",
        "/api/projects/{project}/",
        lambda: {"tagline": "Edited"},
        _status(401, 403, 200, 403, 200),
    ),
    (
        "project replace",
        "put",
        "/api/projects/{project}/",
        lambda: dict(PROJECT_FIELDS),
        _status(401, 403, 200, 403, 200),
    ),
    (
        "draft edit",
        "patch",
        "/api/projects/{draft}/",
        lambda: {"tagline": "Edited"},
        _status(401, 404, 200, 404, 200),
    ),
    (
        "project publish",
        "post",
        "/api/projects/{project}/publish/",
        None,
        _status(401, 403, 200, 403, 200),
    ),
    (
        "draft publish",
        "post",
        "/api/projects/{draft}/publish/",
        None,
        _status(401, 404, 200, 404, 200),
    ),
    (
        "project unpublish",
        "post",
        "/api/projects/{project}/unpublish/",
        None,
        _status(401, 403, 200, 403, 200),
    ),
    (
        "project delete",
        "delete",
        "/api/projects/{project}/",
        None,
        _status(401, 403, 204, 403, 204),
    ),
    ("my projects", "get", "/api/me/projects/", None, _status(401, 200, 200, 200, 200)),
    ("categories list", "get", "/api/categories/", None, _status(200, 200, 200, 200, 200)),
    (
        "category detail",
        "get",
        "/api/categories/{category}/",
        None,
        _status(200, 200, 200, 200, 200),
    ),
    (
        "category create",
        "post",
        "/api/categories/",
        lambda: {"name": "Robots", "slug": "robots"},
        _status(401, 403, 403, 403, 201),
    ),
    (
        "category edit",
        "patch",
        "/api/categories/{category}/",
        lambda: {"description": "Edited"},
        _status(401, 403, 403, 403, 200),
    ),
    (
        "category replace",
        "put",
        "/api/categories/{category}/",
        lambda: {"name": "Renamed", "slug": "renamed"},
        _status(401, 403, 403, 403, 200),
    ),
    (
        "category delete",
        "delete",
        "/api/categories/{category}/",
        None,
        _status(401, 403, 403, 403, 204),
    ),
    ("images list", "get", "/api/images/", None, _status(401, 403, 200, 200, 200)),
    ("image detail", "get", "/api/images/{image}/", None, _status(401, 403, 200, 403, 200)),
    ("image upload", "post", "/api/images/", _upload_body, _status(401, 403, 201, 201, 201)),
    ("image delete", "delete", "/api/images/{image}/", None, _status(401, 403, 204, 403, 204)),
]


@pytest.fixture
def world(project, author, other_author, user, admin):
    """The objects each path refers to, owned by `author` (the owner role)."""
    draft = ProjectPageFactory(owner=author, live=False)
    return {
        "users": {
            "anon": None,
            "user": user,
            "owner": author,
            "other_author": other_author,
            "admin": admin,
        },
        "refs": {
            "project": project.pk,
            "slug": project.slug,
            "draft": draft.pk,
            "category": CategoryFactory().pk,
            "image": make_image(author).pk,
        },
    }


def _call(world, role, method, template, body):
    client = client_for(world["users"][role])
    path = template.format(**world["refs"])
    data = body() if body else None
    fmt = "multipart" if data and "file" in data else "json"
    return (
        getattr(client, method)(path, data, format=fmt) if data else getattr(client, method)(path)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "template", "body", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_roles_matrix(world, role, name, method, template, body, expected):
    response = _call(world, role, method, template, body)
    assert response.status_code == expected[role], (name, role, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) >= {"message", "errors"}
