"""Project search: the one place the web listing and the API turn `q` into a queryset."""

from django.db.models import QuerySet

from wagtail.search.backends import get_search_backend

MAX_QUERY_LENGTH = 200


def search_projects(projects: QuerySet, q: str, *, ranked: bool) -> QuerySet:
    """Projects of `projects` matching `q`; best match first when `ranked`.

    The database backend answers with a real queryset, so filters, sorting and pagination
    apply to it like to any other listing.
    """
    results = get_search_backend().search(q, projects, order_by_relevance=ranked)
    return results.get_queryset()
