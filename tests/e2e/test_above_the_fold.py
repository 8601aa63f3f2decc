"""What the first screen loads: no lazy image in view, the largest one asked for first (and only
it), and the cover at the size its box needs (what Lighthouse checks), on Lighthouse's desktop
and phone screens."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Lighthouse's own screens: a desktop at 1x and a phone (Moto G Power) at 1.75x.
SCREENS = {
    "desktop": {"viewport": {"width": 1350, "height": 940}, "device_scale_factor": 1},
    "phone": {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75},
}

FIRST_SCREEN = """() => {
  const inView = [...document.images].filter((img) => {
    const box = img.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight;
  });
  const describe = (img) => ({
    src: img.currentSrc || img.src,
    loading: img.getAttribute('loading'),
    fetchpriority: img.getAttribute('fetchpriority'),
    needed: Math.ceil(img.getBoundingClientRect().width * devicePixelRatio),
    cover: img.classList.contains('project__cover'),
    area: Math.round(img.getBoundingClientRect().width * img.getBoundingClientRect().height),
  });
  return inView.map(describe);
}"""


@pytest.fixture
def pictured(demo_data):
    from showcase.models import ProjectPage

    return ProjectPage.objects.live().exclude(cover_image=None).order_by("pk").first()


@pytest.mark.parametrize("screen", SCREENS)
def test_the_first_screen_loads_its_images_eagerly_and_the_largest_first(
    browser, live_server, pictured, screen
):
    context = browser.new_context(base_url=live_server.url, **SCREENS[screen])
    tab = context.new_page()
    try:
        for path in ("/", "/projects/", pictured.url):
            tab.goto(path)
            tab.wait_for_load_state("load")
            in_view = tab.evaluate(FIRST_SCREEN)
            assert in_view, f"{path}: no image on the first {screen} screen"
            lazy = [img["src"] for img in in_view if img["loading"] == "lazy"]
            assert not lazy, f"{path} on a {screen}: lazy images in view {lazy}"
            # The first of the largest (what Chromium reports as the largest paint).
            largest = max(in_view, key=lambda img: img["area"])
            assert largest["fetchpriority"] == "high", (path, screen, largest)
            assert sum(img["fetchpriority"] == "high" for img in in_view) == 1, (path, in_view)
            for img in in_view:
                if img["cover"]:
                    # The smallest rendition that fills the box, not the 2x file on a 1x screen
                    # (the file's width is in its rendition name, e.g. fill-1200x675).
                    width = int(re.search(r"\.fill-(\d+)x", img["src"]).group(1))
                    assert img["needed"] <= width <= 1.25 * img["needed"], (path, screen, img)
    finally:
        context.close()
