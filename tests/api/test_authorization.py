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
    # Another author's image is not found (404), as another author's draft is not.
    ("image detail", "get", "/api/images/{image}/", None, _status(401, 403, 200, 404, 200)),
    ("image upload", "post", "/api/images/", _upload_body, _status(401, 403, 201, 201, 201)),
    ("image delete", "delete", "/api/images/{image}/", None, _status(401, 403, 204, 404, 204)),
    # Reviews: `review` is written by `user` on the owner's project; `mine` by the owner's
    # rival (other_author) is irrelevant here, so the "own" column is the `user` role.
    (
        "project reviews",
        "get",
        "/api/projects/{project}/reviews/",
        None,
        _status(200, 200, 200, 200, 200),
    ),
    (
        "review post",
        "post",
        "/api/projects/{fresh_project}/reviews/",
        lambda: {"rating": 5, "title": "Great", "body": "Worked first time for me."},
        # The project belongs to the owner role: reviewing one's own project is refused.
        _status(401, 201, 403, 201, 201),
    ),
    ("reviews list (admin)", "get", "/api/reviews/", None, _status(401, 403, 403, 403, 200)),
    ("review detail", "get", "/api/reviews/{review}/", None, _status(200, 200, 200, 200, 200)),
    (
        "hidden review detail",
        "get",
        "/api/reviews/{hidden_review}/",
        None,
        _status(404, 200, 404, 404, 200),
    ),
    (
        "review edit",
        "patch",
        "/api/reviews/{review}/",
        lambda: {"title": "Edited title"},
        _status(401, 200, 403, 403, 200),
    ),
    (
        "review replace",
        "put",
        "/api/reviews/{review}/",
        lambda: {"rating": 3, "title": "Replaced", "body": "Replaced body, long enough."},
        _status(401, 200, 403, 403, 200),
    ),
    ("review delete", "delete", "/api/reviews/{review}/", None, _status(401, 204, 403, 403, 204)),
    ("review hide", "post", "/api/reviews/{review}/hide/", None, _status(401, 403, 403, 403, 200)),
    (
        "review restore",
        "post",
        "/api/reviews/{hidden_review}/restore/",
        None,
        _status(401, 403, 403, 403, 200),
    ),
    (
        "reply set",
        "put",
        "/api/reviews/{review}/reply/",
        lambda: {"body": "Thanks for trying it!"},
        _status(401, 403, 200, 403, 403),
    ),
    (
        "reply delete",
        "delete",
        "/api/reviews/{review}/reply/",
        None,
        _status(401, 403, 204, 403, 204),
    ),
    (
        "helpful mark",
        "post",
        "/api/reviews/{review}/helpful/",
        None,
        # Who you are is a permission rule (403): not one's own review, not as the
        # project's owner.
        _status(401, 403, 403, 200, 200),
    ),
    (
        "helpful unmark",
        "delete",
        "/api/reviews/{review}/helpful/",
        None,
        _status(401, 200, 200, 200, 200),
    ),
    (
        "report review",
        "post",
        "/api/reports/",
        lambda: {"target_type": "review", "target_id": "{review}", "reason": "spam"},
        # Reporting one's own review is refused (403, like every "who you are" rule).
        _status(401, 403, 201, 201, 201),
    ),
    (
        "report project",
        "post",
        "/api/reports/",
        lambda: {"target_type": "project", "target_id": "{project}", "reason": "spam"},
        _status(401, 201, 403, 201, 201),
    ),
    ("reports list", "get", "/api/reports/", None, _status(401, 403, 403, 403, 200)),
    ("report detail", "get", "/api/reports/{report}/", None, _status(401, 403, 403, 403, 200)),
    (
        "report resolve",
        "post",
        "/api/reports/{report}/resolve/",
        None,
        _status(401, 403, 403, 403, 200),
    ),
    (
        "report dismiss",
        "post",
        "/api/reports/{report}/dismiss/",
        None,
        _status(401, 403, 403, 403, 200),
    ),
]


