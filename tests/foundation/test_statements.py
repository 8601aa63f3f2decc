"""Statements compiled once per process send the ORM's own SQL with each call's arguments, and
give what the ORM's queryset gives, call after call."""

from datetime import timedelta

import pytest

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from proctique.statements import Select, Update
from reviews.factories import ReviewFactory
from reviews.models import Review
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectMember, ProjectPage
from showcase.models.lookups import discoverable_project
from showcase.models.members import makes

pytestmark = pytest.mark.django_db


def _titles_since(author_id: int, since):
    return (
        Review.objects.filter(author_id=author_id, created_at__gte=since)
        .order_by("title")
        .values_list("title", "created_at")
    )


def test_a_select_binds_each_calls_arguments_and_converts_as_the_orm_does(project, user):
    other = UserFactory()
    now = timezone.now()
    ReviewFactory(project=project, author=user, title="Mine")
    ReviewFactory(project=ProjectPageFactory(), author=other, title="Theirs")
    statement = Select(Review, _titles_since, author_id=int, since=type(now))
    since = now - timedelta(hours=1)
    for author in (user, other, user):
        rows = statement.rows(author_id=author.pk, since=since)
        assert rows == list(_titles_since(author.pk, since))
        assert len(rows) == 1
        assert rows[0][1].tzinfo is not None  # the datetime the ORM gives, aware
    assert statement.rows(author_id=user.pk, since=now + timedelta(hours=1)) == []


def test_postgresql_keeps_the_plan_of_a_repeated_statement_for_the_connection(user):
    """psycopg prepares a statement on its fifth use on a connection (server-side binding),
    so PostgreSQL stops planning it on every request; pg_prepared_statements lists this
    session's prepared statements."""
    since = timezone.now()
    for _ in range(6):
        list(_titles_since(user.pk, since))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"reviews_review"."title"' in sql and "$1" in sql for sql in prepared), prepared


def test_a_statement_with_more_parameters_than_the_protocol_takes_still_runs(project, user):
    # Bound on the server, 70,000 ids would exceed the protocol's 65,535 parameters; such a
    # statement is written out on the client instead.
    mine = ReviewFactory(project=project, author=user)
    ids = [mine.pk, *range(10**9, 10**9 + 70_000)]
    assert list(Review.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [mine.pk]


def test_a_compiled_statement_sends_the_orm_sql(project, user):
    statement = Select(Review, _titles_since, author_id=int, since=type(timezone.now()))
    since = timezone.now()
    with CaptureQueriesContext(connection) as orm:
        list(_titles_since(user.pk, since))
    statement.rows(author_id=user.pk, since=since)  # compiles
    with CaptureQueriesContext(connection) as compiled:
        statement.rows(author_id=user.pk, since=since)
    assert [q["sql"] for q in compiled] == [q["sql"] for q in orm]


def _retitled(review_id: int, title: str):
    return Review.objects.filter(pk=review_id), {"title": title, "rating": F("rating") - 1}


def test_an_update_changes_the_named_row_only(project, user):
    first = ReviewFactory(project=project, author=user, rating=5, title="One")
    second = ReviewFactory(project=ProjectPageFactory(), author=user, rating=5, title="Two")
    statement = Update(Review, _retitled, review_id=int, title=str)
    assert statement.run(review_id=first.pk, title="First, edited") == 1
    assert statement.run(review_id=second.pk, title="Second, edited") == 1
    assert statement.run(review_id=first.pk + second.pk + 1000, title="Nobody") == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.rating) == ("First, edited", 4)
    assert (second.title, second.rating) == ("Second, edited", 4)


def _shifted(review_id: int):
    return Review.objects.filter(pk=review_id + 1)  # arithmetic on the argument: not allowed


def test_a_build_that_changes_an_argument_fails_loudly(project, user):
    review = ReviewFactory(project=project, author=user)
    with pytest.raises(TypeError, match="review_id"):
        Select(Review, _shifted, review_id=int).rows(review_id=review.pk)


def test_the_discoverable_project_is_what_the_queryset_loads(project, user, author):
    queried = ProjectPage.objects.discoverable().only("owner", "live").get(pk=project.pk)
    compiled = discoverable_project(project.pk, user)
    assert (compiled.pk, compiled.owner_id, compiled.live) == (project.pk, author.pk, True)
    assert compiled.get_deferred_fields() == queried.get_deferred_fields()
    assert compiled.found_discoverable
    assert compiled.title == project.title  # a deferred field loads as it would
    # The co-maker answer is read with it, per caller.
    member = UserFactory()
    ProjectMember.objects.create(
        project=project, user=member, status=ProjectMember.Status.ACTIVE, invited_by=author
    )
    with CaptureQueriesContext(connection) as captured:
        for caller, expected in ((member, True), (user, False), (author, True)):
            assert makes(discoverable_project(project.pk, caller), caller) is expected
    membership_reads = [q["sql"] for q in captured if "showcase_projectmember" in q["sql"]]
    assert len(membership_reads) == 3
    assert all(sql.startswith('SELECT "wagtailcore_page"') for sql in membership_reads)


