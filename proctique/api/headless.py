"""Wagtail API v2 (headless read) at /api/v2/: live pages and the images they show.

Projects gain rendition URLs (ImageRenditionField), their category and author here, so the
model's `api_fields` stay a plain list of its own fields.
"""

from rest_framework import serializers

from django.db.models import Q

from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.views import ImagesAPIViewSet

from proctique.api.conditional import conditional_response
from proctique.api.images import DETAIL_RENDITIONS


class HeadlessCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class HeadlessAuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")


def _project_fields() -> list[APIField]:
    return [
        APIField("category", serializer=HeadlessCategorySerializer(allow_null=True)),
        APIField("author", serializer=HeadlessAuthorSerializer(source="owner", allow_null=True)),
        APIField("rating_score"),
        *[
            APIField(
                f"cover_{name}",
                serializer=ImageRenditionField(spec, source="cover_image", allow_null=True),
            )
            for name, spec in DETAIL_RENDITIONS.items()
        ],
    ]


class ConditionalGetMixin:
    """ETag / Last-Modified and 304s, as on the REST API."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response)


class ProjectPagesAPIViewSet(ConditionalGetMixin, PagesAPIViewSet):
    """Live, public pages; project pages carry rating, category, tags and renditions."""

    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        from showcase.models import ProjectPage

        if issubclass(model, ProjectPage):
            extra = {field.name: field for field in _project_fields()}
            fields = [extra.pop(f.name, f) for f in fields] + list(extra.values())
        return fields


class LiveImagesAPIViewSet(ConditionalGetMixin, ImagesAPIViewSet):
    """Only images shown by live projects (covers and galleries): drafts leak nothing."""

    def get_queryset(self):
        from showcase.models import ProjectGalleryImage, ProjectPage

        live = ProjectPage.objects.live().public()
        covers = live.exclude(cover_image=None).values("cover_image_id")
        gallery = ProjectGalleryImage.objects.filter(page__in=live).values("image_id")
        return super().get_queryset().filter(Q(pk__in=covers) | Q(pk__in=gallery))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ProjectPagesAPIViewSet)
api_router.register_endpoint("images", LiveImagesAPIViewSet)
