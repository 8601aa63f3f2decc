"""Project rating aggregates: average, count and the Bayesian score behind "top rated".

`rating_score = (C * m + sum) / (C + n)` where m is the site-wide mean of visible ratings and
C = PRIOR_WEIGHT; a project without visible reviews scores 0 so it never outranks a reviewed
one. Average and count are exact in the writer's transaction. The score uses the site-wide
mean as last measured (cached: it moves slowly and costs a scan of every review), and the
periodic `refresh_rating_scores` task re-derives every score from a fresh mean. Rewriting
every project's score on each review would cost a write per project and serialise reviewers
site-wide. Writers lock the project row, so concurrent reviews of one project serialise and
reviews of different projects never wait on each other.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

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


def expected(project_id: int, *, mean: float | None = None) -> tuple[Decimal, int, float]:
    """(average, count, score) computed afresh; the prior is the current mean unless given."""
    stats = (
        Review.objects.visible()
        .filter(project_id=project_id)
        .aggregate(n=Count("id"), s=Sum("rating"))
    )
    n, s = stats["n"], stats["s"] or 0
    if not n:
        return Decimal("0.00"), 0, 0.0
    average = (Decimal(s) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    m = float(site_mean() or 0) if mean is None else mean
    return average, n, (PRIOR_WEIGHT * m + s) / (PRIOR_WEIGHT + n)


def refresh_scores() -> None:
    """Re-derive every reviewed project's score from a fresh site-wide mean (and cache it)."""
    m = site_mean()
    cache.set(PRIOR_CACHE_KEY, float(m or 0), PRIOR_CACHE_SECONDS)
    if m is None:
        ProjectPage.objects.exclude(rating_score=0).update(rating_score=0)
        return
    sums = (
        Review.objects.visible()
        .filter(project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(s=Sum("rating"))
        .values("s")
    )
    ProjectPage.objects.filter(review_count__gt=0).update(
        rating_score=(
            Value(PRIOR_WEIGHT * float(m)) + Cast(Coalesce(Subquery(sums), 0), FloatField())
        )
        / Cast(Value(PRIOR_WEIGHT) + F("review_count"), FloatField())
    )


# No savepoint: inside the writer's transaction, a failure here fails the whole write anyway.
@transaction.atomic(savepoint=False)
def recompute(project) -> None:
    """Store `project`'s rating average, count and score; call inside the writer's transaction."""
    project_id = getattr(project, "pk", project)
    list(ProjectPage.objects.select_for_update().filter(pk=project_id).values_list("pk"))
    average, count, score = expected(project_id, mean=prior_mean())
    ProjectPage.objects.filter(pk=project_id).update(
        rating_average=average, review_count=count, rating_score=score
    )
    if not isinstance(project, int):
        project.rating_average, project.review_count = average, count
        project.rating_score = score


@transaction.atomic
def recompute_all() -> int:
    """Recompute every project's aggregates (the `recompute_ratings` command)."""
    ids = list(ProjectPage.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    for project_id in ids:
        average, count, _ = expected(project_id)
        ProjectPage.objects.filter(pk=project_id).update(rating_average=average, review_count=count)
    ProjectPage.objects.filter(review_count=0).exclude(rating_score=0).update(rating_score=0)
    refresh_scores()
    return len(ids)
