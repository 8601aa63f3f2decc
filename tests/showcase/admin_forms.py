"""Form data for the Wagtail page editor, as the admin's own form would post it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from showcase.factories import CategoryFactory
from tests.api.conftest import make_image


def project_form_data(page=None, **overrides) -> dict:
    values = {
        "title": getattr(page, "title", "A project"),
        "slug": getattr(page, "slug", "a-project"),
        "tagline": getattr(page, "tagline", "A tagline"),
        "description": streamfield([]),
        "cover_image": getattr(page, "cover_image_id", None) or "",
        "gallery_images": inline_formset([]),
        "repository_url": "",
        "demo_url": "",
        "website_url": "",
        "category": getattr(page, "category_id", None) or "",
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    values.update(overrides)
    return nested_form_data(values)


def complete_form_data(owner, page=None, **overrides) -> dict:
    """Form data of a project that may go live: a cover its owner uploaded, a category, text."""
    values = {
        "cover_image": make_image(owner).pk,
        "category": getattr(page, "category_id", None) or CategoryFactory().pk,
        "description": streamfield([("paragraph", rich_text("<p>What it does.</p>"))]),
        **overrides,
    }
    return project_form_data(page, **values)