def test_restrictions_read_in_the_query_find_what_the_memo_finds(project_index, author):
    open_project = ProjectPageFactory(owner=author, slug="open")
    own = ProjectPageFactory(owner=author, slug="restricted-itself")
    PageViewRestriction.objects.create(page=own, restriction_type=PageViewRestriction.LOGIN)
    ProjectPageFactory(owner=author, slug="draft", live=False)
    expected = {open_project.pk}
    for projects in (
        ProjectPage.objects.discoverable(),
        ProjectPage.objects.discoverable_in_one_query(),
    ):
        assert set(projects.values_list("pk", flat=True)) == expected
    # Under a restricted ancestor, nothing is discoverable either way.
    PageViewRestriction.objects.create(
        page=project_index, restriction_type=PageViewRestriction.LOGIN
    )
    assert not ProjectPage.objects.discoverable().exists()
    assert not ProjectPage.objects.discoverable_in_one_query().exists()
    assert discoverable_project(open_project.pk, author) is None


def test_the_discoverable_project_follows_restrictions_and_state(project, user):
    assert discoverable_project(project.pk, user).pk == project.pk
    assert discoverable_project(project.pk, None).pk == project.pk  # anonymous
    restriction = PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    assert discoverable_project(project.pk, user) is None
    restriction.delete()
    assert discoverable_project(project.pk, user).pk == project.pk
    project.unpublish()
    assert discoverable_project(project.pk, user) is None
    assert discoverable_project(0, user) is None


def test_the_review_route_reads_no_content_version(project, user):
    discoverable_project(project.pk, user)  # compiles
    with CaptureQueriesContext(connection) as captured:
        assert discoverable_project(project.pk, user).pk == project.pk
    assert len(captured) == 1
    assert "wagtailcore_pageviewrestriction" in captured[0]["sql"]


def _reviews_newest_first(author_id: int):
    return (
        Review.objects.filter(author_id=author_id)
        .select_related("project")
        .only("title", "project__title")
        .order_by("-pk")
    )


def test_a_windowed_select_reads_each_window_as_the_orm_slices(project_index, user):
    written = [ReviewFactory(project=ProjectPageFactory(), author=user) for _ in range(5)]
    ReviewFactory(project=written[0].project, author=UserFactory())  # someone else's
    statement = Select(Review, _reviews_newest_first, windowed=True, author_id=int)
    orm = _reviews_newest_first(user.pk)
    for low, high in ((0, 2), (2, 4), (4, 6), (6, 8)):
        found = statement.instances(window=(low, high), author_id=user.pk)
        assert [r.pk for r in found] == [r.pk for r in orm[low:high]]
        with CaptureQueriesContext(connection) as captured:
            titles = [(r.title, r.project.title) for r in found]  # joined: no query
        assert not captured
        assert titles == [(r.title, r.project.title) for r in orm[low:high]]
        assert [r.get_deferred_fields() for r in found] == [
            r.get_deferred_fields() for r in orm[low:high]
        ]


def test_a_window_is_asked_for_where_there_is_one_only(user):
    windowed = Select(Review, _reviews_newest_first, windowed=True, author_id=int)
    with pytest.raises(TypeError, match="takes a window"):
        windowed.rows(author_id=user.pk)
    plain = Select(Review, _titles_since, author_id=int, since=type(timezone.now()))
    with pytest.raises(TypeError, match="has no window"):
        plain.rows(window=(0, 1), author_id=user.pk, since=timezone.now())
    sliced = Select(
        Review, lambda author_id: _reviews_newest_first(author_id)[:3], windowed=True, author_id=int
    )
    with pytest.raises(TypeError, match="slices its queryset"):
        sliced.instances(window=(0, 1), author_id=user.pk)


def test_a_select_runs_its_querysets_prefetches(project, user):
    ReviewFactory(project=project, author=user)

    def with_project_tags(author_id: int):
        return Review.objects.filter(author_id=author_id).prefetch_related("project__tags")

    project.tags.add("prefetched")
    project.save()
    statement = Select(Review, with_project_tags, author_id=int)
    found = statement.instances(author_id=user.pk)
    with CaptureQueriesContext(connection) as captured:
        names = [tag.name for tag in found[0].project.tags.all()]
    assert names == ["prefetched"]
    assert not captured
