"""Huey entry points of follows: thin wrappers that take ids and call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from follows import digests, services


@db_task(retries=3, retry_delay=30)
def notify_project_followers(project_id: int) -> None:
    """Notify the followers of a project's author and category that it went live.

    Idempotent: a notification exists once per person and project, so a retry (or a duplicate
    message) adds only what is missing.
    """
    services.notifications_for_project(project_id=project_id)


@db_task(retries=3, retry_delay=30)
def notify_review_followers(review_id: int) -> None:
    """Notify a project's followers of a new review on it; idempotent like the above."""
    services.notifications_for_review(review_id=review_id)


@db_periodic_task(crontab(day_of_week="1", hour="6", minute="0"), retries=2, retry_delay=300)
def send_weekly_digests() -> None:
    """Mondays: one digest email per user of last ISO week's notifications they chose to get
    weekly; skipped when empty, and at most one per user and week however often it runs."""
    digests.digests_send()
