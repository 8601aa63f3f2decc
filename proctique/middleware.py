"""HTTP caching headers that fit each response."""

from collections.abc import Callable

from django.conf import settings
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
