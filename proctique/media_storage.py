"""Media storages whose file URLs are computed once per name.

A listing writes two or three URLs per card (the original and its renditions), and the storage
computes each from scratch: a quote and a urljoin on disk, botocore's URL builder on S3 (which
signs nothing here: AWS_QUERYSTRING_AUTH is off, so a name's URL never changes). The URL of a
name depends only on the storage's settings, so it is kept per storage until they change.
"""

from storages.backends.s3 import S3Storage

from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed

# Names kept per storage; past this the memo starts again (a page shows a few dozen).
URLS_KEPT = 10_000


class MemoisedUrls:
    """`url(name)` as the storage computes it, kept per name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}
        # MEDIA_URL and the AWS settings can change under tests (override_settings).
        setting_changed.connect(self._forget_urls, weak=True)

    def _forget_urls(self, **kwargs) -> None:
        self._urls = {}

    def _memoises(self) -> bool:
        return True

    def url(self, name, *args, **kwargs):
        if args or kwargs or name is None or not self._memoises():
            return super().url(name, *args, **kwargs)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if len(self._urls) >= URLS_KEPT:
                self._urls = {}
            self._urls[name] = url
        return url


class LocalMediaStorage(MemoisedUrls, FileSystemStorage):
    """Media on the local disk (no bucket)."""


class BucketStorage(MemoisedUrls, S3Storage):
    """Media in an S3 bucket."""

    def _memoises(self) -> bool:
        # A signed URL expires, so it is made afresh each time.
        return not self.querystring_auth
