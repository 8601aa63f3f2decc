import io
import re

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model

from tests.api.conftest import make_image, png_bytes

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name="photo.png", content_type="image/png", **extra):
    return client.post(
        "/api/images/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type), **extra},
        format="multipart",
    )


def test_author_uploads_real_image(api, author, huey_immediate, django_capture_on_commit_callbacks):
    rendition_model = get_image_model().get_rendition_model()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(api(author), png_bytes((800, 600)), title="Board")
    assert response.status_code == 201, response.json()
    body = response.json()
    image = get_image_model().objects.get(pk=body["id"])
    assert image.uploaded_by_user == author
    assert image.file_size and image.file_hash
    assert (body["width"], body["height"]) == (800, 600)
    assert body["title"] == "Board"
    assert body["url"].startswith("http://testserver/media/original_images/")
    # The request made no renditions: the worker makes them after commit.
    assert body["renditions"] is None
    assert not rendition_model.objects.filter(image=image).exists()
    for callback in callbacks:
        callback()
    assert rendition_model.objects.filter(image=image).exists()
    detail = api(author).get(f"/api/images/{image.pk}/").json()
    assert set(detail["renditions"]) == {"thumbnail", "medium"}
    assert re.search(r"\.fill-480x320\.png$", detail["renditions"]["thumbnail"])


def test_plain_user_cannot_upload(api, user):
    response = upload(api(user), png_bytes())
    assert response.status_code == 403
    assert set(response.json()) >= {"message", "errors"}


def test_fake_image_rejected(api, author):
    response = upload(api(author), b"<?php echo 'not an image'; ?>", name="evil.png")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_extension_mismatch_rejected(api, author):
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(buffer, "GIF")
    response = upload(api(author), buffer.getvalue(), name="looks.png")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_too_many_pixels_rejected(api, author, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100
    response = upload(api(author), png_bytes((200, 200)))
    assert response.status_code == 400
    assert "too many pixels" in response.json()["errors"]["file"][0]


def test_too_large_rejected(api, author, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    content = png_bytes((300, 300))
    big = PILImage.effect_noise((300, 300), 100).convert("RGB")
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > 1024
    response = upload(api(author), content)
    assert response.status_code == 400
    assert "too big" in response.json()["errors"]["file"][0]


def test_delete_own_or_admin(api, author, other_author, admin):
    mine = make_image(author)
    # Another author's image is not found for them.
    assert api(other_author).delete(f"/api/images/{mine.pk}/").status_code == 404
    assert api(author).delete(f"/api/images/{mine.pk}/").status_code == 204
    theirs = make_image(other_author)
    assert api(admin).delete(f"/api/images/{theirs.pk}/").status_code == 204
    assert not get_image_model().objects.exists()


def test_upload_stored_in_s3(
    api, author, settings, s3_server, huey_immediate, django_capture_on_commit_callbacks
):
    settings.STORAGES = s3_server.storages()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api(author), png_bytes((640, 480)), name="s3-shot.png")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"].startswith(f"{s3_server.endpoint_url}/{s3_server.bucket}/original_images/")
    keys = s3_server.keys()
    assert any(k.startswith("original_images/s3-shot") for k in keys)
    assert any(k.startswith("images/s3-shot") and ".fill-480x320" in k for k in keys)
    detail = api(author).get(f"/api/images/{body['id']}/").json()
    assert detail["renditions"]["thumbnail"].startswith(s3_server.endpoint_url)
