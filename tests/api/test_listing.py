"""`GET /api/projects/` through its compiled statements lists exactly what the ORM's queryset
lists: every filter shape and sort, every page, tags and covers, view restrictions as they
change, and the ORM's own SQL."""

import pytest
from rest_framework.test import APIRequestFactory

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from accounts.factories import AuthorFactory, UserFactory
from proctique.api.fields import absolute
from showcase.api.listing import ListedProjects, list_queryset
from showcase.api.serializers import ProjectListSerializer
from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.filters import ProjectFilterSet
from showcase.models import ProjectPage
from showcase.models.querysets import attach_tags
from tests.api.conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(project_index, author):
    """Nine live projects over two categories, with tags, covers and spread ratings; a draft."""
    tools = CategoryFactory(slug="tools", name="Tools")
    games = CategoryFactory(slug="games", name="Games")
    makers = [author, AuthorFactory(username="second.maker"), AuthorFactory(username="ünï")]
    covers = {maker.pk: make_image(maker, title=f"cover-{n}") for n, maker in enumerate(makers)}
    projects = []
    for n in range(9):
        page = ProjectPageFactory(
            owner=makers[n % 3],
            category=tools if n % 2 else games,
            slug=f"café-{n}" if n == 4 else f"listed-{n}",
        )
        if n % 3:
            page.cover_image = covers[page.owner_id]
        page.tags.add(*(["shared"] if n % 2 else []), f"only-{n}")
        page.save_revision(user=page.owner).publish(user=page.owner)
        ProjectPage.objects.filter(pk=page.pk).update(
            rating_score=n % 4, review_count=n % 5, trending_score=n % 3
        )
        projects.append(page)
    ProjectPageFactory(owner=author, live=False, slug="draft")
    return projects


def _orm_page(params: dict, low: int, high: int) -> tuple[int, list[dict]]:
    """What the list answered before its statements: the filterset's queryset, sliced."""
    filterset = ProjectFilterSet(params, queryset=list_queryset())
    assert filterset.is_valid(), filterset.errors
    rows = filterset.qs
    request = APIRequestFactory().get("/api/projects/")
    body = ProjectListSerializer(list(rows[low:high]), many=True, context={"request": request})
    return rows.count(), body.data


SHAPES = [
    {},
    {"category": "tools"},
    {"tag": "shared"},
    {"category": "games", "tag": "only-4"},
    *({"sort": sort} for sort in ("newest", "trending", "top", "reviews", "relevance")),
    {"category": "tools", "tag": "shared", "sort": "top"},
]


@pytest.mark.parametrize("params", SHAPES)
def test_every_shape_and_page_lists_what_the_queryset_lists(api, catalogue, params):
    for caller in (None, UserFactory()):  # anonymous lists take the memoised count
        client = api(caller)
        for page, size in ((1, 4), (2, 4), (3, 4), (1, 24)):
            response = client.get("/api/projects/", {**params, "page": page, "page_size": size})
            if response.status_code == 404:  # a page past the end of a short list
                assert _orm_page(params, 0, 1)[0] <= (page - 1) * size
                continue
            assert response.status_code == 200, response.content
            body = response.json()
            count, rows = _orm_page(params, (page - 1) * size, page * size)
            assert body["count"] == count
            assert body["results"] == rows
            assert len(rows) == min(size, count - (page - 1) * size)


def test_the_rows_carry_their_tags_covers_and_urls(api, catalogue):
    results = api(None).get("/api/projects/", {"page_size": 24}).json()["results"]
    by_id = {row["id"]: row for row in results}
    assert len(by_id) == 9
    for page in catalogue:
        row = by_id[page.pk]
        assert [tag["name"] for tag in row["tags"]] == sorted(t.name for t in page.tags.all())
        assert row["url"] == page.get_full_url()  # a unicode slug among them
        # One username is not ASCII: its URL is reversed, escaped, not derived.
        assert row["author"]["profile_url"] == absolute(page.owner.get_absolute_url())
        assert (row["cover_image"] is None) == (page.cover_image_id is None)
        if row["cover_image"]:
            assert row["cover_image"]["renditions"]["thumbnail"].startswith("http")


