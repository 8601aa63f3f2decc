"""Periodic upkeep of insights (run_huey imports <app>.tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from insights import counting


@db_periodic_task(crontab(minute="*/5"), retries=0)
def flush_insights() -> int:
    """Every five minutes: today's and yesterday's counters into daily rows (idempotent)."""
    return counting.flush()
