"""Sign up in Chromium, verify the address from the captured email, sign out, sign in again."""

import re

import pytest
from allauth.account.models import EmailAddress

from django.conf import settings

PASSWORD = "browser-signup-passphrase-5"
EMAIL = "browser.person@example.test"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_signup_verify_logout_login(page, smtp_server, site_pages, live_server, huey_immediate):
    """The confirmation email goes through the outbox (delivered in-process here)."""
    page.goto("/accounts/signup/")
    page.get_by_role("textbox", name="Email").fill(EMAIL)
    page.get_by_role("textbox", name="Username").fill("browserperson")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="browserperson").is_visible()

    [message] = smtp_server.wait_for(1)
    assert EMAIL in str(message["To"])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", smtp_server.text_of(message))
    assert link, smtp_server.text_of(message)
    # Links in emails are built from SITE_URL; this test's site is the live server.
    page.goto(link.group(0).replace(settings.SITE_URL, live_server.url))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert EmailAddress.objects.get(email=EMAIL).verified

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Sign in").is_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("textbox", name="Email").fill(EMAIL.upper())
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="browserperson").is_visible()
    page.get_by_role("link", name="browserperson").click()
    assert page.get_by_role("heading", name="Account settings").is_visible()
