"""Periodic upkeep of review aggregates."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from reviews import aggregates


@db_periodic_task(crontab(minute="*/15"))
def refresh_rating_scores() -> None:
    """Re-derive every project's Bayesian score from the current site-wide mean."""
    aggregates.refresh_scores()
