"""Page-number pagination for every API list, with a count that stays cheap on large lists."""

import hashlib
from functools import cached_property
from urllib.parse import urlencode

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.inspect import method_has_no_args

from proctique import versions
from proctique.middleware import is_anonymous

# Above this many rows an anonymous list's count is kept until the public content version moves
# (the API_COUNT_MEMO_ABOVE setting overrides it).
MEMO_COUNT_ABOVE = 1_000
# Lists known to be large (by the SQL they count): the only ones whose count is memoised, so the
# memo holds a handful of entries however many small lists (one per project's reviews) exist.
_large_counts: set[str] = set()
_LARGE_COUNTS_MAX = 1_024


PAGE_PARAM = "page"
PAGE_SIZE_PARAM = "page_size"
_PAGING = {PAGE_PARAM, PAGE_SIZE_PARAM}


def _positive_int(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: ["A positive integer is required."]}) from None
    if value < 1 or value > 2**31:
        raise ValidationError({name: ["A positive integer is required."]})
    return value


def list_key(request, view=None) -> str:
    """What an anonymous list's rows depend on: its path and the filters it was given.

    Anonymous callers all see the same rows for the same path and filters, so this names the
    list without compiling its SQL. Parameters the view does not filter on (and the page) are
    left out, so they cannot multiply the keys.
    """
    filterset = getattr(view, "filterset_class", None)
    known = set(filterset.base_filters) if filterset is not None else None
    params = sorted(
        (name, value)
        for name, values in request.query_params.lists()
        if name not in _PAGING and (known is None or name in known)
        for value in values
    )
    return hashlib.sha256(f"{request.path}?{urlencode(params)}".encode()).hexdigest()[:32]


def public_count(queryset: QuerySet, key: str) -> int:
    """The exact row count of the anonymous list named `key` (see `list_key`), counted at most
    once per content version when the list is large.

    Anonymous lists show public content only, and every change to it bumps the public content
    version (proctique.versions), so a count taken under one version stays exact until the next.
    """
    if key in _large_counts:
        return versions.memoised(f"api.count:{key}", queryset.count)
    count = queryset.count()
    above = getattr(settings, "API_COUNT_MEMO_ABOVE", MEMO_COUNT_ABOVE)
    if count > above and len(_large_counts) < _LARGE_COUNTS_MAX:
        _large_counts.add(key)
    return count


class CountingPaginator(Paginator):
    """Django's paginator with the count taken by `count_rows` (see `public_count`)."""

    def __init__(self, object_list, per_page, *, count_rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_rows = count_rows

    @cached_property
    def count(self) -> int:
        # A queryset, or a list's own row source with a `count()` of its own (as Django's
        # paginator asks it).
        counts = getattr(self.object_list, "count", None)
        if self.count_rows is not None and callable(counts) and method_has_no_args(counts):
            return self.count_rows(self.object_list)
        return super().count


class PageNumberPagination(pagination.PageNumberPagination):
    """Every list: `?page=N&page_size=M` (at most 100), with count, next and previous links.

    A malformed page or page size is a 400 (not silently replaced); a page past the end is 404.
    `count` is exact; for anonymous callers a large list's count is taken once per public
    content version instead of on every request (`public_count`), so a page of a list of
    100,000 projects costs what a page of 1,000 does.
    """

    page_query_param = PAGE_PARAM
    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        count_rows = None
        if is_anonymous(request):
            key = list_key(request, view)

            def count_rows(rows: QuerySet) -> int:
                return public_count(rows, key)

        def paginator(object_list, per_page):
            return CountingPaginator(object_list, per_page, count_rows=count_rows)

        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(raw, self.page_size_query_param)
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"At most {self.max_page_size}."]})
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        return _positive_int(raw, self.page_query_param)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        # `next` and `previous` are always there (null on the first and last page).
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
