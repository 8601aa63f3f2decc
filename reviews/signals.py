"""Keep aggregates right when reviews change outside the services, or a page publish writes
the rating fields stored in an older revision back onto the project row."""

from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published

from reviews.aggregates import recompute
from reviews.models import Review
from showcase.models import ProjectPage


def review_deleted(sender, instance, origin=None, **kwargs):
    # Services recompute themselves; a project being deleted takes its reviews with it.
    if getattr(instance, "_aggregates_handled", False) or isinstance(origin, Page):
        return
    recompute(instance.project_id)


def project_published(sender, instance, **kwargs):
    project_id = instance.pk
    transaction.on_commit(lambda: recompute(project_id), robust=True)


def connect() -> None:
    post_delete.connect(review_deleted, sender=Review, dispatch_uid="reviews_review_deleted")
    page_published.connect(
        project_published, sender=ProjectPage, dispatch_uid="reviews_project_published"
    )
