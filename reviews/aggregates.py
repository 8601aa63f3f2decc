"""Project rating aggregates: average, count, sum and the Bayesian score behind "top rated".

`rating_score = (C * m + sum) / (C + n)` where m is the site-wide mean of visible ratings and
C = PRIOR_WEIGHT; a project without visible reviews scores 0 so it never outranks a reviewed
one. Average, count and sum are exact in the writer's transaction. The score uses the site-wide
mean as last measured (cached: it moves slowly and costs a scan of every review), and the
periodic `refresh_rating_scores` task re-derives every score from a fresh mean. Rewriting
every project's score on each review would cost a write per project and serialise reviewers
site-wide.

A new review is counted in (`count_in`) by one UPDATE that adds to the row's own values, so
concurrent reviews of one project serialise on the row and each adds to what the one before
committed. Every other change (an edit, a hide, a restore, a delete) recomputes the project
from its reviews under the row lock (`recompute`). Reviews of different projects never wait
on each other.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, Sum, Value
from django.db.models.functions import Cast, Round

from proctique.statements import Update
from reviews.models import Review
from showcase.models import ProjectPage

PRIOR_WEIGHT = 5
PRIOR_CACHE_KEY = "reviews:prior-mean"
PRIOR_CACHE_SECONDS = 60 * 60


def site_mean() -> float | None:
    return Review.objects.visible().aggregate(m=Avg("rating"))["m"]


def prior_mean() -> float:
    """The site-wide mean used as the prior, as last measured (cached for an hour)."""
    value = cache.get(PRIOR_CACHE_KEY)
    if value is None:
        value = float(site_mean() or 0)
        cache.set(PRIOR_CACHE_KEY, value, PRIOR_CACHE_SECONDS)
    return value


def visible_stats(project_id: int) -> tuple[int, int]:
    """(count, sum) of the project's visible ratings, counted afresh."""
    stats = (
        Review.objects.visible()
        .filter(project_id=project_id)
        .aggregate(n=Count("id"), s=Sum("rating"))
    )
    return stats["n"], stats["s"] or 0


def _average(n: int, s: int) -> Decimal:
    """The average of n ratings summing to s, rounded half up to two places."""
    if not n:
        return Decimal("0.00")
    return (Decimal(s) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _derived(n: int, s: int, mean: float | None) -> tuple[Decimal, float]:
    """(average, score) of n ratings summing to s; the prior is the current mean unless given."""
    if not n:
        return _average(n, s), 0.0
    m = float(site_mean() or 0) if mean is None else mean
    return _average(n, s), (PRIOR_WEIGHT * m + s) / (PRIOR_WEIGHT + n)


def expected(project_id: int, *, mean: float | None = None) -> tuple[Decimal, int, float]:
    """(average, count, score) computed afresh; the prior is the current mean unless given."""
    n, s = visible_stats(project_id)
    average, score = _derived(n, s, mean)
    return average, n, score


def _score(n, s, weighted_prior):
    """The score as a database expression of count and sum (both expressions); the prior
    term is `PRIOR_WEIGHT * mean`, a number or a value."""
    return (Value(weighted_prior, FloatField()) + Cast(s, FloatField())) / Cast(
        Value(PRIOR_WEIGHT) + n, FloatField()
    )


def _counted_in(project_id: int, rating: int, weighted_prior: float):
    n, s = F("review_count") + 1, F("rating_sum") + rating
    return ProjectPage.objects.filter(pk=project_id), {
        "review_count": n,
        "rating_sum": s,
        "rating_average": Round(Cast(s, FloatField()) / Cast(n, FloatField()), 2),
        "rating_score": _score(n, s, weighted_prior),
    }


# Run on every review posted: its SQL is compiled once per process (proctique.statements).
_COUNT_IN = Update(ProjectPage, _counted_in, project_id=int, rating=int, weighted_prior=float)


def count_in(project_id: int, rating: int) -> None:
    """Add one new visible review to the project's stored aggregates: one UPDATE, no read.

    The average is the new sum over the new count, rounded half up to two places, as
    `expected()` gives it (PostgreSQL rounds the quotient as a numeric).
    """
    _COUNT_IN.run(project_id=project_id, rating=rating, weighted_prior=PRIOR_WEIGHT * prior_mean())


def refresh_scores() -> None:
    """Re-derive every reviewed project's score from a fresh site-wide mean (and cache it)."""
    m = site_mean()
    cache.set(PRIOR_CACHE_KEY, float(m or 0), PRIOR_CACHE_SECONDS)
    if m is None:
        ProjectPage.objects.exclude(rating_score=0).update(rating_score=0)
        return
    ProjectPage.objects.filter(review_count__gt=0).update(
        rating_score=_score(F("review_count"), F("rating_sum"), PRIOR_WEIGHT * m)
    )


# No savepoint: inside the writer's transaction, a failure here fails the whole write anyway.
@transaction.atomic(savepoint=False)
def recompute(project) -> None:
    """Store `project`'s rating average, count, sum and score, counted afresh; call inside the
    writer's transaction."""
    project_id = getattr(project, "pk", project)
    list(ProjectPage.objects.select_for_update().filter(pk=project_id).values_list("pk"))
    n, s = visible_stats(project_id)
    average, score = _derived(n, s, prior_mean())
    stored = {"rating_average": average, "review_count": n, "rating_sum": s, "rating_score": score}
    ProjectPage.objects.filter(pk=project_id).update(**stored)
    if not isinstance(project, int):
        for field, value in stored.items():
            setattr(project, field, value)


@transaction.atomic
def recompute_all() -> int:
    """Recompute every project's aggregates (the `recompute_ratings` command)."""
    ids = list(ProjectPage.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    for project_id in ids:
        n, s = visible_stats(project_id)  # the scores follow from a fresh mean, below
        ProjectPage.objects.filter(pk=project_id).update(
            rating_average=_average(n, s), review_count=n, rating_sum=s
        )
    ProjectPage.objects.filter(review_count=0).exclude(rating_score=0).update(rating_score=0)
    refresh_scores()
    return len(ids)
