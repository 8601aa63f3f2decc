"""Browser journey: an author publishes a project with a cover from the Wagtail admin, a
visitor finds it through search, and another author is refused its edit and unpublish URLs."""

import pytest

from accounts.factories import DEFAULT_PASSWORD, AuthorFactory
from showcase.factories import CategoryFactory
from showcase.models import ProjectPage
from tests.showcase.images import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    """Through the site's own login page (the admin login redirects there)."""
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def test_author_publishes_visitor_finds_other_author_refused(
    page, browser, live_server, site_pages, huey_immediate, tmp_path
):
    _, index = site_pages
    author = AuthorFactory()
    rival = AuthorFactory()
    category = CategoryFactory(name="Astronomy")

    sign_in(page, author)

    # Upload the cover through the admin's image form.
    cover = tmp_path / "nebula-cover.png"
    cover.write_bytes(image_bytes((1200, 675), colour=(90, 30, 160)))
    page.goto("/admin/images/add/")
    page.locator("input[type=file][name=file]").set_input_files(str(cover))
    page.locator("#id_title").fill("Nebula cover")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/images/**")

    # Create the project under the index, choose the cover, publish.
    page.goto(f"/admin/pages/add/showcase/projectpage/{index.pk}/")
    page.locator("#id_title").fill("Nebula Notebook")
    page.locator("#id_tagline").fill("Star charts you can edit together")
    # A published project needs a description and a category as well as a cover.
    page.locator("[data-streamfield-stream-container] button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator("[data-streamfield-stream-container] [role=textbox]").first.fill(
        "Charts of the night sky that a whole club can edit at once."
    )
    page.get_by_role("button", name="Choose category").click()
    page.locator(".modal-dialog").get_by_role("link", name=category.name).click()
    page.locator(".modal-dialog").wait_for(state="hidden")
    page.get_by_role("button", name="Choose an image").click()
    page.locator("[data-chooser-modal-choice]", has_text="Nebula cover").first.click()
    page.locator(".chooser__title", has_text="Nebula cover").wait_for()
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill("nebula-notebook")
    page.get_by_role("button", name="More actions").click()
    page.locator("button[name=action-publish]").click()
    # Publishing runs the worker's tasks in the request here (huey_immediate): the cover's
    # renditions, the search index, the emails. A loaded host has taken over 15 s.
    page.wait_for_url(f"**/admin/pages/{index.pk}/", timeout=60_000)

    project = ProjectPage.objects.get(slug="nebula-notebook")
    assert project.live
    assert project.owner_id == author.pk
    assert project.cover_image.title == "Nebula cover"

    # A visitor (a fresh browser context) finds it through search on /projects/.
    visitor = browser.new_context(base_url=live_server.url)
    try:
        tab = visitor.new_page()
        tab.goto("/projects/")
        tab.get_by_label("Search", exact=True).fill("star charts")
        tab.get_by_role("button", name="Show projects").click()
        tab.wait_for_url("**/projects/?q=star+charts**")
        card = tab.locator(".project-card", has_text="Nebula Notebook")
        card.wait_for()
        assert card.locator("picture source[type='image/webp']").count() == 1
        card.get_by_role("link", name="Nebula Notebook").click()
        tab.wait_for_url("**/projects/nebula-notebook/")
        assert tab.get_by_role("heading", level=1).inner_text() == "Nebula Notebook"
    finally:
        visitor.close()

    # Another author asking for the edit and unpublish URLs is sent away with an error.
    rival_context = browser.new_context(base_url=live_server.url)
    try:
        tab = rival_context.new_page()
        sign_in(tab, rival)
        for action in ("edit", "unpublish"):
            tab.goto(f"/admin/pages/{project.pk}/{action}/")
            assert tab.url == f"{live_server.url}/admin/"
            assert "permission" in tab.content().lower()
    finally:
        rival_context.close()
    project.refresh_from_db()
    assert project.live
    assert project.title == "Nebula Notebook"
