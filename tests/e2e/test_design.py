"""The design system in the browser: notices, error pages, dark theme, print, phone layout."""

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in_with_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_messages_are_dismissible_notices(page, site_pages, user):
    from accounts.factories import DEFAULT_PASSWORD

    sign_in_with_form(page, user.email, DEFAULT_PASSWORD)
    notice = page.locator(".notices .notice").first
    expect(notice).to_be_visible()
    dismiss = notice.get_by_role("button", name="Dismiss message")
    dismiss.focus()
    page.keyboard.press("Enter")
    expect(notice).to_be_hidden()


def test_messages_show_without_javascript(browser, live_server, site_pages, user):
    from accounts.factories import DEFAULT_PASSWORD

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_with_form(page, user.email, DEFAULT_PASSWORD)
        expect(page.locator(".notices .notice").first).to_be_visible()
        assert page.locator(".notice__close").count() == 0
    finally:
        context.close()


def test_not_found_page_uses_the_site_layout(page, site_pages):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="Browse projects").first).to_be_visible()


def test_dark_theme_follows_the_system(page, site_pages):
    page.goto("/")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(background)
    assert light != dark
    channels = [int(c) for c in dark[dark.index("(") + 1 : -1].split(",")[:3]]
    assert sum(channels) < 120, dark


def test_print_hides_site_chrome(page, catalogue):
    page.goto(catalogue.lumen.url)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    expect(page.get_by_role("heading", level=1, name="Lumen Notes")).to_be_visible()


def test_phone_layout_has_no_horizontal_scroll(page, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/projects/", catalogue.lumen.url, "/accounts/login/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_the_site_header_looks_the_same_on_a_project_page(page, catalogue):
    """The project page's own header rules must not reach the site header above it."""
    box = "(() => { const r = document.querySelector('.site-header').getBoundingClientRect();"
    box += " const s = getComputedStyle(document.querySelector('.site-header'));"
    box += " return [r.height, s.display, s.paddingBottom]; })()"
    page.goto("/projects/")
    listing = page.evaluate(box)
    page.goto(catalogue.lumen.url)
    assert page.evaluate(box) == listing