def test_the_statement_sends_the_orm_sql_with_the_pages_limit(api, catalogue):
    params = {"category": "tools", "sort": "top", "page": 2, "page_size": 2}
    client = api(None)
    client.get("/api/projects/", params)  # compiles the shape
    with CaptureQueriesContext(connection) as sent:
        assert client.get("/api/projects/", params).status_code == 200
    filterset = ProjectFilterSet(params, queryset=list_queryset())
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as orm:
        list(filterset.qs[2:4])
    main = [q["sql"] for q in sent if q["sql"].startswith('SELECT "wagtailcore_page"."id"')]
    assert main == [orm[0]["sql"]]
    assert main[0].endswith("LIMIT 2 OFFSET 2")


def test_a_view_restriction_changes_the_list_on_the_next_request(api, catalogue):
    client = api(None)
    hidden = catalogue[3]
    assert hidden.pk in {row["id"] for row in client.get("/api/projects/").json()["results"]}
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    body = client.get("/api/projects/").json()
    assert hidden.pk not in {row["id"] for row in body["results"]}
    assert body["count"] == 8
    restriction.delete()
    body = client.get("/api/projects/").json()
    assert hidden.pk in {row["id"] for row in body["results"]}
    assert body["count"] == 9


def test_a_search_goes_through_the_search_backend(api, catalogue):
    target = catalogue[5]
    body = api(None).get("/api/projects/", {"q": target.title}).json()
    assert target.pk in [row["id"] for row in body["results"]]


def test_listed_projects_read_bounded_slices_only(catalogue):
    filterset = ProjectFilterSet({}, queryset=ProjectPage.objects.none())
    assert filterset.is_valid()
    listed = ListedProjects(filterset)
    assert [p.pk for p in listed[1:3]] == [
        p.pk for p in list_queryset().order_by("-first_published_at", "-pk")[1:3]
    ]
    assert listed[2:2] == []
    assert listed.count() == len(listed) == 9
    for bad in (slice(None, None), slice(0, 4, 2), 3):
        with pytest.raises(TypeError):
            listed[bad]


def test_bad_filters_are_a_400_with_field_messages(api, catalogue):
    response = api(None).get("/api/projects/", {"category": "nope", "sort": "sideways"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "sort"}


def test_tags_of_more_projects_than_a_page_read_through_the_orm(catalogue):
    tagged = ProjectPage.objects.get(pk=catalogue[1].pk)
    strangers = [ProjectPage(pk=10**6 + n) for n in range(100)]
    with CaptureQueriesContext(connection) as captured:
        attach_tags([tagged, *strangers])
    assert len(captured) == 1
    assert [tag.name for tag in tagged.listed_tags()] == ["only-1", "shared"]
    assert all(page.listed_tags() == [] for page in strangers)


def test_a_row_built_by_djangos_constructor_is_the_page_the_full_chain_builds(catalogue):
    loaded = ProjectPage.objects.get(pk=catalogue[0].pk)
    values = [getattr(loaded, f.attname) for f in ProjectPage._meta.concrete_fields]
    chained = ProjectPage.__new__(ProjectPage)
    super(ProjectPage, chained).__init__(*values)  # Page, modelcluster, ShowInMenusMixin
    fast = ProjectPage(*values)

    def fields(page):
        return {f.attname: getattr(page, f.attname) for f in ProjectPage._meta.concrete_fields}

    assert fields(fast) == fields(chained) == fields(loaded)
    # A new page still goes through Wagtail's constructor (its content type is set).
    fresh = ProjectPage(title="New", slug="new")
    assert fresh.content_type.model_class() is ProjectPage


def test_a_category_added_after_a_listing_filters_and_is_offered_at_once(
    api, client, catalogue, project_index, author
):
    # The filter's form class is built once per process; its category choices are read anew.
    assert api(None).get("/api/projects/", {"category": "tools"}).status_code == 200
    assert api(None).get("/api/projects/", {"category": "late"}).status_code == 400
    late = CategoryFactory(slug="late", name="Late arrivals")
    assert api(None).get("/api/projects/", {"category": "late"}).json()["count"] == 0
    ProjectPageFactory(owner=author, category=late, slug="late-one").save_revision(
        user=author
    ).publish(user=author)
    listed = api(None).get("/api/projects/", {"category": "late"}).json()
    assert [row["slug"] for row in listed["results"]] == ["late-one"]
    page = client.get(project_index.url)
    assert '<option value="late">Late arrivals</option>' in page.content.decode()