@pytest.fixture
def world(project, author, other_author, user, admin):
    """The objects each path refers to, owned by `author` (the owner role)."""
    from reviews.factories import ReviewFactory
    from reviews.models import Report, Review, ReviewReply

    # Complete projects (cover, category, description), so that publishing them is allowed.
    description = [{"type": "paragraph", "value": "<p>What it does.</p>"}]
    project.cover_image, project.description = make_image(author), description
    project.save_revision(user=author).publish(user=author)
    draft = ProjectPageFactory(
        owner=author, live=False, cover_image=make_image(author), description=description
    )
    review = ReviewFactory(project=project, author=user)
    ReviewReply.objects.create(review=review, author=author, body="Thanks!")
    hidden = ReviewFactory(
        project=ProjectPageFactory(owner=author), author=user, status=Review.Status.HIDDEN
    )
    reporter = type(user).objects.create_user(email="reporter@example.test", password="x")
    report = Report.objects.create(reporter=reporter, review=review, reason="spam")
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
            "fresh_project": ProjectPageFactory(owner=author).pk,
            "review": review.pk,
            "hidden_review": hidden.pk,
            "report": report.pk,
        },
    }


def _call(world, role, method, template, body):
    client = client_for(world["users"][role])
    path = template.format(**world["refs"])
    data = body() if body else None
    if data:
        data = {k: _ref(v, world["refs"]) for k, v in data.items()}
    fmt = "multipart" if data and "file" in data else "json"
    return (
        getattr(client, method)(path, data, format=fmt) if data else getattr(client, method)(path)
    )


def _ref(value, refs):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return refs[value[1:-1]]
    return value


class _Rollback(Exception):
    pass


@pytest.mark.parametrize(
    ("name", "method", "template", "body", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_roles_matrix(world, name, method, template, body, expected):
    """Each role calls the endpoint on the same data; a savepoint undoes each call."""
    from django.core.cache import cache
    from django.db import transaction

    mismatches = []
    for role in ROLES:
        cache.clear()
        try:
            with transaction.atomic():
                response = _call(world, role, method, template, body)
                got = response.status_code
                if got != expected[role]:
                    mismatches.append((role, expected[role], got, response.content[:200]))
                elif got >= 400:
                    assert set(response.json()) >= {"message", "errors"}, (role, response)
                raise _Rollback
        except _Rollback:
            pass
    assert not mismatches, f"{name}: {mismatches}"


def test_moderators_group_member_is_an_admin(world):
    """ "Admin" is a superuser or a Moderators member: re-walk the admin column as the latter."""
    from django.core.cache import cache
    from django.db import transaction

    from accounts.factories import ModeratorFactory

    world["users"]["admin"] = ModeratorFactory()
    mismatches = []
    for name, method, template, body, expected in CASES:
        cache.clear()
        try:
            with transaction.atomic():
                got = _call(world, "admin", method, template, body).status_code
                if got != expected["admin"]:
                    mismatches.append((name, expected["admin"], got))
                raise _Rollback
        except _Rollback:
            pass
    assert not mismatches, mismatches


def test_comakers_walk_the_owners_column_except_delete(world):
    """A co-maker of the owner's projects answers like the owner for every project action but
    deleting (the owner's alone), and may not review them; for the rest (images, others'
    reviews) like another author."""
    from django.core.cache import cache
    from django.db import transaction

    from accounts.factories import AuthorFactory
    from showcase.models import ProjectMember

    member = AuthorFactory()
    for key in ("project", "draft", "fresh_project"):
        ProjectMember.objects.create(
            project_id=world["refs"][key], user=member, status=ProjectMember.Status.ACTIVE
        )
    world["users"]["other_author"] = member
    owners_column = {"project edit", "project replace", "draft detail", "draft edit",
                     "project publish", "draft publish", "project unpublish"}  # fmt: skip
    mismatches = []
    for name, method, template, body, expected in CASES:
        want = (
            403
            # Not theirs to delete; nor to review, nor to vote on its reviews.
            if name in ("project delete", "review post", "helpful mark")
            else (expected["owner"] if name in owners_column else expected["other_author"])
        )
        cache.clear()
        try:
            with transaction.atomic():
                got = _call(world, "other_author", method, template, body).status_code
                if got != want:
                    mismatches.append((name, want, got))
                raise _Rollback
        except _Rollback:
            pass
    assert not mismatches, mismatches
