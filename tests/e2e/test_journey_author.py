"""Author: becomes an author, creates a project in the Wagtail admin with a cover image,
publishes it, sees it live, receives the "published" email, then unpublishes it and it is gone
from the site."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.support import sign_in_with_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Orbit Planner"


def cover_file(tmp_path):
    path = tmp_path / "orbit-cover.png"
    image = Image.new("RGB", (1200, 675), (67, 56, 202))
    for x in range(0, 1200, 40):
        for y in range(0, 675, 40):
            if (x + y) % 80 == 0:
                image.putpixel((x, y), (251, 191, 36))
    image.save(path)
    return path


def open_more_actions(page):
    page.locator("footer").get_by_role("button", name="More actions").click()


def test_author_journey(page, catalogue, user, smtp_server, huey_immediate, tmp_path):
    from accounts.factories import DEFAULT_PASSWORD
    from showcase.models import ProjectPage

    # Becomes an author from the account settings page.
    sign_in_with_form(page, user.email, DEFAULT_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=user.public_name).click()
    page.get_by_role("button", name="Become an author").click()
    page.wait_for_load_state()
    user.refresh_from_db()
    assert user.is_author

    # Creates a project under the projects index in the Wagtail admin.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My projects").click()
    page.wait_for_url(re.compile(r"/admin/"))
    index = catalogue.lumen.get_parent()
    page.goto(f"/admin/pages/{index.pk}/")
    # Projects are the only page type the index takes: Wagtail opens its form at once.
    page.get_by_role("link", name=re.compile("add child page", re.I)).first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/"))
    page.get_by_label(re.compile(r"^title", re.I)).first.fill(TITLE)
    page.get_by_label(re.compile(r"^tagline", re.I)).first.fill("Plan launches in an afternoon.")
    # A published project needs a description and a category too (drafts need neither).
    page.locator("[data-streamfield-stream-container] button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator("[data-streamfield-stream-container] [role=textbox]").first.fill(
        "Checklists and countdowns for every launch."
    )
    page.get_by_role("button", name="Choose category").click()
    page.locator(".modal-dialog").get_by_role("link", name="Developer tools").click()
    expect(page.locator(".modal-dialog")).to_be_hidden()

    # The cover image is uploaded through Wagtail's image chooser.
    page.get_by_role("button", name=re.compile("choose (an|a cover) image", re.I)).first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(str(cover_file(tmp_path)))
    title = modal.locator("input[name$='-title']")
    if not title.input_value():
        title.fill("Orbit cover")
    modal.get_by_role("button", name="Upload").click()
    expect(modal).to_be_hidden()

    open_more_actions(page)
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    project = ProjectPage.objects.get(title=TITLE)
    assert project.live and project.owner_id == user.pk and project.cover_image_id

    # Live on the site, with its cover.
    page.goto(project.url)
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert page.locator("main img").count() >= 1
    page.goto("/projects/?q=orbit")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # The "published" email went out over SMTP.
    smtp_server.wait_for(1)
    published = [m for m in smtp_server.to(user.email) if TITLE in smtp_server.text_of(m)]
    from tasks.models import EmailEvent

    events = list(EmailEvent.objects.filter(refs__project_id=project.pk).values("kind", "status"))
    assert published, f"no published email; outbox rows for the project: {events}"

    # Unpublish from the admin: gone from the page, the listing and search.
    page.goto(f"/admin/pages/{project.pk}/edit/")
    open_more_actions(page)
    page.get_by_role("link", name="Unpublish").click()
    page.get_by_role("button", name=re.compile("yes, unpublish", re.I)).click()
    page.wait_for_load_state()
    project.refresh_from_db()
    assert not project.live
    response = page.goto(f"/projects/{project.slug}/")
    assert response.status == 404
    page.goto("/projects/?q=orbit")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
