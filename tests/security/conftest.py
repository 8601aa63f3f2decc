"""Fixtures for the cross-route security tests: the seeded site, role clients, helpers."""

import pytest

from tests.api.conftest import client_for, make_image, png_bytes

__all__ = ["client_for", "complete_fields", "make_image", "png_bytes"]


@pytest.fixture(autouse=True)
def _site(site_pages):
    """Every test runs on the seeded site: home, projects index, role groups."""


def complete_fields(owner, category, **extra) -> dict:
    """API fields of a project that may go live: cover (the owner's own), category, text."""
    return {
        "title": "Complete project",
        "tagline": "Everything a published project needs",
        "category": category.slug,
        "cover_image": make_image(owner).pk,
        "description": [{"type": "paragraph", "value": "<p>What it does.</p>"}],
        **extra,
    }
