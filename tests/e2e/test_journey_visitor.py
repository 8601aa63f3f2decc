"""Visitor: searches, filters by category, sorts by top rated, opens a project, reads reviews,
follows "Sign in to review"."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.support import card_titles, choose

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_journey(page, catalogue):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Search from the header: with JavaScript a combobox with suggestions; Enter still searches.
    search = page.get_by_role("combobox", name="Search projects")
    search.fill("lumen")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/projects/\?.*q=lumen"))
    assert card_titles(page) == ["Lumen Notes"]

    # Back to everything, then one category.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    assert set(card_titles(page)) >= {"Lumen Notes", "Quartz Profiler", "Pixel Arcade"}
    choose(page, "Category", "Developer tools")
    assert set(card_titles(page)) == {"Lumen Notes", "Quartz Profiler"}

    # Top rated first; the category filter stays in the shareable URL.
    choose(page, "Sort", re.compile("top rated", re.I))
    assert card_titles(page) == ["Quartz Profiler", "Lumen Notes"]
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("category") and query.get("sort")

    # Open the project and read its reviews.
    page.get_by_role("link", name="Lumen Notes").first.click()
    page.wait_for_url(re.compile(r"/projects/lumen-notes/"))
    expect(page.get_by_role("heading", level=1, name="Lumen Notes")).to_be_visible()
    reviews = page.locator("#reviews")
    expect(reviews.get_by_role("heading", name="Reviews")).to_be_visible()
    expect(reviews.get_by_text("3 reviews").first).to_be_visible()
    for reviewer in catalogue.reviewers[:3]:
        expect(reviews.get_by_text(f"Solid notes app ({reviewer.username})")).to_be_visible()

    # A visitor cannot review: the call to action signs in and comes back here.
    page.get_by_role("link", name="Sign in to review").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert parse_qs(urlsplit(page.url).query)["next"][0].startswith("/projects/lumen-notes/")
    expect(page.get_by_role("heading", level=1, name=re.compile("sign in", re.I))).to_be_visible()
