"""What issue 16 promised, as a person sees it in Chromium: the gallery lightbox, reviews that
update in place, the star control, the phone layout and the category admin."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import HelpfulVote, Report
from showcase.factories import CategoryFactory
from showcase.models import Category, ProjectGalleryImage
from tests.api.conftest import make_image
from tests.e2e.support import axe_violations, describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def mark_page(page) -> None:
    """A marker that a reload would wipe: its survival proves nothing reloaded."""
    page.evaluate("window.__noReload = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.__noReload === true")


def review_item(page, title):
    return page.locator("#reviews").get_by_role("listitem").filter(has_text=title)


@pytest.fixture
def with_gallery(catalogue, author):
    project = catalogue.lumen
    for n, caption in enumerate(["The editor", "Sync settings"]):
        ProjectGalleryImage.objects.create(
            page=project,
            image=make_image(author, size=(1400, 900), title=f"shot{n}"),
            caption=caption,
        )
    project.save_revision().publish()
    return project


def test_gallery_image_opens_in_a_lightbox_with_mouse_and_keyboard(page, with_gallery):
    page.goto(with_gallery.url)
    gallery = page.get_by_role("region", name="Gallery")
    links = gallery.get_by_role("link")
    expect(links).to_have_count(2)

    links.first.click()
    dialog = page.get_by_role("dialog", name="The editor")
    expect(dialog).to_be_visible()
    full = dialog.get_by_role("img", name="The editor")
    expect(full).to_be_visible()
    # The full-size rendition, wider than the thumbnail it opened from.
    assert full.evaluate("img => img.naturalWidth") > 960
    expect(dialog.get_by_text("The editor")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(links.first).to_be_focused()

    links.nth(1).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Sync settings")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(links.nth(1)).to_be_focused()


def test_gallery_link_opens_the_image_without_javascript(browser, live_server, with_gallery):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(with_gallery.url)
    href = tab.get_by_role("region", name="Gallery").get_by_role("link").first.get_attribute("href")
    assert tab.request.get(href).headers["content-type"] == "image/webp"
    context.close()


def test_cover_is_not_stretched_past_its_rendition(page, catalogue, author):
    project = catalogue.lumen
    project.cover_image = make_image(author, size=(480, 270), title="small cover")
    project.save_revision().publish()
    page.goto(project.url)
    cover = page.locator("img.project__cover")
    size = cover.evaluate("img => [img.getBoundingClientRect().width, img.naturalWidth]")
    assert size[0] <= 480


def test_report_shows_reported_on_the_review_without_reload(page, catalogue, sign_in):
    reporter = catalogue.reviewers[4]
    sign_in(reporter)
    page.goto(catalogue.lumen.url)
    mark_page(page)
    review = review_item(page, "Solid notes app")
    first = review.first
    first.get_by_role("link", name=re.compile("^Report")).click()
    region = first.get_by_role("region", name="Report this review")
    expect(region).to_be_visible()
    region.get_by_label(re.compile("spam", re.I)).check()
    region.get_by_role("button", name="Send report").click()
    expect(first.get_by_text("Reported", exact=True)).to_be_visible()
    expect(first.get_by_text("Thank you: a moderator will look at your report.")).to_be_visible()
    expect(first.get_by_text("Reported", exact=True)).to_be_focused()
    assert not_reloaded(page)
    assert Report.objects.filter(reporter=reporter).count() == 1
    # The mark is there on the next visit too.
    page.reload()
    expect(
        review_item(page, "Solid notes app").first.get_by_text("Reported", exact=True)
    ).to_be_visible()


def test_helpful_count_updates_without_reload(page, catalogue, sign_in):
    voter = catalogue.reviewers[5]
    sign_in(voter)
    page.goto(catalogue.lumen.url)
    mark_page(page)
    review = review_item(page, "Solid notes app").first
    expect(review.get_by_text("0 found this helpful")).to_be_visible()
    review.get_by_role("button", name="Helpful").click()
    expect(review.get_by_text("1 found this helpful")).to_be_visible()
    expect(review.get_by_role("button", name="Helpful (undo)")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert HelpfulVote.objects.filter(user=voter).count() == 1
    review.get_by_role("button", name="Helpful (undo)").click()
    expect(review.get_by_text("0 found this helpful")).to_be_visible()
    assert not_reloaded(page)
    assert not HelpfulVote.objects.filter(user=voter).exists()


def test_owner_gets_no_helpful_button(page, catalogue, sign_in):
    sign_in(catalogue.lumen.owner)
    page.goto(catalogue.lumen.url)
    reviews = page.locator("#reviews")
    expect(reviews.get_by_role("listitem").first).to_be_visible()
    expect(reviews.get_by_role("button", name=re.compile("^Helpful"))).to_have_count(0)
    expect(reviews.get_by_text("0 found this helpful").first).to_be_visible()


def test_star_control_works_with_arrow_keys(page, catalogue, sign_in):
    sign_in(catalogue.reviewers[5])
    page.goto(catalogue.lumen.url)
    group = page.get_by_role("group", name=re.compile("Your rating"))
    expect(group).not_to_contain_text("star control")  # no template comment leaks out
    names = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    for name in names:
        expect(group.get_by_role("radio", name=name, exact=True)).to_have_count(1)
    group.get_by_role("radio", name="1 star").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(group.get_by_role("radio", name="3 stars")).to_be_checked()
    shown = group.locator(".stars-input__value")
    assert shown.evaluate("el => getComputedStyle(el, '::after').content") == '"3 of 5"'
    filled = group.locator(".stars-input__glyph").evaluate_all(
        "gs => gs.map(g => getComputedStyle(g).color)"
    )
    assert len(set(filled[:3])) == 1 and filled[3] != filled[0]  # three stars lit, two not
    page.keyboard.press("ArrowLeft")
    expect(group.get_by_role("radio", name="2 stars")).to_be_checked()
    # The stars sit on one row even on a phone.
    page.set_viewport_size(PHONE)
    tops = group.locator("label").evaluate_all("ls => ls.map(l => l.getBoundingClientRect().top)")
    assert len(set(tops)) == 1


def test_phone_filters_collapse_and_header_has_a_menu(page, catalogue, sign_in):
    sign_in(catalogue.reviewers[0])
    page.set_viewport_size(PHONE)
    page.goto("/projects/")
    form = page.get_by_role("search", name="Filter projects")
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(form).to_be_hidden()
    # The results start on the first screen.
    first_card = page.locator(".card").first
    assert first_card.bounding_box()["y"] < PHONE["height"]
    toggle.click()
    expect(form).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 130  # brand and menu, then search: two rows
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Projects")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()


def test_desktop_shows_filters_and_nav_without_buttons(page, catalogue):
    page.goto("/projects/")
    expect(page.get_by_role("search", name="Filter projects")).to_be_visible()
    expect(page.get_by_role("button", name="Filters")).to_be_hidden()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_category_slug_follows_the_name_and_a_used_category_stays(page, catalogue, admin, sign_in):
    sign_in(admin)
    page.goto("/admin/snippets/showcase/category/add/")
    page.locator("#id_name").press_sequentially("Retro Games")
    page.locator("#id_name").blur()
    expect(page.locator("#id_slug")).to_have_value("retro-games")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/showcase/category/$"))
    assert Category.objects.filter(name="Retro Games", slug="retro-games").exists()

    page.goto(f"/admin/snippets/showcase/category/delete/{catalogue.tools.pk}/")
    expect(page.get_by_text("“Developer tools” still holds 2 projects.")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, delete")).to_have_count(0)
    empty = CategoryFactory(name="Empty shelf")
    page.goto(f"/admin/snippets/showcase/category/delete/{empty.pk}/")
    page.get_by_role("button", name="Yes, delete").click()
    page.wait_for_url(re.compile(r"/admin/snippets/showcase/category/$"))
    assert not Category.objects.filter(pk=empty.pk).exists()
    assert Category.objects.filter(pk=catalogue.tools.pk).exists()


def test_new_controls_pass_axe_on_a_phone(page, with_gallery, catalogue, sign_in):
    sign_in(catalogue.reviewers[4])
    page.set_viewport_size(PHONE)
    page.goto(with_gallery.url)
    page.get_by_role("button", name="Menu").click()
    review = review_item(page, "Solid notes app").first
    review.get_by_role("link", name=re.compile("^Report")).click()
    expect(review.get_by_role("region", name="Report this review")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("region", name="Gallery").get_by_role("link").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
