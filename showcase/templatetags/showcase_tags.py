"""Template helpers for project pages and cards."""

from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found

from showcase import renditions as rendition_specs

register = template.Library()


@register.simple_tag
def cover_picture(image, name, loading="lazy", alt=None, css_class="", no_upscale=False, **attrs):
    """A <picture> with WebP and JPEG sources, srcset, width/height, for a named rendition set.

    `loading="eager"` for images above the fold (a project's cover), "lazy" otherwise.
    `no_upscale=True` caps the displayed width at the widest rendition (a small upload is not
    stretched; `sizes` alone would size it to the layout).
    """
    if not image:
        return ""
    filters = [Filter(spec=spec) for spec in rendition_specs.expanded(name)]
    renditions = get_renditions_or_not_found(image, filters)
    html_attrs = {
        "sizes": rendition_specs.SIZES[name],
        "loading": loading,
        "decoding": "async",
        "alt": image.default_alt_text if alt is None else alt,
        **attrs,
    }
    if css_class:
        html_attrs["class"] = css_class
    if no_upscale and renditions:
        widest = max(rendition.width for rendition in renditions.values())
        html_attrs["style"] = f"max-width: min(100%, {int(widest)}px)"
    return mark_safe(Picture(renditions, html_attrs).__html__())  # noqa: S308 (flatatt escapes)


@register.simple_tag
def rendition_of(image, name: str):
    """The single rendition of a one-spec set (e.g. "lightbox"), or None without an image."""
    if not image:
        return None
    return get_rendition_or_not_found(image, rendition_specs.SPECS[name])


@register.simple_tag
def social_image(image):
    """The Open Graph / Twitter rendition of an image (or None)."""
    if not image:
        return None
    return get_rendition_or_not_found(image, rendition_specs.SPECS["social"])


@register.inclusion_tag("showcase/includes/stars.html")
def stars(value, count=None):
    """Five stars for a rating average, with an accessible text equivalent."""
    try:
        value = float(value or 0)
    except (TypeError, ValueError):
        value = 0.0
    full = int(round(value))
    return {
        "value": value,
        "count": count,
        "filled": range(full),
        "empty": range(5 - full),
    }


def _filter_pairs(filters, fixed=None, **changes) -> list[tuple[str, str]]:
    data = dict(filters.form.cleaned_data) if filters.is_valid() else {}
    data.update(changes)
    pairs = []
    for key in ("q", "category", "tag"):
        value = data.get(key)
        if value and key not in (fixed or {}):
            pairs.append((key, getattr(value, "slug", value)))
    if data.get("sort") and data["sort"] != ("relevance" if data.get("q") else "newest"):
        pairs.append(("sort", data["sort"]))
    return pairs


@register.simple_tag
def canonical_query(filters, page_obj, fixed=None) -> str:
    """The listing's canonical query string: its valid filters and page, in a fixed order
    (parameters a category or tag page fixes are in its path, not its query)."""
    pairs = _filter_pairs(filters, fixed)
    if page_obj.number > 1:
        pairs.append(("page", page_obj.number))
    return f"?{urlencode(pairs)}" if pairs else ""


@register.simple_tag
def refine(filters, fixed=None, **changes) -> str:
    """The listing's query string with one filter changed (back to the first page)."""
    pairs = _filter_pairs(filters, fixed, **changes)
    return f"?{urlencode(pairs)}" if pairs else "?"
