"""ETag / Last-Modified and conditional GET (304) for API reads.

The ETag is a hash of the rendered body, so it changes whenever anything in the representation
does (a new review moves a project's rating without touching its page timestamps). The
Last-Modified date is the moment this exact representation of this URL was first served: the
cache remembers (etag, since) per URL and caller, and starts a new date as soon as the body
changes, so `If-Modified-Since` never answers 304 for a body the client has not seen.
"""

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

CACHE_SECONDS = 60 * 60 * 24 * 7


def _cache_key(request) -> str:
    user = request.user.pk if request.user and request.user.is_authenticated else "anon"
    raw = f"{user}:{request.get_full_path()}".encode()
    return "api-last-modified:" + hashlib.sha256(raw).hexdigest()


def _representation_since(request, etag: str) -> datetime:
    key = _cache_key(request)
    stored = cache.get(key)
    if stored and stored[0] == etag:
        return stored[1]
    now = datetime.now(UTC).replace(microsecond=0)
    cache.set(key, (etag, now), CACHE_SECONDS)
    return now


def conditional_response(request, response):
    """Add ETag and Last-Modified to a successful GET/HEAD and answer 304 when they match."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    since = _representation_since(request, etag)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(since.timestamp())
    patch_vary_headers(response, ["Authorization"])
    response.setdefault("Cache-Control", "no-cache")
    return get_conditional_response(
        request, etag=etag, last_modified=int(since.timestamp()), response=response
    )
