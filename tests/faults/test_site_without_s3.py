"""The whole site (gunicorn with two workers, a Huey consumer) on S3 media storage while the S3
endpoint is unreachable, then after it is back.

Pages with covers render (rendition URLs are only URLs, made without asking S3); an image
upload, in the Wagtail admin or through the API, answers a clear 503 and leaves no image row;
once S3 answers again an upload succeeds and the worker makes its renditions.
"""

import io

import pytest

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from accounts.factories import DEFAULT_PASSWORD, AuthorFactory
from showcase import renditions
from showcase.factories import ProjectPageFactory
from tests.faults.browser import Browser, assert_no_traceback, wait_until
from tests.showcase.images import image_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

Image = get_image_model()
STORAGE_MESSAGE = "Image storage cannot be reached, so the upload was not saved."


def png(name: str) -> tuple[str, bytes, str]:
    return (name, image_bytes((800, 600)), "image/png")


def test_pages_render_and_uploads_answer_503_while_s3_is_unreachable(
    start_site, own_s3, settings, site_pages
):
    settings.STORAGES = own_s3.storages()
    owner = AuthorFactory()
    cover = Image.objects.create(
        title="Cover in S3", file=ImageFile(io.BytesIO(image_bytes((1200, 700))), name="cover.png")
    )
    cover.get_renditions(*renditions.all_specs())  # as the worker did after the upload
    project = ProjectPageFactory(owner=owner, cover_image=cover)
    rendition_url = cover.renditions.first().url
    assert rendition_url.startswith(f"{own_s3.endpoint_url}/{own_s3.bucket}/images/")
    images_before = Image.objects.count()

    site = start_site(**own_s3.site_env())
    reader = Browser(site, bound=None)
    for path in ["/", "/projects/", project.url, "/api/projects/", f"/api/projects/{project.pk}/"]:
        assert reader.get(path).status_code == 200, path
    admin = Browser(site, bound=None)
    admin.sign_in(owner.email)
    api = Browser(site, bound=None)
    token = api.api("/api/auth/token/", {"email": owner.email, "password": DEFAULT_PASSWORD})
    access = token.json()["access"]

    own_s3.stop()

    # Reads: every page with the cover renders, its image URLs still point at the bucket.
    visitor = Browser(site)
    for path in ["/", "/projects/", project.url, "/api/projects/", f"/api/projects/{project.pk}/"]:
        response = visitor.get(path)
        assert response.status_code == 200, (path, response.text[:1000])
    assert own_s3.endpoint_url in visitor.get(project.url).text
    assert visitor.get("/api/v2/images/").status_code == 200

    # Uploads: a clear 503 in the admin and in the API, and no image row either way.
    admin_upload = admin.form(
        "/admin/images/add/", {"title": "Lost upload"}, files={"file": png("lost.png")}
    )
    assert admin_upload.status_code == 503, admin_upload.text[:2000]
    assert admin_upload.headers["Content-Type"].startswith("text/html")
    assert STORAGE_MESSAGE in admin_upload.text
    api_upload = api.session.post(
        f"{site.url}/api/images/",
        files={"file": png("lost-api.png")},
        data={"title": "Lost API upload"},
        headers={"Authorization": f"Bearer {access}"},
        timeout=30,
    )
    assert api_upload.status_code == 503, api_upload.text[:2000]
    assert api_upload.json()["code"] == "storage_unavailable"
    assert api_upload.json()["message"].startswith(STORAGE_MESSAGE)
    assert Image.objects.count() == images_before
    assert not Image.objects.filter(title__startswith="Lost").exists()
    # Readiness is about what every request needs; an S3 outage only stops uploads.
    assert visitor.get("/readyz").status_code == 200

    # S3 is back: the same processes upload again, and the worker makes the renditions.
    own_s3.start()
    uploaded = api.session.post(
        f"{site.url}/api/images/",
        files={"file": png("back.png")},
        data={"title": "Back in S3"},
        headers={"Authorization": f"Bearer {access}"},
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text[:2000]
    image = Image.objects.get(pk=uploaded.json()["id"])
    stored = own_s3.keys()
    assert image.file.name in stored
    specs = len(renditions.all_specs())
    assert wait_until(lambda: image.renditions.count() == specs, timeout=60), (
        site.consumer.output()[-4000:]
    )
    keys = set(own_s3.keys())
    assert all(r.file.name in keys for r in image.renditions.all())
    again = admin.form(
        "/admin/images/add/", {"title": "Admin upload"}, files={"file": png("admin.png")}
    )
    assert again.status_code == 302, again.text[:2000]
    assert Image.objects.filter(title="Admin upload").exists()

    assert_no_traceback(site)
    assert "storage unavailable: POST /admin/images/add/" in site.web_log()
