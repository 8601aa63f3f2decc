"""Helpers shared by the browser journeys: sign-in by cookie, demo data, axe, form filling."""

import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from django.conf import settings
from django.test import Client

from reviews import aggregates

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def sign_in(page, user, base_url: str) -> None:
    """Give the browser context a signed-in session for `user` (no form round trip)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def sign_in_with_form(page, email: str, password: str, next_url: str = "/") -> None:
    """Sign in through the login page like a person does."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label(re.compile(r"^e-?mail", re.I)).first.fill(email)
    page.get_by_label(re.compile(r"^password", re.I)).first.fill(password)
    page.locator("main form").get_by_role("button", name=re.compile(r"sign in", re.I)).click()
    page.wait_for_load_state()


def axe_violations(page, *, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """axe-core violations on the current page at the given impact levels."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def recompute(project) -> None:
    """Bring a project's rating aggregates up to date after reviews were written as raw rows."""
    aggregates.recompute(project)


def review_form(page):
    """The review form on a project page (the form holding the review's text area)."""
    return (
        page.locator("form:has(textarea)")
        .filter(has=page.locator("[name=rating], [name=title]"))
        .first
    )


def set_rating(form, stars: int) -> None:
    """Choose a rating in the star control (radio buttons)."""
    form.locator(f"input[name=rating][value='{stars}']").check()


def fill_review(form, *, rating: int, title: str, body: str) -> None:
    set_rating(form, rating)
    form.get_by_label(re.compile(r"^title", re.I)).fill(title)
    form.locator("textarea").first.fill(body)


def submit(form) -> None:
    form.locator("button[type=submit], input[type=submit]").last.click()


def card_titles(page) -> list[str]:
    """Project titles on a listing, in page order."""
    return [t.strip() for t in page.locator(".card .card__title").all_inner_texts()]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def choose(page, label, option) -> None:
    """Pick a filter or sort option in the listing's form and submit it."""
    control = page.get_by_label(re.compile(label, re.I)) if isinstance(label, str) else label
    control = control.and_(page.locator("select")).first
    if isinstance(option, re.Pattern):
        labels = control.locator("option").all_inner_texts()
        option = next(text.strip() for text in labels if option.search(text))
    with page.expect_navigation():
        control.select_option(label=option)
        control.evaluate("select => select.form.requestSubmit()")
    page.wait_for_load_state()
