from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from proctique import health
from proctique.api.headless import api_router

# allauth renders its rate-limit responses with this handler.
handler429 = "accounts.views.rate_limited"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("showcase.urls")),
    path("accounts/", include("accounts.urls")),
    path("authors/", include("accounts.profile_urls")),
    path("accounts/", include("allauth.urls")),
    path("reviews/", include("reviews.urls")),
    path("tasks/", include("tasks.urls")),
    path("api/auth/", include("accounts.api.urls")),
    path("api/", include("showcase.api.urls")),
    path("api/", include("reviews.api.urls")),
    path("api/v2/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own request (no inline script).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", include("accounts.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
