"""Keyboard only: the skip link comes first, every control is reachable, the review form works."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import review_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim(),
                  id: el.id, name: el.getAttribute('name'), href: el.getAttribute('href'),
                  type: el.getAttribute('type'),
                  // The ring is on the element, or on its ::after when a link covers a card.
                  outline: [getComputedStyle(el), getComputedStyle(el, '::after')].some(
                    style => style.outlineStyle !== 'none' || style.boxShadow !== 'none')};
        }"""
    )


def tab_through(page, limit: int = 250) -> list[dict]:
    """Press Tab until focus wraps around; return what got focus, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        if current["tag"] == "body" or (seen and current == seen[0]):
            break
        seen.append(current)
    return seen


def test_skip_link_is_first_and_moves_focus_to_main(page, catalogue):
    page.goto(catalogue.lumen.url)
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to content"
    assert page.get_by_role("link", name="Skip to content").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the header.
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.parametrize("path", ["/", "/projects/", "project"])
def test_every_control_is_reachable_and_shows_focus(page, catalogue, path):
    page.goto(catalogue.lumen.url if path == "project" else path)
    stops = tab_through(page)
    reachable = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
                 .filter(el => !el.disabled && el.type !== 'hidden' && el.offsetParent !== null
                         && !el.closest('[inert]') && el.tabIndex >= 0).length"""
    )
    assert len(stops) >= reachable, f"{len(stops)} focus stops for {reachable} controls"
    assert all(stop["outline"] for stop in stops), [s for s in stops if not s["outline"]]
    texts = [stop["text"] for stop in stops]
    assert "Skip to content" in texts
    assert any(re.fullmatch(r"Projects", t) for t in texts)


def test_review_form_is_usable_by_keyboard(page, catalogue, user, sign_in):
    sign_in(user)
    page.goto(catalogue.arcade.url)
    form = review_form(page)
    # Tab from the top of the page until the first control of the review form has focus.
    form_controls = form.locator("input:not([type=hidden]), select, textarea, button")
    first_id = form_controls.first.get_attribute("id")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == first_id:
            break
    else:
        pytest.fail("the review form cannot be reached with Tab")
    # Rating: Space picks the focused star; arrows move through the group (in either order).
    page.keyboard.press("Space")
    for key in ["ArrowRight"] * 4 + ["ArrowLeft"] * 4:
        if page.evaluate("document.activeElement.value") == "5":
            break
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.checked && document.activeElement.value")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["name"] == "title":
            break
    page.keyboard.type("Great little games")
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page)["tag"] == "textarea":
            break
    page.keyboard.type("Short, sharp and they work on my phone.")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["tag"] in {"button", "input"} and focused(page)["type"] == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#reviews").get_by_text("Great little games")).to_be_visible()

    from reviews.models import Review

    assert Review.objects.get(author=user, project=catalogue.arcade).rating == 5
