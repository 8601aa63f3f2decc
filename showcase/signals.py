"""Signal receivers of the showcase app (connected in ShowcaseConfig.ready)."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished

from showcase import cache as fragments


def enqueue_renditions(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """After an image is uploaded (or its file / focal point changes), pre-generate renditions."""
    if raw:
        return
    if update_fields is not None and not {"file", "focal_point_x"} & set(update_fields):
        return
    from showcase.tasks import generate_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions(image_id))


def forget_categories(sender, instance, **kwargs):
    """The discovery filters cache the category list; any change clears it."""
    from showcase.discovery import CATEGORIES_CACHE_KEY

    def forget():
        cache.delete(CATEGORIES_CACHE_KEY)
        fragments.catalogue_changed()

    transaction.on_commit(forget)
    cache.delete(CATEGORIES_CACHE_KEY)


def catalogue_changed(sender, instance=None, **kwargs):
    """A project went live, was edited live, withdrawn or deleted: listings change."""
    transaction.on_commit(fragments.catalogue_changed)


def connect() -> None:
    from showcase.models import Category, HomePage, ProjectIndexPage, ProjectPage

    post_save.connect(
        enqueue_renditions, sender=get_image_model(), dispatch_uid="showcase_image_renditions"
    )
    post_save.connect(forget_categories, sender=Category, dispatch_uid="showcase_categories_save")
    post_delete.connect(forget_categories, sender=Category, dispatch_uid="showcase_categories_del")
    for signal, uid in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_delete, "deleted"),
    ):
        for model in (ProjectPage, ProjectIndexPage, HomePage):
            signal.connect(
                catalogue_changed,
                sender=model,
                dispatch_uid=f"showcase_catalogue_{uid}_{model.__name__}",
            )
