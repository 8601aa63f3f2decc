"""Image upload and delete: Wagtail's own image form validates content, size and pixels."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError

from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from proctique.api.base import ProctiqueViewSet
from proctique.api.images import DETAIL_RENDITIONS, image_payload, image_queryset
from proctique.api.permissions import IsAuthor, IsOwningAuthorOrAdmin
from showcase.api.serializers import ImageBriefSerializer


class ImageUploadSerializer(serializers.Serializer):
    """Multipart form: the file and an optional title (the file name by default)."""

    file = serializers.FileField()
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ImageSerializer(ImageBriefSerializer):
    def to_representation(self, image):
        return image_payload(image, DETAIL_RENDITIONS)


def image_create(*, user, uploaded_file, title: str = ""):
    """Validate the upload with Wagtail's image form (as the admin does) and save it."""
    Image = get_image_model()  # noqa: N806
    if not policy_registry.get_by_type(Image).user_has_permission(user, "add"):
        raise PermissionDenied
    collection = Collection.get_first_root_node()
    form_class = get_image_form(Image, fields=["title", "file"])
    data = {"title": title or uploaded_file.name.rsplit(".", 1)[0][:255] or "Image"}
    if collection is not None:
        data["collection"] = str(collection.pk)
    form = form_class(
        data=data,
        files={"file": uploaded_file},
        user=user,
        instance=Image(uploaded_by_user=user),
    )
    if not form.is_valid():
        raise DjangoValidationError(
            {
                field: [e["message"] for e in errs]
                for field, errs in form.errors.get_json_data().items()
            }
        )
    return form.save()


@extend_schema_view(
    list=extend_schema(summary="List my images (admins: all)", tags=["images"]),
    retrieve=extend_schema(summary="Get an image I uploaded (admins: any)", tags=["images"]),
    create=extend_schema(
        summary="Upload an image (authors and admins)",
        description="Multipart upload, validated like the Wagtail admin: a real image of a "
        "supported format, within WAGTAILIMAGES_MAX_UPLOAD_SIZE and "
        "WAGTAILIMAGES_MAX_IMAGE_PIXELS. Answers with the original and rendition URLs.",
        request={"multipart/form-data": ImageUploadSerializer},
        responses={201: ImageSerializer},
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
    permission_classes = [IsAuthor]
    permission_classes_by_action = {
        "list": [IsAuthor],
        "retrieve": [IsAuthor, IsOwningAuthorOrAdmin],
        "create": [IsAuthor],
        "destroy": [IsOwningAuthorOrAdmin],
    }

    def get_queryset(self):
        queryset = image_queryset(DETAIL_RENDITIONS).order_by("-created_at", "-pk")
        user = self.request.user
        if self.action == "list" and not user.is_moderator:
            queryset = queryset.filter(uploaded_by_user=user)
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = image_create(
            user=request.user,
            uploaded_file=serializer.validated_data["file"],
            title=serializer.validated_data.get("title", ""),
        )
        image = image_queryset(DETAIL_RENDITIONS).get(pk=image.pk)
        return Response(ImageSerializer(image).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, image):
        image.delete()
