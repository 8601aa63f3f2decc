"""Avatars: a square image of our own, made from whatever the user uploads.

The upload is checked like the site's images (a real image of a known format, bounded in bytes
and pixels, so a decompression bomb is refused before it is decoded), centre-cropped to a
square and resized to `SIZE`, and stored as WebP in the site's storage (S3 when configured):
the original never leaves the request.
"""

import io

from PIL import Image, UnidentifiedImageError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

SIZE = 256
MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def square_avatar(upload) -> ContentFile:
    """A SIZE×SIZE WebP made from `upload`, or a ValidationError saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise ValidationError("Choose an image under 5 MB.", code="file_size")
    try:
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise ValidationError("Choose a JPEG, PNG, WebP or GIF image.", code="format")
            if probe.width * probe.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise ValidationError("This image has too many pixels.", code="pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            side = min(image.size)
            left, top = (image.width - side) // 2, (image.height - side) // 2
            square = image.convert("RGB").crop((left, top, left + side, top + side))
            square = square.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            square.save(out, format="WEBP", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not an image we can read.", code="invalid") from exc
    return ContentFile(out.getvalue(), name="avatar.webp")
