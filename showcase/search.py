"""Project search: the one place the web listing and the API turn `q` into a queryset.

Matching (Wagtail's database search backend on PostgreSQL):
- full-text search on title (boosted), tagline, description and tags;
- prefix matching of the last word while typing (Wagtail's autocomplete index), so "lant"
  finds "Lantern";
- when those find fewer than `FEW` projects, typo tolerance with pg_trgm word similarity on the
  title, so "harbr" finds "Harbor".

Ranking ("best match"): projects whose title matches the query come first (the whole title, then
every word, then any word); within each group, text relevance, then rating (the Bayesian score)
and recency. A listing sorted otherwise (newest, top, most reviewed) gets the same matches in
that order instead.
"""

import re
from datetime import timedelta

from modelsearch.query import Fuzzy

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from wagtail.search.backends import get_search_backend

MAX_QUERY_LENGTH = 200
CANDIDATES = 500  # ranked in Python; deeper pages of a best-match listing are not ranked
FEW = 3
WEIGHTS = {"full": 1.0, "prefix": 0.6, "fuzzy": 0.4, "rating": 0.25, "recency": 0.15}
RECENCY_HALF_LIFE = timedelta(days=90)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _scored(results, limit: int = CANDIDATES) -> dict[int, float]:
    rows = results.annotate_score("_match").get_queryset().values_list("pk", "_match")[:limit]
    return {pk: float(score or 0) for pk, score in rows}


def _normalised(scores: dict[int, float]) -> dict[int, float]:
    top = max(scores.values(), default=0) or 1.0
    return {pk: score / top for pk, score in scores.items()}


def _title_match(title: str, q: str, words: list[str]) -> int:
    title_words = _words(title)
    if title.casefold().strip() == q.casefold().strip():
        return 3

    def found(word: str) -> bool:
        return any(t.startswith(word) for t in title_words)

    hits = [found(word) for word in words]
    return 2 if hits and all(hits) else 1 if any(hits) else 0


def _fuzzy_ok() -> bool:
    return connection.vendor == "postgresql"


def matches(projects: QuerySet, q: str) -> dict[str, dict[int, float]]:
    """Scores of the matching projects, by how they matched (full, prefix, fuzzy)."""
    backend = get_search_backend()
    found = {
        "full": _scored(backend.search(q, projects)),
        "prefix": _scored(backend.autocomplete(q, projects)),
        "fuzzy": {},
    }
    if len(found["full"].keys() | found["prefix"].keys()) < FEW and _fuzzy_ok():
        found["fuzzy"] = _scored(backend.search(Fuzzy(q), projects))
    return found


def search_projects(projects: QuerySet, q: str, *, ranked: bool) -> QuerySet:
    """Projects of `projects` matching `q`; best match first when `ranked`."""
    if not ranked:
        backend = get_search_backend()
        full = backend.search(q, projects, order_by_relevance=False).get_queryset()
        prefix = backend.autocomplete(q, projects, order_by_relevance=False).get_queryset()
        found = projects.filter(Q(pk__in=full.values("pk")) | Q(pk__in=prefix.values("pk")))
        if _fuzzy_ok() and found[:FEW].count() < FEW:
            fuzzy = backend.search(Fuzzy(q), projects, order_by_relevance=False).get_queryset()
            found = projects.filter(Q(pk__in=found.values("pk")) | Q(pk__in=fuzzy.values("pk")))
        return found
    found = matches(projects, q)
    ids = set().union(*(scores.keys() for scores in found.values()))
    order = rank(projects.filter(pk__in=ids), q, found)
    positions = [When(pk=pk, then=Value(i)) for i, pk in enumerate(order)]
    return projects.filter(pk__in=order).order_by(
        Case(*positions, output_field=IntegerField()) if positions else "pk"
    )


def rank(candidates: QuerySet, q: str, found: dict[str, dict[int, float]]) -> list[int]:
    """The candidates' ids, best match first (see the module docstring)."""
    words = _words(q)
    normalised = {how: _normalised(scores) for how, scores in found.items()}
    now = timezone.now()
    keyed = []
    for pk, title, score, published in candidates.values_list(
        "pk", "title", "rating_score", "first_published_at"
    ):
        age = (now - published) if published else RECENCY_HALF_LIFE * 8
        recency = 0.5 ** (age / RECENCY_HALF_LIFE)
        relevance = sum(WEIGHTS[how] * normalised[how].get(pk, 0.0) for how in normalised)
        quality = WEIGHTS["rating"] * (score or 0) / 5 + WEIGHTS["recency"] * recency
        keyed.append(((_title_match(title, q, words), relevance + quality), pk))
    keyed.sort(key=lambda item: item[0], reverse=True)
    return [pk for _, pk in keyed]


def suggestions(projects: QuerySet, q: str, limit: int = 6) -> list:
    """A few best matches for the search box's suggestions (prefix and typo tolerant)."""
    if not q.strip():
        return []
    return list(search_projects(projects, q, ranked=True)[:limit])
