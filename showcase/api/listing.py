"""`GET /api/projects/`: the list's rows through statements compiled once per shape.

Every caller sees the same list (discoverable projects, filtered and sorted as ProjectFilterSet
says). Building and compiling its queryset cost Django more than running it: about 2.5 ms of a
request's 10 on a list of 24. Without a search (`q` goes through the search backend), the SQL
depends only on which filters are given, the sort and the view restrictions, so each such shape
is one `Select` (proctique.statements), compiled on first use and then run with the request's
filter values and page. The queryset below and ProjectFilterSet's filters stay the one place the
list is written; the statement sends the ORM's own SQL.
"""

from collections.abc import Sequence

from django.db.models import QuerySet

from proctique.statements import Select
from showcase.api.serializers import ProjectListSerializer
from showcase.filters import ProjectFilterSet, sorted_by
from showcase.models import ProjectPage
from showcase.models.querysets import ProjectPageQuerySet, attach_listed, loaded
from showcase.restrictions import restricted_paths

RENDITION_SET = "api_list"
# The filters a statement takes as arguments; `q` (search) is not one of them.
ARGUMENTS = ("category", "tag")
# Shapes are few (filters given × sorts × restriction sets); this bounds them all the same.
_MAX_SHAPES = 256
_statements: dict[tuple, Select] = {}
# A filter without a null value (CharFilter) never has one.
_NO_NULL = object()


def list_queryset() -> ProjectPageQuerySet:
    """The API list before filters: what it shows, joined and prefetched for its cards."""
    return (
        ProjectPage.objects.discoverable()
        .for_listing(RENDITION_SET, cover_rows=True)
        .only(*ProjectListSerializer.columns)
    )


def _statement(given: tuple[str, ...], sort: str) -> Select:
    # The build reads the restrictions when it compiles: they are part of the shape.
    key = (given, sort, tuple(restricted_paths()))
    statement = _statements.get(key)
    if statement is None:

        def build(**values: str) -> QuerySet:
            queryset = list_queryset()
            for name in given:
                queryset = ProjectFilterSet.base_filters[name].filter(queryset, values[name])
            return sorted_by(queryset, sort)

        build.__qualname__ = f"api_list[{','.join(given)}|{sort}]"
        if len(_statements) >= _MAX_SHAPES:
            _statements.clear()
        statement = Select(ProjectPage, build, windowed=True, **dict.fromkeys(given, str))
        _statements[key] = statement
    return statement


class ListedProjects(Sequence):
    """A filtered list's projects as the paginator reads them: `count()` and slices."""

    def __init__(self, filterset: ProjectFilterSet):
        data = filterset.form.cleaned_data
        self._filterset = filterset
        self._values = {name: data[name] for name in ARGUMENTS if data.get(name)}
        self._statement = _statement(tuple(self._values), data["sort"])

    def count(self) -> int:
        # Counted through the ORM: anonymous lists take it once per content version
        # (proctique.api.pagination), signed-in ones as they always did.
        return self._filterset.filter_queryset(list_queryset()).count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("ListedProjects reads slices of rows")
        low = index.start or 0
        high = index.stop
        if high is None or low < 0 or high < low:
            raise TypeError("ListedProjects reads bounded slices")
        if high == low:
            return []
        projects = self._statement.instances(window=(low, high), **self._values)
        for project in projects:
            loaded(project, discoverable=True, makers_for=None)
        # as the queryset's `for_listing()` does
        attach_listed(projects, RENDITION_SET, cover_rows=True)
        return projects


def projects(filterset: ProjectFilterSet) -> ListedProjects | QuerySet:
    """The rows of a validated filterset's list: through a compiled statement, or with a
    search through the ORM (the search backend writes its own query)."""
    data = filterset.form.cleaned_data
    # A choice filter's null value filters on NULL, not on the value: the ORM's way.
    nulls = any(
        data.get(name) == getattr(ProjectFilterSet.base_filters[name], "null_value", _NO_NULL)
        for name in ARGUMENTS
    )
    if data.get("q") or nulls:
        return filterset.filter_queryset(list_queryset())
    return ListedProjects(filterset)
