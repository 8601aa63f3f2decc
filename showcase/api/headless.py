"""Wagtail API v2 (headless read) endpoints: discoverable pages and the images they show.

Projects gain rendition URLs, their category and author here, so the model's `api_fields`
stay a plain list of its own fields; `rating_average` is a number as in the REST API and every
URL is absolute. The router itself lives with the site's URLs.
"""

from rest_framework import serializers

from django.db.models import Q

from wagtail.api import APIField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.views import ImagesAPIViewSet

from proctique.api.base import ID
from proctique.api.conditional import conditional_response
from proctique.text import CONTROL_CHARACTERS, single_line
from showcase.api.serializers import PersonSerializer, absolute
from showcase.models import ProjectGalleryImage, ProjectPage
from showcase.renditions import API_RENDITIONS


class HeadlessCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class AbsoluteRenditionField(ImageRenditionField):
    """Wagtail's rendition field with an absolute `url` (local media URLs are paths)."""

    def to_representation(self, image):
        payload = super().to_representation(image)
        if "url" in payload:
            payload["url"] = absolute(payload["url"])
            payload["full_url"] = absolute(payload["full_url"])
        return payload


class PrefetchedTagsField(serializers.Field):
    """Tag names, sorted, from the join rows the listing prefetches (Wagtail's own tags field
    runs a query per page)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        return [tag.name for tag in page.listed_tags()]


PROJECT_FIELDS = [
    APIField("tags", serializer=PrefetchedTagsField()),
    APIField("category", serializer=HeadlessCategorySerializer(allow_null=True)),
    APIField("author", serializer=PersonSerializer(source="owner", allow_null=True)),
    APIField("rating_average", serializer=serializers.FloatField()),
    APIField("rating_score"),
    *[
        APIField(
            f"cover_{name}",
            serializer=AbsoluteRenditionField(spec, source="cover_image", allow_null=True),
        )
        for name, spec in API_RENDITIONS["api_detail"].items()
    ],
]


class ConditionalGetMixin:
    """ETags and 304s for signed-in callers, as on the REST API; hostile parameters are a 400.

    Wagtail passes `offset`, `id`, `search` and the rest to PostgreSQL as given, which refuses
    NUL bytes and integers past bigint (a 500): they are refused here first, for every endpoint.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            shown = single_line(name)[:40]
            if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
                raise BadRequestError(f"{shown}: remove control characters from the value")
            if value.isdigit() and not ID.fullmatch(value):
                raise BadRequestError(f"{shown} must be an integer below 10^18")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response)


class ProjectPagesAPIViewSet(ConditionalGetMixin, PagesAPIViewSet):
    """Live, public pages; project pages carry rating, category, tags and renditions."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is not ProjectPage:
            return queryset
        # `?type=showcase.ProjectPage`: what PROJECT_FIELDS and the tags read, joined once for
        # the whole page of results instead of once per project.
        return (
            queryset.select_related("category", "owner", "locale")
            .with_tags()
            .with_covers("api_detail")
        )

    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        if issubclass(model, ProjectPage):
            extra = {field.name: field for field in PROJECT_FIELDS}
            fields = [extra.pop(f.name, f) for f in fields] + list(extra.values())
        return fields


class LiveImagesAPIViewSet(ConditionalGetMixin, ImagesAPIViewSet):
    """Only images shown by discoverable projects (covers and galleries): drafts leak nothing."""

    def get_queryset(self):
        shown = ProjectPage.objects.discoverable()
        covers = shown.exclude(cover_image=None).values("cover_image_id")
        gallery = ProjectGalleryImage.objects.filter(page__in=shown).values("image_id")
        return super().get_queryset().filter(Q(pk__in=covers) | Q(pk__in=gallery))
