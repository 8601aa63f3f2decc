"""Background work for the showcase: renditions are made right after an upload."""

import logging

from huey.contrib.djhuey import db_task

from django.db import IntegrityError, transaction

from wagtail.images import get_image_model

from showcase import renditions

logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=30)
def generate_renditions(image_id: int) -> int:
    """Create every rendition the templates and APIs use for one image; idempotent.

    Retries: 3, 30 s apart (storage hiccups). Returns how many renditions the image now has
    among the site's specs; an image deleted before or during the work is skipped.
    """
    specs = renditions.all_specs()
    # Prefetched, the renditions are looked for in the database only: the renditions cache may
    # still hold some of an image of the same id in a database since restored or dropped, and
    # taking those would make no row.
    image = get_image_model().objects.prefetch_renditions(*specs).filter(pk=image_id).first()
    if image is None:
        logger.info("image %s is gone; no renditions to make", image_id)
        return 0
    try:
        with transaction.atomic():
            made = image.get_renditions(*specs)
    except IntegrityError:
        # Deleted while we worked: its rendition rows can no longer point at it.
        if get_image_model().objects.filter(pk=image_id).exists():
            raise
        logger.info("image %s was deleted while its renditions were made", image_id)
        return 0
    return len(made)
