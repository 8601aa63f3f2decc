"""axe-core finds no serious or critical violations on the pages people use most."""

import pytest

from tests.e2e.support import axe_violations, describe, review_form, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The results per page, printed at the end of the run for the closing note (`pytest -s`).
RESULTS: dict[str, int] = {}


def check(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    RESULTS[name] = len(violations)
    print(f"axe {name}: {len(violations)} serious/critical violations")  # noqa: T201
    assert not violations, f"{name}:\n{describe(violations)}"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_public_pages(page, catalogue, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    page.goto("/")
    check(page, f"home ({color_scheme})")
    page.goto("/projects/")
    check(page, f"projects index ({color_scheme})")
    page.goto(catalogue.lumen.url)
    check(page, f"project page ({color_scheme})")
    page.goto(f"/authors/{catalogue.lumen.owner.username}/")
    check(page, f"author page ({color_scheme})")


def test_account_pages(page):
    page.goto("/accounts/login/")
    check(page, "login")
    page.goto("/accounts/signup/")
    check(page, "sign-up")


def test_login_and_signup_with_errors(page):
    page.goto("/accounts/login/")
    page.locator("main form").get_by_role("button").last.click()
    check(page, "login (submitted empty)")
    page.goto("/accounts/signup/")
    page.locator("main form").get_by_role("button").last.click()
    check(page, "sign-up (submitted empty)")


def test_review_form_with_errors(page, catalogue, user, sign_in):
    sign_in(user)
    page.goto(catalogue.lumen.url)
    form = review_form(page)
    # Skip the browser's own required-field check so the server's inline errors show.
    form.evaluate("f => f.setAttribute('novalidate', '')")
    submit(form)
    page.wait_for_load_state()
    assert page.locator(".errorlist").first.is_visible()
    check(page, "review form with errors")
