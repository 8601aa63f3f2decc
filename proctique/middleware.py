"""HTTP caching headers that fit each response."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/tasks/", "/reviews/")


class CacheControlMiddleware:
    """Public pages are cacheable by browsers and CDNs; anything personal is `private`.

    A response that already says how to cache it (Wagtail's admin, never_cache views, the
    conditional-GET API) is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 301, 404):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        personal = (
            getattr(request, "user", None) is not None and request.user.is_authenticated
        ) or request.path.startswith(PRIVATE_PREFIXES)
        if personal or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            # The same URL renders differently once signed in; shared caches must key on it.
            patch_vary_headers(response, ["Cookie"])
        return response


CACHEABLE_EXCLUDED_PREFIXES = (
    "/admin/",
    "/api/",
    "/accounts/",
    "/reviews/",
    "/tasks/",
    "/documents/",
    "/healthz",
    "/readyz",
)


class PublicPageCacheMiddleware:
    """Whole responses of public pages for visitors without a session, from Redis.

    Keyed by the catalogue version (showcase.cache), which every publish, unpublish, edit,
    deletion and review write bumps after commit, so a change shows on the next request.
    Only responses that CacheControlMiddleware marked `public` and that set no cookie are
    stored; anyone with a session or pending messages is always served fresh.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def _key(self, request: HttpRequest) -> str | None:
        if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return None
        if request.path.startswith(CACHEABLE_EXCLUDED_PREFIXES):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        from showcase.cache import catalogue_version

        return (
            f"page:{catalogue_version()}:{request.method}:{request.get_host()}"
            f":{request.get_full_path()}"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(
                    lambda r: cache.set(key, r, settings.PAGE_CACHE_SECONDS)
                )
            else:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response
