"""User: signs up, confirms the email from the captured SMTP message, posts a review, edits it,
reports another review."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.support import fill_review, review_form, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "new.reader@example.test"
PASSWORD = "a-sturdy-passphrase-for-e2e"  # noqa: S105


def test_user_journey(page, catalogue, smtp_server, huey_immediate):
    from reviews.models import Report, Review

    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    form = page.locator("main form")
    form.get_by_label(re.compile(r"^e-?mail", re.I)).fill(EMAIL)
    form.get_by_label(re.compile(r"^username", re.I)).fill("newreader")
    passwords = form.get_by_label(re.compile(r"password", re.I))
    passwords.nth(0).fill(PASSWORD)
    passwords.nth(1).fill(PASSWORD)
    form.get_by_role("button", name=re.compile("sign up", re.I)).click()
    page.wait_for_load_state()

    # The confirmation message really went over SMTP; its link confirms the address.
    messages = smtp_server.wait_for(1)
    assert messages, "no confirmation email was sent"
    text = smtp_server.text_of(smtp_server.to(EMAIL)[0])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", text).group(0)
    page.goto(urlsplit(link).path)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.wait_for_load_state()
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email=EMAIL).verified

    # Signed in straight after sign-up (verification is optional in the test settings).
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Post a review from the project page.
    page.goto(catalogue.arcade.url)
    fill_review(review_form(page), rating=4, title="Charming and quick", body="Lovely pixel art.")
    submit(review_form(page))
    page.wait_for_load_state()
    mine = page.locator("#reviews").get_by_role("listitem").filter(has_text="Charming and quick")
    expect(mine).to_be_visible()
    expect(page.locator(".notice").first).to_be_visible()
    review = Review.objects.get(author__email=EMAIL)
    assert review.rating == 4

    # Edit it.
    mine.get_by_role("link", name="Edit").click()
    page.wait_for_url(re.compile(r"/edit/"))
    form = page.locator("main form")
    fill_review(form, rating=5, title="Charming, quick and deep", body="Lovely pixel art, hard.")
    form.get_by_role("button", name=re.compile("save", re.I)).click()
    page.wait_for_url(re.compile(re.escape(catalogue.arcade.url)))
    edited = (
        page.locator("#reviews").get_by_role("listitem").filter(has_text="Charming, quick and deep")
    )
    expect(edited).to_be_visible()
    expect(edited.get_by_text("edited")).to_be_visible()
    review.refresh_from_db()
    assert (review.rating, review.edited) == (5, True)

    # Report somebody else's review.
    other = page.locator("#reviews").get_by_role("listitem").filter(has_text="Fun for a minute")
    # The report form opens inside the review and the review shows it is reported.
    other.get_by_role("link", name=re.compile("^Report")).click()
    region = other.get_by_role("region", name="Report this review")
    region.get_by_label(re.compile("spam", re.I)).check()
    region.get_by_role("button", name=re.compile("send report", re.I)).click()
    expect(other.get_by_text("Reported", exact=True)).to_be_visible()
    expect(other.get_by_role("status")).to_contain_text(re.compile("report", re.I))
    assert Report.objects.filter(reporter__email=EMAIL, review__title="Fun for a minute").exists()
