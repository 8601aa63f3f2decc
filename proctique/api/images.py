"""Rendition URLs for API responses; specs are shared by the REST API and the headless API."""

from wagtail.images import get_image_model

LIST_RENDITIONS = {"thumbnail": "fill-480x320"}
DETAIL_RENDITIONS = {"thumbnail": "fill-480x320", "medium": "max-1200x900"}


def image_queryset(specs: dict[str, str]):
    """Images with the renditions of `specs` prefetched (one query for each)."""
    return get_image_model().objects.prefetch_renditions(*specs.values())


def image_payload(image, specs: dict[str, str]) -> dict | None:
    """id, title, size, the original's URL and one URL per rendition spec."""
    if image is None:
        return None
    renditions = image.get_renditions(*specs.values())
    return {
        "id": image.pk,
        "title": image.title,
        "width": image.width,
        "height": image.height,
        "url": _absolute(image.file.url),
        "renditions": {name: renditions[spec].full_url for name, spec in specs.items()},
    }


def _absolute(url: str) -> str:
    from django.conf import settings

    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
