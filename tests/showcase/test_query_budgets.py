"""Query budgets: the projects index and a project page cost a fixed number of queries."""

import io

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model

from reviews.factories import ReviewFactory
from showcase import renditions
from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.filters import PAGE_SIZE
from showcase.models import ProjectGalleryImage
from showcase.tasks import generate_renditions
from tests.showcase.bulk import bulk_projects

pytestmark = pytest.mark.django_db

# The listing, its count, the filter's category choices, the facets (categories, tags)...
INDEX_BUDGET = 12
PAGE_BUDGET = 12
OWN_PAGE_PART = 6


def make_image(title="cover", size=(640, 360)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(buffer, name=f"{title}.png"))
    image.save()
    generate_renditions.call_local(image.pk)
    return image


@pytest.fixture
def covers(site_pages):
    return [make_image(f"cover-{n}") for n in range(3)]


@pytest.mark.parametrize("count", [30, 3000])
def test_projects_index_query_budget(
    client, project_index, author, covers, count, django_assert_max_num_queries
):
    category = CategoryFactory(slug="budget")
    per_cover = count // len(covers)
    for n, cover in enumerate(covers):
        bulk_projects(
            project_index, author, per_cover, category=category, cover=cover, prefix=f"c{n}"
        )
    # Warm Wagtail's site-root cache, as any running site has (the page cache is off in tests,
    # so the budget is for pages rendered from the database).
    client.get("/projects/?warm=1")
    last_page = (count + PAGE_SIZE - 1) // PAGE_SIZE
    for url in ("/projects/", "/projects/?sort=top", "/projects/?category=budget&page=2"):
        with django_assert_max_num_queries(INDEX_BUDGET):
            response = client.get(url)
        assert response.status_code == 200
        page = response.context["page_obj"].number
        expected = PAGE_SIZE if page < last_page else count - (page - 1) * 24
        assert len(response.context["projects"]) == expected
        assert response.content.count(b"<picture>") == expected
        assert b"image/webp" in response.content


def test_projects_index_budget_with_search(
    client, project_index, author, covers, reindex, django_assert_max_num_queries
):
    for n in range(30):
        ProjectPageFactory(owner=author, title=f"Searchable {n}", cover_image=covers[n % 3])
    reindex()
    client.get("/projects/")
    with django_assert_max_num_queries(INDEX_BUDGET):
        response = client.get("/projects/?q=searchable&sort=reviews")
    assert len(response.context["projects"]) == PAGE_SIZE


@pytest.mark.parametrize("reviews", [0, 40])
def test_project_page_query_budget(
    client, project_index, author, covers, reviews, django_assert_max_num_queries
):
    project = ProjectPageFactory(owner=author, cover_image=covers[0])
    project.tags.add("python", "wagtail")
    for cover in covers:
        ProjectGalleryImage.objects.create(page=project, image=cover, caption="shot")
    project.save_revision().publish()
    for _ in range(reviews):
        ReviewFactory(project=project)
    client.get(project.url)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(project.url)
    assert response.status_code == 200
    assert response.content.count(b"<picture>") == 1 + len(covers)

    # The showcase's own part (cover, gallery, tags) stays small whatever the page holds.
    with CaptureQueriesContext(connection) as own:
        project.media()
    assert len(own.captured_queries) <= OWN_PAGE_PART


def test_every_template_spec_is_prefetched(covers):
    image = covers[0]
    specs = renditions.all_specs()
    fetched = get_image_model().objects.prefetch_renditions(*specs).get(pk=image.pk)
    assert {r.filter_spec for r in fetched.prefetched_renditions} == set(specs)
