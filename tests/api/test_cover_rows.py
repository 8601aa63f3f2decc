"""The REST API reads covers as rows (showcase.models.querysets.attach_cover_rows): the payload
is the one the image itself gives, a missing rendition is made, a moved focal point is seen."""

import pytest

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.images.rect import Rect

from showcase.api.serializers import image_payload
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from showcase.models.querysets import CoverRow
from tests.api.conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(project_index, author):
    page = ProjectPageFactory(owner=author, slug="covered")
    page.cover_image = make_image(author, size=(640, 480), title="covered")
    page.save_revision(user=author).publish(user=author)
    return page


def _listed_cover(api, page) -> dict:
    results = api(None).get("/api/projects/").json()["results"]
    return next(row["cover_image"] for row in results if row["id"] == page.pk)


def _renditions(image) -> dict[str, str]:
    return dict(image.renditions.values_list("filter_spec", "focal_point_key"))


def test_a_cover_read_as_rows_is_the_payload_of_the_image_itself(api, covered):
    api(None).get("/api/projects/")  # the first sight makes the renditions
    image = get_image_model().objects.get(pk=covered.cover_image_id)
    listed = ProjectPage.objects.filter(pk=covered.pk).for_listing("api_list", cover_rows=True)
    assert isinstance(listed[0].listed_cover(), CoverRow)
    assert _listed_cover(api, covered) == image_payload(image, "api_list")
    detail = api(None).get(f"/api/projects/{covered.pk}/").json()
    assert detail["cover_image"] == image_payload(image, "api_detail")
    assert detail["cover_image"]["renditions"]["medium"].endswith(".max-1200x900.png")


def test_a_cover_without_its_renditions_yet_gets_them_made(api, covered):
    image = covered.cover_image
    assert not image.renditions.exists()  # the worker has not run: nothing made yet
    cover = _listed_cover(api, covered)
    assert cover["renditions"]["thumbnail"].endswith(".fill-480x320.png")
    assert set(_renditions(image)) == {"fill-480x320"}
    # Read as rows from then on, with the same answer.
    listed = ProjectPage.objects.filter(pk=covered.pk).for_listing("api_list", cover_rows=True)
    assert isinstance(listed[0].listed_cover(), CoverRow)
    assert _listed_cover(api, covered) == cover


def test_a_moved_focal_point_shows_the_rendition_made_for_it(api, covered):
    before = _listed_cover(api, covered)["renditions"]["thumbnail"]
    image = get_image_model().objects.get(pk=covered.cover_image_id)
    old_key = _renditions(image)["fill-480x320"]
    image.set_focal_point(Rect(580, 40, 620, 80))  # the top right corner
    image.save()
    image = get_image_model().objects.get(pk=image.pk)  # the focal point as stored
    new_key = Filter("fill-480x320").get_cache_key(image)
    assert new_key != old_key
    after = _listed_cover(api, covered)["renditions"]["thumbnail"]
    # The rendition cut for the old focal point is still stored; the list shows the new one.
    assert set(image.renditions.values_list("focal_point_key", flat=True)) == {old_key, new_key}
    assert after != before
    assert after == image_payload(image, "api_list")["renditions"]["thumbnail"]


def test_a_cover_whose_rendition_rows_are_gone_gets_them_made_again(api, covered):
    cover = _listed_cover(api, covered)  # made, and held by the renditions cache
    Rendition = get_image_model().get_rendition_model()
    # No signal: the cache keeps them, as it does when the database is restored under it.
    Rendition.objects.filter(image_id=covered.cover_image_id)._raw_delete(Rendition.objects.db)
    assert _listed_cover(api, covered)["renditions"].keys() == cover["renditions"].keys()
    assert set(_renditions(covered.cover_image)) == {"fill-480x320"}
    listed = ProjectPage.objects.filter(pk=covered.pk).for_listing("api_list", cover_rows=True)
    assert isinstance(listed[0].listed_cover(), CoverRow)
