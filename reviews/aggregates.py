"""Project rating aggregates: average, count and the Bayesian score behind "top rated".

`rating_score = (C * m + sum) / (C + n)` where m is the site-wide mean of visible ratings and
C = PRIOR_WEIGHT; a project without visible reviews scores 0 so it never outranks a reviewed
one. The site-wide mean moves with every review, so every recompute also refreshes the score
of every reviewed project in one statement. All writers take one transaction-level advisory
lock first (then the project row), so concurrent recomputes serialise without deadlocks.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Avg, Count, F, FloatField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

from reviews.models import Review

PRIOR_WEIGHT = 5
_LOCK_KEY = 0x52455649  # "REVI": one advisory lock for all aggregate writers


def _project_model():
    from showcase.models import ProjectPage

    return ProjectPage


def lock() -> None:
    """Serialise aggregate writers for the rest of the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def site_mean() -> float | None:
    return Review.objects.visible().aggregate(m=Avg("rating"))["m"]


def expected(project_id: int) -> tuple[Decimal, int, float]:
    """The values a fresh computation gives: (average, count, score)."""
    stats = (
        Review.objects.visible()
        .filter(project_id=project_id)
        .aggregate(n=Count("id"), s=Sum("rating"))
    )
    n, s = stats["n"], stats["s"] or 0
    if not n:
        return Decimal("0.00"), 0, 0.0
    average = (Decimal(s) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    m = float(site_mean() or 0)
    return average, n, (PRIOR_WEIGHT * m + s) / (PRIOR_WEIGHT + n)


def refresh_scores() -> None:
    """Re-derive every reviewed project's Bayesian score from the current site-wide mean."""
    ProjectPage = _project_model()
    m = site_mean()
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


@transaction.atomic
def recompute(project) -> None:
    """Store `project`'s rating average, count and score; call inside the writer's transaction."""
    ProjectPage = _project_model()
    project_id = getattr(project, "pk", project)
    lock()
    list(ProjectPage.objects.select_for_update().filter(pk=project_id).values_list("pk"))
    average, count, _ = expected(project_id)
    ProjectPage.objects.filter(pk=project_id).update(
        rating_average=average, review_count=count, **({} if count else {"rating_score": 0})
    )
    refresh_scores()
    if not isinstance(project, int):
        project.rating_average, project.review_count = average, count


@transaction.atomic
def recompute_all() -> int:
    """Recompute every project's aggregates (the `recompute_ratings` command)."""
    ProjectPage = _project_model()
    lock()
    ids = list(ProjectPage.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    for project_id in ids:
        average, count, _ = expected(project_id)
        ProjectPage.objects.filter(pk=project_id).update(rating_average=average, review_count=count)
    ProjectPage.objects.filter(review_count=0).exclude(rating_score=0).update(rating_score=0)
    refresh_scores()
    return len(ids)
