"""The database side of `make chaos`: its data, and what it counts afterwards.

Imported by `proctique.bench.chaos` only after `django.setup()`, which can run only once the
run's own database, Redis and SMTP ports are in the environment.
"""

import time

from django.contrib.auth import get_user_model
from django.db import connection, connections  # noqa: F401 (chaos kills `connection`)

from proctique.bench.data import BenchData, load
from reviews.models import Review
from showcase.models import ProjectPage
from tasks.models import EmailEvent


def seed() -> tuple[list[tuple[int, str, int]], list]:
    """40 projects and 100 users; returns (pk, url, owner) of each project and 60 reviewers."""
    load(BenchData(projects=40, categories=4, users=100, reviews=0, popular_reviews=0))
    EmailEvent.objects.all().delete()
    projects = [(p.pk, p.url, p.owner_id) for p in ProjectPage.objects.live().order_by("pk")]
    reviewers = list(get_user_model().objects.filter(username__startswith="bench")[10:70])
    return projects, reviewers


def wait_for_outbox(timeout: float) -> bool:
    """Whether every email event left `pending` within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not EmailEvent.objects.filter(status=EmailEvent.Status.PENDING).exists():
            return True
        time.sleep(1)
    return False


def counts() -> tuple[set[int], int, int]:
    """The chaos reviews stored, the "new review" emails expected, and those marked sent."""
    rows = set(Review.objects.filter(title__startswith="chaos-").values_list("pk", flat=True))
    expected = EmailEvent.objects.filter(kind="new_review").count()
    sent = EmailEvent.objects.filter(kind="new_review", status="sent").count()
    return rows, expected, sent


def close() -> None:
    connections.close_all()
