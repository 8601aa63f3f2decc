"""In the browser: a hostile description posted through the API is inert on the public page and
in the admin's preview, and the Content-Security-Policy stops an inline script even in a row
stored before descriptions were cleaned."""

import pytest

from showcase.factories import CategoryFactory
from showcase.models import ProjectPage
from tests.api.conftest import client_for
from tests.security.conftest import complete_fields

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    "<p>Fine words</p><script>window.__xss = 'script'</script>"
    "<img src=x onerror=\"window.__xss = 'img'\">"
    "<a href=\"javascript:window.__xss = 'link'\">click</a>"
)


def watch(page) -> list[str]:
    """Dialogs and CSP reports the page produced."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on(
        "console",
        lambda msg: seen.append(f"csp: {msg.text}") if "Content Security Policy" in msg.text else 0,
    )
    return seen


@pytest.fixture
def hostile(site_pages, author):
    fields = complete_fields(author, CategoryFactory(), title="Hostile words", slug="hostile")
    fields["description"] = [{"type": "paragraph", "value": HOSTILE}]
    response = client_for(author).post("/api/projects/", {**fields, "publish": True}, format="json")
    assert response.status_code == 201, response.json()
    return ProjectPage.objects.get(pk=response.json()["id"])


def test_a_hostile_description_is_inert_on_the_public_page(page, hostile):
    seen = watch(page)
    response = page.goto(hostile.url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Fine words").wait_for()
    # The link kept its text and lost its javascript: address.
    assert page.locator("a", has_text="click").get_attribute("href") is None
    assert page.evaluate("window.__xss") is None
    assert not [s for s in seen if s.startswith("dialog")]


def test_csp_stops_an_inline_script_stored_before_cleaning(page, hostile):
    # A row written before descriptions were cleaned (the raw JSON, bypassing every route).
    raw = [{"type": "paragraph", "value": HOSTILE, "id": "legacy"}]
    ProjectPage.objects.filter(pk=hostile.pk).update(description=raw)
    seen = watch(page)
    page.goto(hostile.url)
    page.get_by_text("Fine words").wait_for()
    assert "<script>" in page.content()  # the markup is there...
    assert page.evaluate("window.__xss") is None  # ...and did not run
    assert any(s.startswith("csp:") for s in seen)


def test_the_admin_preview_is_inert(page, hostile, sign_in, author):
    sign_in(author)
    seen = watch(page)
    page.goto(f"/admin/pages/{hostile.pk}/edit/")
    with page.expect_response(
        lambda r: "/edit/preview/" in r.url and r.request.method == "GET"
    ) as info:
        page.get_by_role("button", name="Toggle preview").click()
    policy = info.value.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page.wait_for_function(
        "[...document.querySelectorAll('iframe')].some("
        "f => f.contentDocument && f.contentDocument.body.innerText.includes('Fine words'))"
    )
    previews = [f for f in page.frames if "/edit/preview/" in f.url]
    assert previews and all(f.evaluate("window.__xss") is None for f in previews)
    assert not [s for s in seen if s.startswith("dialog")]
