"""The trending score: what counts, with what weight, and how fast it fades.

    score = UPVOTE_WEIGHT * sum over upvotes of  w(voter) * decay(age)
          + REVIEW_WEIGHT * sum over visible reviews of decay(age) * rating_score / MAX_RATING

    decay(age) = 0.5 ** (age_days / HALF_LIFE_DAYS)

`rating_score` is the project's Bayesian rating (reviews.aggregates: its ratings pulled towards
the site-wide mean by PRIOR_WEIGHT imaginary reviews), so a review's weight follows the
project's ratings, and one 5-star review (about 1 * 4.2 / 5) counts for far less than fifty
4-star ones (about 50 * 4.0 / 5). `w(voter)` is 1, or SUSPECT_VOTE_WEIGHT when the account was
younger than YOUNG_ACCOUNT at the time of the vote or has no other activity (no visible review
written, no live project owned): a ring of fresh or vote-only accounts moves a project a quarter
as much as real users do. The /ranking/ page renders these constants; the periodic task
`refresh_trending` recomputes every discoverable project's score in one UPDATE.
"""

from datetime import timedelta

from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Power
from django.utils import timezone

from community.models import Upvote
from proctique import versions
from reviews.aggregates import PRIOR_WEIGHT
from reviews.models import Review
from showcase.models import ProjectPage

HALF_LIFE_DAYS = 7
UPVOTE_WEIGHT = 1.0
REVIEW_WEIGHT = 3.0
MAX_RATING = 5
SUSPECT_VOTE_WEIGHT = 0.25
YOUNG_ACCOUNT = timedelta(days=1)


def constants() -> dict:
    """The rule as numbers, for the /ranking/ page."""
    return {
        "half_life_days": HALF_LIFE_DAYS,
        "upvote_weight": UPVOTE_WEIGHT,
        "review_weight": REVIEW_WEIGHT,
        "max_rating": MAX_RATING,
        "suspect_vote_weight": SUSPECT_VOTE_WEIGHT,
        "young_account_hours": int(YOUNG_ACCOUNT.total_seconds() // 3600),
        "prior_weight": PRIOR_WEIGHT,
    }


class _Epoch(Func):
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # `make run` works on SQLite, where the hourly refresh must run too.
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS REAL)"
        )


def _decay(now_epoch: float, field: str = "created_at") -> Power:
    age_days = (Value(now_epoch) - _Epoch(F(field))) / Value(86400.0)
    return Power(Value(0.5), age_days / Value(float(HALF_LIFE_DAYS)))


def _suspect_weight() -> Case:
    """An upvote's weight: SUSPECT_VOTE_WEIGHT for a young or otherwise inactive voter."""
    suspect = Q(created_at__lt=F("user__date_joined") + YOUNG_ACCOUNT) | Q(
        voter_reviewed=False, voter_makes=False
    )
    return Case(
        When(suspect, then=Value(SUSPECT_VOTE_WEIGHT)),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _upvote_sums(now_epoch: float) -> Subquery:
    rows = (
        Upvote.objects.filter(project_id=OuterRef("pk"))
        .annotate(
            voter_reviewed=Exists(Review.objects.visible().filter(author_id=OuterRef("user_id"))),
            voter_makes=Exists(ProjectPage.objects.live().filter(owner_id=OuterRef("user_id"))),
        )
        .annotate(weighted=_suspect_weight() * _decay(now_epoch))
        .order_by()
        .values("project_id")
        .annotate(s=Sum("weighted"))
        .values("s")
    )
    return Subquery(rows, output_field=FloatField())


def _review_sums(now_epoch: float) -> Subquery:
    rows = (
        Review.objects.visible()
        .filter(project_id=OuterRef("pk"))
        .annotate(decayed=_decay(now_epoch))
        .order_by()
        .values("project_id")
        .annotate(s=Sum("decayed"))
        .values("s")
    )
    return Subquery(rows, output_field=FloatField())


def refresh(now=None) -> int:
    """Recompute every discoverable project's trending score (others score 0); returns how
    many were scored. Bumps the public content version: listings sorted by it change."""
    now_epoch = (now or timezone.now()).timestamp()
    upvotes = Coalesce(_upvote_sums(now_epoch), Value(0.0))
    reviews = Coalesce(_review_sums(now_epoch), Value(0.0))
    score = Value(UPVOTE_WEIGHT) * upvotes + Value(REVIEW_WEIGHT) * reviews * F(
        "rating_score"
    ) / Value(float(MAX_RATING))
    shown = ProjectPage.objects.discoverable()
    scored = ProjectPage.objects.filter(pk__in=shown.values("pk")).update(trending_score=score)
    ProjectPage.objects.exclude(pk__in=shown.values("pk")).exclude(trending_score=0).update(
        trending_score=0
    )
    versions.changed()
    return scored
