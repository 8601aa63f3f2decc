"""Follows react to what the domains announce: a project going live, a review posted.

The fan-out (who follows it, one notification each, the instant emails) runs after commit in
a Huey task that carries ids only. "Went live" means what it means for the owner's own
"project published" email (see tasks.signals): the first publish, or a re-publish after an
unpublish, never an edit of a live page. A pre_save receiver reads the stored state before
Wagtail's publish saves the page; this app keeps its own mark so it never depends on the order
in which apps' receivers run.
"""

import logging

from redis.exceptions import RedisError

from django.db import transaction
from django.db.models.signals import pre_save

from wagtail.signals import page_published

from follows import tasks
from reviews import events as review_events
from reviews.models import Review
from showcase.models import ProjectPage

logger = logging.getLogger(__name__)

_WAS_LIVE = "_follows_was_live"


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


def remember_live_state(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "live" not in update_fields:
        return
    stored = (
        ProjectPage.objects.filter(pk=instance.pk).values_list("live", "live_revision_id").first()
    )
    setattr(instance, _WAS_LIVE, bool(stored and stored[0] and stored[1]))


def project_went_live(sender, instance, **kwargs):
    if not instance.live or instance.owner_id is None:
        return
    was_live = getattr(instance, _WAS_LIVE, None)
    if was_live is None:
        was_live = instance.first_published_at != instance.last_published_at
    if was_live:
        return
    setattr(instance, _WAS_LIVE, True)
    run_after_commit(tasks.notify_project_followers, instance.pk)


def review_posted(sender, review, **kwargs):
    run_after_commit(tasks.notify_review_followers, review.pk)


def connect() -> None:
    pre_save.connect(
        remember_live_state, sender=ProjectPage, dispatch_uid="follows.remember_live_state"
    )
    page_published.connect(
        project_went_live, sender=ProjectPage, dispatch_uid="follows.project_went_live"
    )
    review_events.review_posted.connect(
        review_posted, sender=Review, dispatch_uid="follows.review_posted"
    )
