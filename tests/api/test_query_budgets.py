"""Query budgets of every API list and detail with the response cache off, and the cheap count.

A budget is the same number of queries for a few rows as for many (nothing per row), and at
most a fixed number. The response cache is off in the test settings (PAGE_CACHE_SECONDS=0), so
each request really runs its queries.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectGalleryImage
from tests.api.conftest import client_for, make_image

pytestmark = pytest.mark.django_db


def _queries(client, path) -> list[str]:
    client.get(path)  # renditions are made on first sight; the budget is for steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured]


def _grow(author, category, size: int) -> None:
    """Projects with a cover, tags and a category until there are `size` of them."""
    existing = ProjectPageFactory._meta.model.objects.count()
    for n in range(existing, size):
        page = ProjectPageFactory(owner=author, category=category)
        page.cover_image = make_image(author, title=f"cover{n}")
        page.tags.add(f"tag{n}", "common")
        page.save_revision(user=author).publish(user=author)


# path -> at most this many queries: version, view restrictions, rows, tags, covers with their
# renditions (one statement: showcase.models.querysets.attach_cover_rows), the count once per
# version; the headless list also reads the site, counts through its own paginator and reads
# covers and renditions apart (Wagtail's image fields take instances).
LISTS = {
    "/api/projects/?page_size=50": 5,
    "/api/projects/?page_size=50&category=budget": 5,
    "/api/projects/?page_size=50&tag=common": 5,
    "/api/projects/?page_size=50&sort=top": 5,
    "/api/v2/pages/?type=showcase.ProjectPage&fields=*&limit=20": 10,
}


@pytest.mark.parametrize(("path", "budget"), LISTS.items())
def test_project_lists_cost_the_same_for_many_rows(api, author, path, budget):
    category = CategoryFactory(slug="budget", name="Budget")
    counts = []
    for size in (3, 12):
        _grow(author, category, size)
        sql = _queries(api(None), path)
        counts.append(len(sql))
    assert counts[0] == counts[1], (counts, [statement[:160] for statement in sql])
    assert counts[1] <= budget, counts


def test_project_detail_budget(api, author, project):
    counts = []
    for images in (1, 4):
        for n in range(project.gallery_images.count(), images):
            ProjectGalleryImage.objects.create(
                page=project, image=make_image(author, title=f"gallery{n}"), caption=f"Shot {n}"
            )
        project.cover_image = make_image(author, title=f"cover{images}")
        project.tags.add(f"tag{images}")
        project.save_revision(user=author).publish(user=author)
        sql = _queries(api(None), f"/api/projects/{project.pk}/")
        counts.append(len(sql))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 7, (counts, [statement[:160] for statement in sql])


def test_headless_page_detail_budget(api, author, project):
    project.cover_image = make_image(author)
    project.tags.add("robots")
    project.save_revision(user=author).publish(user=author)
    assert len(_queries(api(None), f"/api/v2/pages/{project.pk}/")) <= 13


def test_category_list_budget(api):
    counts = []
    for size in (2, 10):
        for n in range(size):
            CategoryFactory(slug=f"budget-{n}", name=f"Budget {n}")
        counts.append(len(_queries(api(None), "/api/categories/?page_size=50")))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 3, counts


def _counts(sql: list[str]) -> int:
    return sum(1 for statement in sql if "COUNT(" in statement.upper())


def test_anonymous_count_taken_once_per_content_version(api, author, user, settings):
    settings.API_COUNT_MEMO_ABOVE = 2  # "large" from three projects on
    for _ in range(3):
        ProjectPageFactory(owner=author)
    anonymous = api(None)
    first = anonymous.get("/api/projects/")
    assert first.json()["count"] == 3
    again = _queries(anonymous, "/api/projects/")
    assert _counts(again) == 0, again  # the count of this version is already known
    # A publish bumps the public content version: the next anonymous page counts afresh.
    ProjectPageFactory(owner=author)
    assert anonymous.get("/api/projects/").json()["count"] == 4
    # Signed-in callers may see their own drafts: their count is taken on every request.
    signed_in = _queries(api(user), "/api/projects/")
    assert _counts(signed_in) == 1
    assert api(user).get("/api/projects/").json()["count"] == 4


def test_small_and_filtered_counts_are_exact(api, author):
    category = CategoryFactory(slug="small", name="Small")
    for _ in range(2):
        ProjectPageFactory(owner=author, category=category)
    ProjectPageFactory(owner=author)
    anonymous = api(None)
    assert anonymous.get("/api/projects/").json()["count"] == 3
    assert anonymous.get("/api/projects/?category=small").json()["count"] == 2
    assert anonymous.get("/api/projects/?page=2&page_size=2").json()["results"]


# A review POST: the caller; the project with its view restrictions, whether the caller
# co-makes it and the caller's earlier reviews (duplicate, hourly limit and last text), all in
# one query; in the transaction (a savepoint here, BEGIN and COMMIT in production) the review,
# the aggregate (one UPDATE) and the outbox row; after it the version bump.
REVIEW_POST_BUDGET = 8


def test_review_post_budget(project, user, django_capture_on_commit_callbacks):
    poster = client_for(user)
    # Steady state: another review posted just before (the site-wide mean is cached, and the
    # view restrictions were read under their version).
    earlier = ProjectPageFactory(owner=project.owner)
    body = {"rating": 4, "title": "Budget", "body": "Counted statement by statement."}
    with django_capture_on_commit_callbacks(execute=True):
        before = {**body, "body": "Posted just before, to another project."}
        response = poster.post(f"/api/projects/{earlier.pk}/reviews/", before, format="json")
    assert response.status_code == 201, response.content
    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = poster.post(f"/api/projects/{project.pk}/reviews/", body, format="json")
    assert response.status_code == 201, response.content
    statements = [query["sql"] for query in captured]
    assert len(statements) <= REVIEW_POST_BUDGET, "\n".join(statements)
    project_reads = [sql for sql in statements if sql.startswith('SELECT "wagtailcore_page"')]
    # The view restrictions are read in the project's query: no version read for them.
    restriction_reads = [sql for sql in statements if "wagtailcore_pageviewrestriction" in sql]
    assert restriction_reads == project_reads, "\n".join(statements)
    assert not [sql for sql in statements if sql.startswith('SELECT "proctique_contentversion"')]
    member_reads = [sql for sql in statements if 'FROM "showcase_projectmember"' in sql]
    # The co-maker check rides on the project read.
    assert project_reads == member_reads and len(project_reads) == 1, "\n".join(statements)
    # The earlier reviews are read with it, not on their own.
    review_reads = [sql for sql in statements if 'FROM "reviews_review"' in sql]
    assert review_reads == project_reads, "\n".join(statements)
