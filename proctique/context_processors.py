from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Site-wide template values: base URL, site name and the fragment cache lifetime."""
    return {
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "FRAGMENT_CACHE_SECONDS": settings.FRAGMENT_CACHE_SECONDS,
    }
