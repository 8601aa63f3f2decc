"""Images in S3: originals and renditions land in the bucket; public URLs are unsigned."""

import pytest
import requests

from django.core.files.storage import default_storage

from wagtail.images import get_image_model

from showcase.factories import ProjectPageFactory
from showcase.tasks import generate_renditions
from tests.showcase.images import image_bytes, upload

pytestmark = pytest.mark.django_db

Image = get_image_model()


@pytest.fixture
def s3(s3_server, settings):
    # Reassigning STORAGES (not mutating it) fires setting_changed, which resets Django's
    # default_storage; Wagtail's image and rendition file fields use that lazy object.
    settings.STORAGES = s3_server.storages()
    return s3_server


def test_upload_and_renditions_are_stored_in_the_bucket(
    client, author, site_pages, s3, huey_immediate, django_capture_on_commit_callbacks
):
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/images/add/",
            {"title": "In S3", "file": upload("s3cover.png", image_bytes((1200, 700)))},
        )
    assert response.status_code == 302
    assert type(default_storage._wrapped).__name__ == "BucketStorage"
    image = Image.objects.get(title="In S3")
    keys = set(s3.keys())
    assert image.file.name in keys
    assert image.file.name.startswith("original_images/")
    renditions = list(image.renditions.all())
    assert renditions
    for rendition in renditions:
        assert rendition.file.name in keys
        assert rendition.url.startswith(f"{s3.endpoint_url}/{s3.bucket}/")
        assert "X-Amz-Signature" not in rendition.url and "Signature=" not in rendition.url

    head = s3.client().head_object(Bucket=s3.bucket, Key=image.file.name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    acl = s3.client().get_object_acl(Bucket=s3.bucket, Key=image.file.name)
    assert any(
        g["Grantee"].get("URI", "").endswith("AllUsers") and g["Permission"] == "READ"
        for g in acl["Grants"]
    )
    # The public URL really serves the object, without credentials.
    public = requests.get(image.file.url, timeout=10)
    assert public.status_code == 200
    assert public.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_name_never_overwrites(site_pages, s3):
    first = Image(title="one", file=upload("same.png", image_bytes(colour=(1, 2, 3))))
    first.save()
    second = Image(title="two", file=upload("same.png", image_bytes(colour=(3, 2, 1))))
    second.save()
    assert first.file.name != second.file.name
    assert {first.file.name, second.file.name} <= set(s3.keys())


def test_pages_link_renditions_in_the_bucket(client, project_index, author, s3):
    image = Image(title="page cover", file=upload("pc.png", image_bytes((1600, 900))))
    image.save()
    generate_renditions.call_local(image.pk)
    project = ProjectPageFactory(owner=author, cover_image=image)
    content = client.get(project.url).content.decode()
    assert f"{s3.endpoint_url}/{s3.bucket}/images/" in content
    listing = client.get("/projects/").content.decode()
    assert f"{s3.endpoint_url}/{s3.bucket}/images/" in listing


def test_custom_domain_urls(site_pages, s3_server, settings):
    settings.STORAGES = s3_server.storages(
        custom_domain="media.proctique.test", url_protocol="https:"
    )
    image = Image(title="cdn", file=upload("cdn.png"))
    image.save()
    assert image.file.name in set(s3_server.keys())
    assert image.file.url == f"https://media.proctique.test/{image.file.name}"
    rendition = image.get_rendition("fill-400x225|format-webp")
    assert rendition.file.name in set(s3_server.keys())
    assert rendition.url.startswith("https://media.proctique.test/images/")
