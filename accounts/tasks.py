"""Periodic account housekeeping, run by the Huey consumer (run_huey imports <app>.tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accounts.tokens import flush_expired_tokens


@db_periodic_task(crontab(minute="17", hour="*/6"))
def flush_expired_jwt_blacklist() -> int:
    """Delete expired refresh-token rows (outstanding and blacklisted); safe to run any time."""
    return flush_expired_tokens()
