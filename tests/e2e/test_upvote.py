"""A signed-in user toggles "I use this" on a project page: the button and the count change in
place, without a page reload, and the vote is stored; the page also works without JavaScript
(tests/community/test_upvotes.py posts the plain form)."""

import pytest
from playwright.sync_api import expect

from showcase.factories import ProjectPageFactory
from tests.e2e.support import axe_violations, describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_upvote_button_toggles_without_a_reload(page, site_pages, author, user, sign_in):
    from community.models import Upvote

    project = ProjectPageFactory(owner=author, title="Harbor", slug="harbor")
    sign_in(user)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(project.url)
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.__stillHere = true")
    button = page.get_by_role("button", name="I use this")
    expect(button).to_have_attribute("aria-pressed", "false")
    count = page.locator("#upvote [data-upvote-count]")
    expect(count).to_have_text("0 upvotes")

    button.focus()
    page.keyboard.press("Enter")
    pressed = page.get_by_role("button", name="You use this")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("1 upvote")
    assert page.evaluate("window.__stillHere") is True
    assert Upvote.objects.filter(user=user, project=project).count() == 1

    pressed.click()
    expect(page.get_by_role("button", name="I use this")).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text("0 upvotes")
    assert page.evaluate("window.__stillHere") is True
    assert not Upvote.objects.filter(user=user, project=project).exists()
    assert not errors, errors  # no CSP violation, no script error


def test_the_community_controls_and_a_collection_are_accessible(
    page, site_pages, author, user, sign_in
):
    from community import services

    project = ProjectPageFactory(owner=author, title="Harbor", slug="harbor")
    collection = services.collection_create(owner=user, title="Shelf", is_public=True)
    services.collection_add(collection=collection, actor=user, project=project, note="Good")
    sign_in(user)
    page.goto(project.url)
    page.get_by_text("Save to collection").click()  # open the disclosure so axe sees the form
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto(collection.get_absolute_url())
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto("/collections/")
    violations = axe_violations(page)
    assert not violations, describe(violations)
