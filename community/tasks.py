"""Periodic upkeep of the community app (run_huey imports <app>.tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from community import trending


@db_periodic_task(crontab(minute="7"), retries=1, retry_delay=60)
def refresh_trending() -> int:
    """Hourly: every discoverable project's trending score from its upvotes and reviews
    (idempotent: a rerun computes the same scores for the same moment)."""
    return trending.refresh()
