"""A review's life in headless Chromium: post, see, edit; a moderator hides it in the admin."""

import re

import pytest

from accounts.factories import DEFAULT_PASSWORD, AdminFactory, AuthorFactory, UserFactory
from accounts.roles import ensure_role_groups
from reviews.models import Review
from showcase.factories import ProjectPageFactory


def sign_in(tab, email):
    tab.fill('input[name="login"]', email)
    tab.fill('input[name="password"]', DEFAULT_PASSWORD)
    tab.locator('input[name="password"]').press("Enter")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_review_posted_edited_and_hidden_by_a_moderator(site_pages, page, browser, live_server):
    ensure_role_groups()
    project = ProjectPageFactory(owner=AuthorFactory(), title="Tiny Tracer")
    reviewer = UserFactory()
    admin = AdminFactory()
    project_url = project.url

    page.goto(project_url)
    page.get_by_role("link", name="Sign in to review").click()
    sign_in(page, reviewer.email)
    page.wait_for_url(re.compile(re.escape(project_url)))

    page.get_by_label("5 stars").check()
    page.get_by_role("textbox", name="Title", exact=True).fill("Fast and tiny")
    page.get_by_label("Your review").fill("Traced my app in seconds, docs are clear.")
    page.get_by_role("button", name="Publish review").click()
    page.wait_for_url(re.compile(r"#review-\d+$"))
    reviews = page.locator("#reviews")
    assert reviews.get_by_role("heading", name="Fast and tiny").is_visible()
    assert page.get_by_test_id("rating-average").inner_text() == "5.0"
    assert page.get_by_test_id("review-count").inner_text() == "1 review"

    page.get_by_role("link", name="Edit your review").click()
    page.get_by_label("3 stars").check()
    page.get_by_role("textbox", name="Title", exact=True).fill("Fast, tiny, a bit rough")
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url(re.compile(r"#review-\d+$"))
    assert reviews.get_by_role("heading", name="Fast, tiny, a bit rough").is_visible()
    assert page.get_by_test_id("rating-average").inner_text() == "3.0"
    assert "edited" in reviews.inner_text()

    review = Review.objects.get()
    moderator = browser.new_context(base_url=live_server.url)
    admin_tab = moderator.new_page()
    admin_tab.goto("/accounts/login/?next=/admin/")
    sign_in(admin_tab, admin.email)
    admin_tab.wait_for_url(re.compile(r"/admin/$"))
    admin_tab.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    admin_tab.locator('select[name="status"]').select_option("hidden")
    admin_tab.get_by_role("button", name="Save").first.click()
    admin_tab.wait_for_url(re.compile(r"/admin/snippets/reviews/review/$"))
    moderator.close()

    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    page.goto(project_url)
    assert "Fast, tiny, a bit rough" not in page.locator("#reviews").inner_text()
    assert page.get_by_test_id("review-count").inner_text() == "No reviews yet."
