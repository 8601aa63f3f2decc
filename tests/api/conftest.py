"""API test helpers: JWT-authenticated clients for each role."""

from io import BytesIO

import pytest
from PIL import Image as PILImage
from rest_framework.test import APIClient

from django.core.files.images import ImageFile

from wagtail.images import get_image_model


def access_token_for(user) -> str:
    """An access token as the auth endpoints issue it (with the `role` claim)."""
    from accounts.tokens import token_pair

    return token_pair(user)["access"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}")
    return client


@pytest.fixture
def api():
    """`api(user)` -> an APIClient authenticated as `user` (anonymous with None)."""
    return client_for


@pytest.fixture
def anon_client():
    return APIClient()


def png_bytes(size=(64, 48), color=(200, 40, 40)) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(user=None, size=(64, 48), title="pic"):
    """A Wagtail image row with a real PNG file, uploaded by `user`."""
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(BytesIO(png_bytes(size)), name=f"{title}.png"),
        uploaded_by_user=user,
    )


@pytest.fixture(autouse=True)
def _site(request):
    """Every API test runs on the seeded site: home, projects index, role groups."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("site_pages")


def make_complete(project, owner=None):
    """Give a project what it needs to go live (a cover its owner uploaded, a description)."""
    owner = owner or project.owner
    project.cover_image = make_image(owner, title=f"cover-{project.pk}")
    project.description = [{"type": "paragraph", "value": "<p>What it does.</p>"}]
    project.save_revision(user=owner).publish(user=owner)
    project.refresh_from_db()
    return project
