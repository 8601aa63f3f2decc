"""Images: upload validation through the admin, renditions pre-generated after upload,
responsive markup in templates."""

import pytest

from wagtail.images import get_image_model

from showcase import renditions
from showcase.factories import ProjectPageFactory
from showcase.tasks import generate_renditions
from tests.showcase.images import image_bytes, upload

pytestmark = pytest.mark.django_db

Image = get_image_model()
ADD_URL = "/admin/images/add/"


def post_upload(client, file, title="Cover"):
    return client.post(ADD_URL, {"title": title, "file": file, "tags": ""})


def form_errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def test_author_uploads_an_image_and_renditions_are_made_after_commit(
    client, author, site_pages, huey_immediate, django_capture_on_commit_callbacks
):
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_upload(client, upload("shot.png", image_bytes((1200, 800))))
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get(title="Cover")
    assert image.uploaded_by_user == author
    assert callbacks, "the rendition task is enqueued on commit, never inside the request"
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(renditions.all_specs())


def test_rendition_task_is_idempotent_and_skips_deleted_images(site_pages):
    image = Image(title="x", file=upload("x.png"))
    image.save()
    assert generate_renditions.call_local(image.pk) == len(renditions.all_specs())
    assert generate_renditions.call_local(image.pk) == len(renditions.all_specs())
    assert image.renditions.count() == len(renditions.all_specs())
    assert generate_renditions.call_local(999_999) == 0


def test_rendition_task_makes_the_rows_the_renditions_cache_still_holds(site_pages):
    # A database restored (or a bench database made again) under a running cache: the cache
    # holds renditions whose rows are gone. A raw delete sends no signal, so the cache keeps them.
    image = Image(title="x", file=upload("x.png"))
    image.save()
    generate_renditions.call_local(image.pk)
    Rendition = Image.get_rendition_model()
    Rendition.objects.filter(image=image)._raw_delete(Rendition.objects.db)
    assert generate_renditions.call_local(image.pk) == len(renditions.all_specs())
    assert image.renditions.count() == len(renditions.all_specs())


def test_fake_extension_is_refused(client, author, site_pages):
    client.force_login(author)
    response = post_upload(client, upload("evil.png", b"<?php system($_GET['c']); ?>"))
    assert response.status_code == 200
    assert "upload a valid image" in form_errors(response).lower()
    assert not Image.objects.exists()


def test_content_is_sniffed_not_trusted_by_extension(client, author, site_pages):
    client.force_login(author)
    # PNG bytes under a .jpg name: the extension does not match the content.
    response = post_upload(client, upload("photo.jpg", image_bytes(fmt="PNG"), "image/jpeg"))
    assert response.status_code == 200
    assert "extension does not match" in form_errors(response).lower()
    assert not Image.objects.exists()


def test_too_many_pixels_is_refused(client, author, site_pages, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100
    client.force_login(author)
    response = post_upload(client, upload("big.png", image_bytes((400, 400))))
    assert response.status_code == 200
    assert "too many pixels" in form_errors(response).lower()
    assert not Image.objects.exists()


def test_too_large_a_file_is_refused(client, author, site_pages, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    client.force_login(author)
    noisy = bytes(range(256)) * 64
    content = image_bytes((200, 200)) + noisy  # a valid PNG with trailing bytes, over 1 KB
    response = post_upload(client, upload("heavy.png", content))
    assert response.status_code == 200
    assert "file is too big" in form_errors(response).lower()
    assert not Image.objects.exists()


def test_limits_come_from_settings():
    from django.conf import settings

    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def test_plain_users_cannot_upload(client, user, site_pages):
    client.force_login(user)
    response = post_upload(client, upload())
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not Image.objects.exists()


def test_responsive_markup_on_cards_and_project_page(client, project_index, author):
    image = Image(title="Cover alt", file=upload("c.png", image_bytes((1600, 900))))
    image.save()
    generate_renditions.call_local(image.pk)
    project = ProjectPageFactory(owner=author, title="Pictured", cover_image=image)
    for n in range(5):
        ProjectPageFactory(owner=author, title=f"Older {n}", cover_image=image)

    listing = client.get("/projects/").content.decode()
    assert listing.count("<picture>") == 6
    assert 'type="image/webp"' in listing
    assert 'srcset="' in listing and " 400w" in listing and " 800w" in listing
    assert 'height="225"' in listing and 'width="400"' in listing
    assert ".format-webp.webp 800w" in listing
    # The first row (at most three cards wide) loads eagerly, the first card first; cards
    # further down lazily.
    assert listing.count('loading="lazy"') == 3
    assert listing.count('loading="eager"') == 3
    assert listing.count('fetchpriority="high"') == 1

    page = client.get(project.url).content.decode()
    assert page.count("<picture>") == 1
    assert 'loading="eager"' in page and 'fetchpriority="high"' in page
    assert 'alt="Cover alt"' in page
