"""What the rules between a new review and its author's earlier ones read: whether they
reviewed the project already, how many they posted in the last hour, their last review's text.

One query answers all three, and each part reads its own index range, so a prolific author
costs no more than a new one. The API's review POST reads them with the project itself
(`project_for_review`), as the co-maker answer is read; other routes ask `of()` alone.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from proctique.statements import Select
from reviews.models import Review
from showcase.models import ProjectPage
from showcase.models.lookups import discoverable_one, load_one

# Where `project_for_review` keeps the answers on the project: (author id, the three answers).
KNOWN = "review_history"


def _parts(author_id: int, since: datetime, project) -> dict:
    """The three answers as expressions; `project` is the project's id or its outer reference."""
    mine = Review.objects.filter(author_id=author_id)
    recent = (
        mine.filter(created_at__gte=since)
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "reviewed_here": Exists(mine.filter(project_id=project)),
        "recent_reviews": Subquery(recent),
        "last_body": Subquery(mine.order_by("-created_at").values("body")[:1]),
    }


def _alone(author_id: int, project_id: int, since: datetime):
    parts = _parts(author_id, since, project_id)
    return (
        Review.objects.filter(author_id=author_id)
        .order_by("-created_at")
        .annotate(here=parts["reviewed_here"], recent=parts["recent_reviews"])
        .values_list("here", "recent", "body")[:1]
    )


def _with_project(project_id: int, user_id: int, since: datetime):
    return discoverable_one(project_id, user_id).annotate(**_parts(user_id, since, OuterRef("pk")))


# Both run on every review posted: compiled once per process (proctique.statements).
_ALONE = Select(Review, _alone, author_id=int, project_id=int, since=datetime)
_WITH_PROJECT = Select(ProjectPage, _with_project, project_id=int, user_id=int, since=datetime)


def _since() -> datetime:
    return timezone.now() - timedelta(hours=1)


def project_for_review(project_id: int, user) -> ProjectPage | None:
    """The discoverable project as `discoverable_project()` loads it, knowing the signed-in
    `user`'s review history too, in the same statement."""
    project = load_one(_WITH_PROJECT, project_id, user, since=_since())
    if project is not None and user is not None and user.is_authenticated:
        answers = (project.reviewed_here, project.recent_reviews or 0, project.last_body)
        setattr(project, KNOWN, (user.pk, answers))
    return project


def of(author, project) -> tuple[bool, int, str | None]:
    """(reviewed `project` already, reviews in the last hour, last review's text or None)."""
    known = getattr(project, KNOWN, None)
    if known is not None and known[0] == author.pk:
        return known[1]
    rows = _ALONE.rows(author_id=author.pk, project_id=project.pk, since=_since())
    if not rows:
        return False, 0, None
    here, recent, body = rows[0]
    return here, recent or 0, body
