"""Image upload and delete: Wagtail's own image form validates content, size and pixels, and
Wagtail's image permission policy decides who may add, see and delete which image."""

import struct

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from proctique.api.base import ProctiqueViewSet
from proctique.api.permissions import IsSignedIn
from proctique.text import reject_control_characters
from showcase import renditions
from showcase.api.serializers import ImageBriefSerializer, absolute, image_payload
from showcase.permissions import image_policy

DAMAGED = "This image file is damaged or incomplete; upload it again."


class ImageUploadSerializer(serializers.Serializer):
    """Multipart form: the file and an optional title (the file name by default)."""

    file = serializers.FileField()
    title = serializers.CharField(
        max_length=255, required=False, allow_blank=True, validators=[reject_control_characters]
    )


class ImageSerializer(ImageBriefSerializer):
    def to_representation(self, image):
        return image_payload(image, "api_detail")


class UploadedImageSerializer(ImageBriefSerializer):
    """A fresh upload: the worker makes its renditions; GET the image for their URLs."""

    renditions = serializers.JSONField(allow_null=True)

    def to_representation(self, image):
        return {
            "id": image.pk,
            "title": image.title,
            "width": image.width,
            "height": image.height,
            "url": absolute(image.file.url),
            "renditions": None,
        }


def image_create(*, user, uploaded_file, title: str = ""):
    """Validate the upload with Wagtail's image form (as the admin does) and save it."""
    Image = get_image_model()  # noqa: N806
    if not image_policy().user_has_permission(user, "add"):
        raise PermissionDenied("Only authors upload images.")
    collection = Collection.get_first_root_node()
    form_class = get_image_form(Image, fields=["title", "file"])
    data = {"title": title or uploaded_file.name.rsplit(".", 1)[0][:255] or "Image"}
    if collection is not None:
        data["collection"] = str(collection.pk)
    form = form_class(
        data=data, files={"file": uploaded_file}, user=user, instance=Image(uploaded_by_user=user)
    )
    try:
        valid = form.is_valid()
    except (OSError, SyntaxError, struct.error) as exc:
        # Wagtail's pixel check decodes the frames: a truncated or damaged file raises there.
        raise DjangoValidationError({"file": [DAMAGED]}) from exc
    if not valid:
        raise DjangoValidationError(
            {
                field: [e["message"] for e in errs]
                for field, errs in form.errors.get_json_data().items()
            }
        )
    with transaction.atomic():
        return form.save()


@extend_schema_view(
    list=extend_schema(summary="List my images (admins: all)", tags=["images"]),
    retrieve=extend_schema(summary="Get an image I uploaded (admins: any)", tags=["images"]),
    create=extend_schema(
        summary="Upload an image (authors and admins)",
        description="Multipart upload, validated like the Wagtail admin: a real image of a "
        "supported format, within WAGTAILIMAGES_MAX_UPLOAD_SIZE and "
        "WAGTAILIMAGES_MAX_IMAGE_PIXELS. Renditions are made by the worker; GET the image for "
        "their URLs. 503 when the media storage is unreachable (nothing is saved).",
        request={"multipart/form-data": ImageUploadSerializer},
        responses={201: UploadedImageSerializer},
        tags=["images"],
    ),
    destroy=extend_schema(summary="Delete an image (uploader or admin)", tags=["images"]),
)
class ImageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ProctiqueViewSet,
):
    """Images for project covers and galleries."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_classes = {"create": ImageUploadSerializer, "default": ImageSerializer}
    permission_classes = [IsSignedIn]
    throttle_scope_by_action = {"create": "uploads"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not image_policy().user_has_any_permission(request.user, ["add", "change", "delete"]):
            raise PermissionDenied("Only authors manage images.")

    def get_queryset(self):
        # Wagtail's rule: "change"/"delete" on a collection reaches every image in it; "add"
        # alone reaches the images one uploaded. Other images are not found (404).
        return (
            image_policy()
            .instances_user_has_any_permission_for(self.request.user, ["change", "delete"])
            .prefetch_renditions(*renditions.prefetch_specs("api_detail"))
            .order_by("-created_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = image_create(
            user=request.user,
            uploaded_file=serializer.validated_data["file"],
            title=serializer.validated_data.get("title", ""),
        )
        return Response(UploadedImageSerializer(image).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, image):
        if not image_policy().user_has_permission_for_instance(self.request.user, "delete", image):
            raise PermissionDenied("You may not delete this image.")
        image.delete()
