"""gzip for the responses the app renders itself: HTML, JSON, XML, text.

It sits below `PublicCacheMiddleware`, so a public response is stored compressed and a cache
hit costs no compression; the cache keys and ETags of public responses name the encoding
(`accepts_gzip`). Static files are compressed ahead of time by WhiteNoise (above both), and
media (images, downloads) is already compressed, so neither goes through here.

BREACH: Django's middleware pads each compressed body with up to 100 random bytes, and CSRF
tokens are masked per response, so a secret's compressed length does not leak it.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the response to `request` is sent gzip-compressed (when worth compressing)."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for text responses only."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
