"""Moderator: a user reports a review on the site; the moderator opens the report from the
dashboard, sees the project (linked), the review in full and its author, hides it from the
report view; every open report on it is closed, the review is gone from the page, and the
reporter and the review's author get one email each."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in_with_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_moderator_journey(page, catalogue, user, smtp_server, huey_immediate, sign_in):
    from accounts.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory
    from accounts.roles import ensure_role_groups
    from reviews import services
    from reviews.models import Report, Review

    ensure_role_groups()
    moderator = ModeratorFactory()
    review = Review.objects.get(title="Fun for a minute")
    second_reporter = UserFactory()
    services.report_create(reporter=second_reporter, target=review, reason="spam")

    # A user reports the review from the project page.
    sign_in(user)
    page.goto(catalogue.arcade.url)
    entry = page.locator(f"#review-{review.pk}")
    entry.get_by_role("link", name=re.compile("report", re.I)).click()
    # The report form opens inside the review (the project page has its own "Note" field for
    # collections, so look inside the review).
    entry.get_by_label("Abuse or harassment").check()
    entry.get_by_role("textbox", name="Note").fill("Insults the maker.")
    entry.get_by_role("button", name="Send report").click()
    expect(entry.get_by_text("Reported", exact=True)).to_be_visible()
    report = Report.objects.get(reporter=user, review=review)
    page.context.clear_cookies()

    # The moderator opens it from the dashboard.
    sign_in_with_form(page, moderator.email, DEFAULT_PASSWORD, next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    panel = page.get_by_role("region", name="Moderation")
    expect(panel.get_by_role("link", name=re.compile(r"Open reports \(2\)"))).to_be_visible()
    panel.get_by_role("link", name=re.compile(r"Abuse or harassment: .*Fun for a minute")).click()
    page.wait_for_url(re.compile(rf"/admin/snippets/reviews/report/inspect/{report.pk}/"))

    # The target in full: project linked to its page, the review's text and author.
    project_section = page.get_by_role("region", name="Project")
    expect(project_section.get_by_role("link", name="Pixel Arcade")).to_have_attribute(
        "href", re.compile(r"/projects/pixel-arcade/$")
    )
    review_section = page.get_by_role("region", name="Review")
    expect(review_section.get_by_text("Fun for a minute")).to_be_visible()
    expect(review_section.get_by_role("link", name=review.author.public_name)).to_be_visible()
    expect(page.get_by_text("Insults the maker.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Other open reports on this review"))).to_be_visible()

    # One decision, from the keyboard: hide the review.
    hide = page.get_by_role("region", name="Decide").get_by_role(
        "button", name="Hide review and resolve"
    )
    hide.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("report resolved", re.I))).to_be_visible()

    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    assert set(Report.objects.filter(review=review).values_list("status", flat=True)) == {
        "resolved"
    }
    page.goto(f"/admin/snippets/reviews/report/inspect/{report.pk}/")
    expect(page.get_by_test_id("report-status")).to_contain_text(f"Resolved by {moderator}")
    expect(page.get_by_role("region", name="Decide")).to_have_count(0)

    page.goto(catalogue.arcade.url)
    expect(page.get_by_role("heading", level=1, name="Pixel Arcade")).to_be_visible()
    assert page.get_by_text("Fun for a minute").count() == 0

    # The reporters are told the outcome, the author that the review was hidden: one each.
    for person, subject in (
        (user, "We acted on your report"),
        (second_reporter, "We acted on your report"),
        (review.author, "Your review of Pixel Arcade was hidden"),
    ):
        assert [m["Subject"] for m in smtp_server.to(person.email)] == [subject], person.email
