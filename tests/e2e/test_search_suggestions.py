"""The header search suggests projects while typing (prefix and typo tolerant), works with the
keyboard and says what it offers to screen readers; without JavaScript it is a plain search."""

import re

import pytest
from playwright.sync_api import expect

from showcase.factories import ProjectPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def projects(site_pages, author, reindex):
    ProjectPageFactory(owner=author, title="Harbor", slug="harbor", tagline="Run a registry")
    ProjectPageFactory(owner=author, title="Lantern", slug="lantern", tagline="A lamp")
    reindex()


def test_a_visitor_types_a_misspelt_name_and_picks_the_suggestion(page, projects):
    page.goto("/")
    box = page.get_by_role("combobox", name="Search projects")
    box.type("harbr", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("Harbor")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status")).to_contain_text("suggestion")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url("**/projects/harbor/")


def test_escape_closes_and_enter_searches(page, projects):
    page.goto("/")
    box = page.get_by_role("combobox", name="Search projects")
    box.type("lant", delay=30)
    expect(page.get_by_role("option").first).to_contain_text("Lantern")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("lant")  # Escape also clears a search field (the browser's own behaviour)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/projects/\?q=lant"))
    expect(page.get_by_role("link", name="Lantern").first).to_be_visible()


def test_without_javascript_it_is_a_search_form(browser, live_server, projects):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto("/")
        tab.get_by_role("searchbox", name="Search projects").fill("harbr")
        tab.get_by_role("button", name="Search").click()
        tab.wait_for_url(re.compile(r"/projects/\?q=harbr"))
        expect(tab.get_by_role("link", name="Harbor").first).to_be_visible()
    finally:
        context.close()
