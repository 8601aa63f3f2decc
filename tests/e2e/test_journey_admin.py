"""Admin: opens the moderation dashboard, resolves a report (the review disappears from the
page), revokes an author's role."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in_with_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_journey(page, catalogue, admin, user, other_author):
    from accounts.factories import DEFAULT_PASSWORD
    from reviews.models import Report, Review

    review = Review.objects.get(title="Fun for a minute")
    report = Report.objects.create(reporter=user, review=review, reason="spam", note="Ad link")

    page.goto(catalogue.arcade.url)
    expect(page.get_by_text("Fun for a minute")).to_be_visible()

    page.goto("/")
    sign_in_with_form(page, admin.email, DEFAULT_PASSWORD, next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    panel = page.get_by_role("region", name="Moderation")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name=re.compile(r"Open reports \(1\)"))).to_be_visible()
    # The open report, from the dashboard panel to its inspect view, then "Resolve".
    panel.get_by_role("link", name=re.compile(r"Spam: .*Fun for a minute")).click()
    page.wait_for_url(re.compile(r"/admin/snippets/reviews/report/inspect/"))
    page.locator("header").get_by_role(
        "button", name=re.compile(r"^(actions|more actions)$", re.I)
    ).first.click()
    page.get_by_role("link", name="Hide review and resolve").click()
    page.get_by_role("button", name="Hide review and resolve").click()
    expect(page.get_by_text(re.compile("report resolved", re.I))).to_be_visible()
    report.refresh_from_db()
    assert report.status == "resolved"

    page.goto(catalogue.arcade.url)
    expect(page.get_by_role("heading", level=1, name="Pixel Arcade")).to_be_visible()
    assert page.get_by_text("Fun for a minute").count() == 0

    # Revoke an author's role from the user admin.
    page.goto("/admin/users/")
    page.get_by_role("link", name=other_author.email, exact=True).first.click()
    page.get_by_role("tab", name="Roles").click()
    page.get_by_role("checkbox", name="Authors").uncheck()
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state()
    other_author.refresh_from_db()
    assert not other_author.is_author
