"""Media URLs computed once per name (proctique.media_storage) are the storage's own URLs, and
follow its settings when they change; signed bucket URLs are made afresh every time."""

from urllib.parse import parse_qs, urlsplit

import pytest
from storages.backends.s3 import S3Storage

from django.core.files.storage import FileSystemStorage
from django.test.utils import override_settings

from proctique import media_storage
from proctique.media_storage import BucketStorage, LocalMediaStorage

NAMES = ["images/cover.png", "images/a cover (1).png", "images/\u00e9t\u00e9.webp", "x/y%z.jpg"]
BUCKET = {
    "bucket_name": "media",
    "endpoint_url": "http://127.0.0.1:9",  # never contacted: making a URL sends nothing
    "access_key": "key",
    "secret_key": "secret",
    "region_name": "us-east-1",
}


@pytest.mark.parametrize("name", NAMES)
def test_local_urls_are_the_storages_own(name):
    memoised, plain = LocalMediaStorage(), FileSystemStorage()
    assert memoised.url(name) == plain.url(name)
    assert memoised.url(name) == plain.url(name)  # the kept URL, asked again


def test_local_urls_follow_media_url_when_it_changes():
    storage = LocalMediaStorage()
    before = storage.url("images/cover.png")
    with override_settings(MEDIA_URL="/files/"):
        assert storage.url("images/cover.png") == "/files/images/cover.png"
    assert storage.url("images/cover.png") == before


def test_the_memo_starts_again_past_its_bound(monkeypatch):
    monkeypatch.setattr(media_storage, "URLS_KEPT", 3)
    storage = LocalMediaStorage()
    urls = [storage.url(f"images/{n}.png") for n in range(10)]
    assert urls == [FileSystemStorage().url(f"images/{n}.png") for n in range(10)]
    assert len(storage._urls) <= 3


@pytest.mark.parametrize("name", NAMES)
def test_unsigned_bucket_urls_are_the_storages_own(name):
    memoised = BucketStorage(querystring_auth=False, **BUCKET)
    plain = S3Storage(querystring_auth=False, **BUCKET)
    assert memoised.url(name) == plain.url(name)
    assert memoised.url(name) == plain.url(name)


def test_signed_bucket_urls_are_made_each_time():
    storage = BucketStorage(querystring_auth=True, **BUCKET)
    first = parse_qs(urlsplit(storage.url("images/cover.png")).query)
    storage.querystring_expire = 10 * storage.querystring_expire
    second = parse_qs(urlsplit(storage.url("images/cover.png")).query)
    assert int(second["Expires"][0]) > int(first["Expires"][0])
    assert first["Signature"] != second["Signature"]
