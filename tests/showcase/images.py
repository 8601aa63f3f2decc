"""Image bytes made with Pillow for upload tests."""

import io

from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile


def image_bytes(size=(320, 180), fmt="PNG", colour=(40, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name="cover.png", content=None, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)
