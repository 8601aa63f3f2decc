"""A project's insights: per day for the last `DAYS` days, and totals."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from community.models import Upvote
from follows.models import Follow
from insights.models import ProjectDay
from reviews.models import Review
from showcase.models import ProjectPage
from showcase.models.members import member_project_ids

DAYS = 90
# Counted by the beacon and the outbound redirect, flushed into ProjectDay rows.
COUNTED = ("visitors", "repository_clicks", "demo_clicks", "website_clicks")
SERIES = (*COUNTED, "upvotes", "follows", "reviews")
LABELS = {
    "visitors": "Visitors",
    "repository_clicks": "Repository visits",
    "demo_clicks": "Demo visits",
    "website_clicks": "Website visits",
    "upvotes": "Upvotes",
    "follows": "New followers",
    "reviews": "Reviews",
}


@dataclass
class Series:
    name: str
    label: str
    points: list[int]

    @property
    def total(self) -> int:
        return sum(self.points)

    @property
    def peak(self) -> int:
        return max(self.points, default=0)


def may_see(project, user) -> bool:
    """Its owner, its co-makers and admins see a project's insights."""
    return bool(user and user.is_authenticated and project.permissions_for_user(user).owns)


def insights(project, days: int = DAYS, today: date | None = None) -> dict:
    """Per-day series (oldest first) and totals for the last `days` days."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    index = {start + timedelta(days=n): n for n in range(days)}
    points = {name: [0] * days for name in SERIES}
    for row in ProjectDay.objects.filter(project=project, day__gte=start, day__lte=today):
        for name in COUNTED:
            points[name][index[row.day]] = getattr(row, name)
    # Upvotes and follows still standing (one taken back is gone), visible reviews, by the day
    # they were made.
    made = {
        "upvotes": Upvote.objects.filter(project=project),
        "follows": Follow.objects.filter(project=project),
        "reviews": Review.objects.visible().filter(project=project),
    }
    for name, rows in made.items():
        per_day = (
            rows.filter(created_at__date__gte=start)
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(n=Count("pk"))
        )
        for row in per_day:
            if row["day"] in index:
                points[name][index[row["day"]]] = row["n"]
    return {
        "start": start,
        "end": today,
        "series": [Series(name, LABELS[name], points[name]) for name in SERIES],
    }


def made_by(user, days: int = 30, today: date | None = None) -> list[dict]:
    """The user's own and co-made projects with their visitors per day (oldest first), for the
    workspace panel: two queries whatever the number of projects."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    projects = list(
        ProjectPage.objects.filter(Q(owner=user) | Q(pk__in=member_project_ids(user)))
        .defer_streamfields()
        .order_by("-live", "title")
    )
    points = {project.pk: [0] * days for project in projects}
    rows = ProjectDay.objects.filter(project__in=points, day__gte=start, day__lte=today)
    for project_id, day, visitors in rows.values_list("project_id", "day", "visitors"):
        points[project_id][(day - start).days] = visitors
    return [
        {"project": project, "visitors": Series("visitors", LABELS["visitors"], points[project.pk])}
        for project in projects
    ]
