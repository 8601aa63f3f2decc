"""Follows react to what the domains announce: a project going live, a review posted.

The fan-out (who follows it, one notification each, the instant emails) runs after commit in
a Huey task that carries ids only. "Went live" is the showcase's own `project_went_live`, the
same event the owner's "project published" email follows: the first publish, or a re-publish
after an unpublish, never an edit of a live page.
"""

import logging

from redis.exceptions import RedisError

from django.db import transaction

from follows import tasks
from reviews import events as review_events
from reviews.models import Review
from showcase import events as showcase_events
from showcase.models import ProjectPage

logger = logging.getLogger(__name__)


def run_after_commit(task, object_id: int) -> None:
    """Enqueue `task(object_id)` once the transaction commits; with the queue unreachable,
    run it at once instead, so no notification is lost to a Redis outage."""

    def enqueue():
        try:
            task(object_id)
        except RedisError as exc:
            name = task.func.__name__
            logger.error("could not enqueue %s(%s) (%s); running it now", name, object_id, exc)
            task.call_local(object_id)

    transaction.on_commit(enqueue, robust=True)


def project_went_live(sender, project, **kwargs):
    run_after_commit(tasks.notify_project_followers, project.pk)


def review_posted(sender, review, **kwargs):
    run_after_commit(tasks.notify_review_followers, review.pk)


def connect() -> None:
    showcase_events.project_went_live.connect(
        project_went_live, sender=ProjectPage, dispatch_uid="follows.project_went_live"
    )
    review_events.review_posted.connect(
        review_posted, sender=Review, dispatch_uid="follows.review_posted"
    )
