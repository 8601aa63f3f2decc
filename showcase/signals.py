"""Signal receivers of the showcase app (connected in ShowcaseConfig.ready)."""

from django.db import transaction
from django.db.models.signals import post_save

from wagtail.images import get_image_model


def enqueue_renditions(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """After an image is uploaded (or its file / focal point changes), pre-generate renditions."""
    if raw:
        return
    if update_fields is not None and not {"file", "focal_point_x"} & set(update_fields):
        return
    from showcase.tasks import generate_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions(image_id))


def connect() -> None:
    post_save.connect(
        enqueue_renditions, sender=get_image_model(), dispatch_uid="showcase_image_renditions"
    )
