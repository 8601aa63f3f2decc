"""The image renditions the site's templates and APIs use, in one place.

Templates render them with `{% cover_picture %}` (showcase_tags), listings prefetch them with
`prefetch_specs()`, the APIs name theirs in `API_RENDITIONS`, and the worker generates every one
of them right after an upload (showcase.tasks), so no request pays for resizing.
"""

from wagtail.images.models import Filter

# name -> Wagtail filter spec with brace expansion (sizes x formats).
SPECS: dict[str, str] = {
    # Project cards: 16:9, two widths for 1x/2x, WebP with a JPEG fallback.
    "card": "fill-{400x225,800x450}|format-{webp,jpeg}",
    # The cover at the top of a project page: phones, the 69rem column at 1x, and 2x screens.
    "cover": "fill-{800x450,1200x675,1600x900}|format-{webp,jpeg}",
    # Gallery thumbnails on the project page.
    "gallery": "max-{480x480,960x960}|format-{webp,jpeg}",
    # A gallery image opened full size (the lightbox; the link target without JavaScript).
    "lightbox": "max-1600x1600|format-webp",
    # Open Graph / Twitter card image (one JPEG, the size social sites ask for).
    "social": "fill-1200x630|format-jpeg",
    # What the REST and headless APIs return.
    "api_list": "fill-480x320",
    "api_detail": "{fill-480x320,max-1200x900}",
}

# The `sizes` attribute that goes with each srcset: the width the layout gives the image
# (static/css/site.css: a 74rem container with clamp(1rem, 4vw, 2.5rem) padding each side).
SIZES: dict[str, str] = {
    "card": "(min-width: 60rem) 25vw, (min-width: 40rem) 50vw, 100vw",
    "cover": "(min-width: 74rem) 69rem, (min-width: 62.5rem) calc(100vw - 5rem), "
    "(min-width: 25rem) 92vw, calc(100vw - 2rem)",
    "gallery": "(min-width: 40rem) 33vw, 100vw",
    "social": "1200px",
}

# API payload names of the API rendition sets.
API_RENDITIONS: dict[str, dict[str, str]] = {
    "api_list": {"thumbnail": "fill-480x320"},
    "api_detail": {"thumbnail": "fill-480x320", "medium": "max-1200x900"},
}


_filters: dict[str, Filter] = {}


def filter_for(spec: str) -> Filter:
    """The Wagtail filter of `spec`, one per process: a Filter parses its spec into operations
    once, and `get_renditions()` with a spec string builds a new one (and parses again) per
    image."""
    found = _filters.get(spec)
    if found is None:
        found = _filters[spec] = Filter(spec=spec)
    return found


def expanded(name: str) -> list[str]:
    """The individual filter specs of a named rendition set, e.g. 'fill-400x225|format-webp'."""
    return Filter().expand_spec(SPECS[name])


def prefetch_specs(*names: str) -> list[str]:
    """Every filter spec of the named sets, for `Image.objects.prefetch_renditions(...)`."""
    return list(dict.fromkeys(spec for name in names for spec in expanded(name)))


def all_specs() -> list[str]:
    """Everything a template or an API may ask for: what the upload task generates."""
    return prefetch_specs(*SPECS)
