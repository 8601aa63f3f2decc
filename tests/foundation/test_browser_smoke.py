"""The home page in headless Chromium."""

import pytest

from django.core.management import call_command


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_home_page_heading_in_chromium(page):
    call_command("seed_demo", verbosity=0)
    page.goto("/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Discover projects worth your time"
