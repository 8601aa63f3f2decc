"""HTTP caching of public responses: one rule for pages and API reads.

A route is public when its URL pattern is wrapped with `public_cache(...)` (see
`proctique.urls`); it names the query parameters that change its response. For a visitor
without a session and without an API token, such a route's GET/HEAD response

- carries `Cache-Control: public, max-age=PUBLIC_CACHE_SECONDS`, an ETag and a Last-Modified
  derived from the public content version (`proctique.versions`),
- answers 304 before any rendering when the client's validators match,
- is stored whole (compressed when the client accepts gzip, by `proctique.compression` below
  it) in the cache under the content version, the scheme, host, path, the whitelisted
  parameters, sorted, and the encoding. A request with any other parameter is served fresh and not
  stored, so random query strings cannot fill the cache.

Everything else (signed-in callers, other routes, writes) is `private, no-cache`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from proctique import versions
from proctique.compression import accepts_gzip

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


@dataclass(frozen=True)
class PublicCache:
    params: frozenset[str]


def public_cache(*params: str) -> Callable:
    """Mark a view public for anonymous callers; `params` are the query keys it reads."""
    policy = PublicCache(frozenset(params))

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if is_anonymous(request) and not response.has_header("Cache-Control"):
                request._public_response = True
            return response

        wrapped.public_cache = policy
        return wrapped

    return decorator


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no pending messages, no API token: the response is the same for everyone."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _policy(request: HttpRequest) -> PublicCache | None:
    if request.method not in ("GET", "HEAD") or not is_anonymous(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_cache", None)


def _normalised_query(request: HttpRequest, policy: PublicCache) -> str | None:
    """The whitelisted parameters, sorted; None when the request carries any other."""
    pairs = []
    for key, values in request.GET.lists():
        if key not in policy.params or len(values) != 1:
            return None
        pairs.append((key, values[0]))
    return urlencode(sorted(pairs))


class PublicCacheMiddleware:
    """Validators, 304s and the whole-response cache for public routes (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with versions.pinned():
            return self._read(request)

    def _read(self, request: HttpRequest) -> HttpResponse:
        policy = _policy(request)
        query = _normalised_query(request, policy) if policy is not None else None
        if query is None:
            return self.get_response(request)
        version = versions.current()
        # The compressed and the plain body are two representations: two keys, two ETags.
        encoding = "gzip" if accepts_gzip(request) else "identity"
        identity = f"{request.scheme}://{request.get_host()}{request.path}?{query} {encoding}"
        digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
        etag = f'"{version.value}-{digest}"'
        last_modified = int(version.changed_at.timestamp())
        if self._not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            self._validators(response, etag, last_modified)
            self._public_headers(response)
            return response
        key = f"public:{version.value}:{request.method}:{digest}"
        if settings.PAGE_CACHE_SECONDS:
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if not getattr(request, "_public_response", False) or response.status_code != 200:
            return response
        self._validators(response, etag, last_modified)
        if settings.PAGE_CACHE_SECONDS and not response.streaming and not response.cookies:
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.add_post_render_callback(lambda r: self._store(key, r))
            else:
                self._store(key, response)
        return response

    @staticmethod
    def _store(key: str, response: HttpResponse) -> None:
        if not response.cookies:
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)

    @staticmethod
    def _not_modified(request: HttpRequest, etag: str, last_modified: int) -> bool:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return etag in tags or "*" in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and last_modified <= since

    @staticmethod
    def _validators(response: HttpResponse, etag: str, last_modified: int) -> None:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)

    @staticmethod
    def _public_headers(response: HttpResponse) -> None:
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        # The same URL renders differently once signed in, and is compressed or not;
        # shared caches must key on both.
        patch_vary_headers(response, ["Accept-Encoding", "Cookie", "Authorization"])


class CacheControlMiddleware:
    """Public routes answered to anonymous callers are `public`; everything else `private`.

    A response that already says how to cache it (Wagtail's admin, never_cache views) is
    left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        public = (
            getattr(request, "_public_response", False)
            and response.status_code in (200, 301, 404)
            and not response.cookies
            and is_anonymous(request)
        )
        if public:
            PublicCacheMiddleware._public_headers(response)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
