"""The site's URLs. Public routes say here which query parameters they read, and so which
responses are cached for anonymous callers (proctique.middleware.public_cache)."""

import re
from functools import wraps

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from community.views import ranking
from insights.api import ProjectInsightsViewSet
from proctique import health
from proctique.middleware import public_cache
from showcase.api.headless import LiveImagesAPIViewSet, ProjectPagesAPIViewSet

# allauth renders its rate-limit responses with this handler.
handler429 = "accounts.views.rate_limited"
# Under /api/ an unknown path or an unhandled error answers in the API's JSON error format; a
# database or storage outage raised outside a view answers 503, not 500.
handler404 = "proctique.api.errors.not_found"
handler500 = "proctique.api.errors.server_error"

LISTING = ("q", "category", "tag", "sort", "page")
PAGES = (*LISTING, "reviews_sort", "reviews_page")
API_LISTING = (*LISTING, "page_size")
HEADLESS = (
    "type", "fields", "limit", "offset", "order", "search", "search_operator", "child_of",
    "descendant_of", "ancestor_of", "slug", "id", "locale", "site", "html_path",
)  # fmt: skip

_WAGTAIL_INLINE_SCRIPTS = csp_update({"script-src": ["'unsafe-inline'"]})
# Previews render the site's own pages (and so, content): they keep the site's strict policy.
PREVIEWS = re.compile(r"/(preview|view_draft)/|/revisions/\d+/view/")


def ADMIN_CSP(view):  # noqa: N802 (used like the csp decorators)
    """The admin's views may run Wagtail's inline scripts; its previews may not."""
    relaxed = _WAGTAIL_INLINE_SCRIPTS(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        chosen = view if PREVIEWS.search(request.path) else relaxed
        return chosen(request, *args, **kwargs)

    return wrapped


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ProjectPagesAPIViewSet)
api_router.register_endpoint("images", LiveImagesAPIViewSet)

headless_urls = api_router.urls
decorate_urlpatterns(headless_urls[0], public_cache(*HEADLESS))

public_api = [
    path("", include("showcase.api.urls")),
    path("", include("reviews.api.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sitemap.xml", public_cache()(sitemap), name="sitemap"),
    *decorate_urlpatterns([path("", include("showcase.urls"))], public_cache("page", "q", "sort")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("reviews/", include("reviews.urls")),
    path("tasks/", include("tasks.urls")),
    path("", include("insights.urls")),
    path("", include("community.urls")),
    path("ranking/", public_cache()(ranking), name="ranking"),
    path("", include("follows.urls")),
    path(
        "privacy/",
        public_cache()(TemplateView.as_view(template_name="privacy.html")),
        name="privacy",
    ),
    path(
        "api/projects/<str:project_id>/insights/",
        ProjectInsightsViewSet.as_view({"get": "retrieve"}),
        name="api-project-insights",
    ),
    path("api/auth/", include("accounts.api.urls")),
    # Upvotes and collections are per caller (private collections): never in the public cache.
    path("api/", include("community.api_urls")),
    path("api/", include(decorate_urlpatterns(public_api, public_cache(*API_LISTING)))),
    path("api/", include("follows.api.urls")),
    path("api/v2/", headless_urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own request (no inline script).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", include("accounts.admin_urls")),
    path("admin/", include("showcase.admin_urls")),
    # Wagtail's admin still renders inline scripts (inline panels, date widgets): only here
    # may they run; connect-src, img-src and form-action still keep data on this host.
    path(
        "admin/",
        include(decorate_urlpatterns(wagtailadmin_urls.urlpatterns, ADMIN_CSP)),
    ),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # Local media without a bucket (development, or one machine behind a proxy): Django serves
    # it; with S3 the storage's own URLs are used instead.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += [
    *[p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"],
    re_path(
        wagtail_urls.serve_pattern, public_cache(*PAGES)(wagtail_views.serve), name="wagtail_serve"
    ),
]
