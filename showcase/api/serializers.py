"""Project, category and image serializers: one per action (list, detail, write)."""

import re
from collections.abc import Callable
from datetime import tzinfo
from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import DateTimeField

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from proctique.api import fields as strict
from proctique.api.fields import absolute
from proctique.text import reject_control_characters
from showcase.models import Category, ProjectPage
from showcase.models.querysets import CoverRow
from showcase.renditions import API_RENDITIONS, filter_for
from showcase.services import EDITABLE_FIELDS


def image_payload(image: AbstractImage | CoverRow | None, rendition_set: str) -> dict | None:
    """id, title, size, the original's URL and one URL per rendition of the set: of an image,
    or of a cover read as rows with that set's renditions (ProjectPage.listed_cover())."""
    if image is None:
        return None
    specs = API_RENDITIONS[rendition_set]
    if isinstance(image, CoverRow):
        original, urls = image.url, image.rendition_urls
    else:
        found = image.get_renditions(*map(filter_for, specs.values()))
        original, urls = image.file.url, {spec: found[spec].url for spec in specs.values()}
    return {
        "id": image.pk,
        "title": image.title,
        "width": image.width,
        "height": image.height,
        "url": absolute(original),
        "renditions": {name: absolute(urls[spec]) for name, spec in specs.items()},
    }


class SiblingUrls:
    """URLs of one listing that differ only in their last path segment (projects under one
    index, author profiles): the first of each group as Wagtail's routing or Django's
    `reverse` writes it, each other by putting its own segment in the first's place.

    `reverse` escapes nothing in a segment of these characters (nor does Wagtail's routing,
    which reverses a page's parent path, its slug and a slash), so the URL is the one the
    slow way gives; any other segment takes the slow way. Reversing was a sixth of an API
    list's serializing.
    """

    VERBATIM = re.compile(r"[A-Za-z0-9_.@+-]+")

    def __init__(self):
        self._prefixes: dict[str, str] = {}

    def url(self, group: str, segment: str, build: Callable[[], str | None]) -> str | None:
        tail = f"{segment}/"
        verbatim = self.VERBATIM.fullmatch(segment) is not None
        prefix = self._prefixes.get(group)
        if prefix is not None and verbatim:
            return prefix + tail
        url = build()
        if verbatim and url is not None and url.endswith(f"/{tail}"):
            self._prefixes[group] = url[: -len(tail)]
        return url


class CategorySerializer(strict.StrictModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]

    def to_representation(self, category) -> dict:
        # Written out (see ProjectListSerializer.to_representation).
        return {"id": category.pk, "name": category.name, "slug": category.slug}


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")
    profile_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_profile_url(self, user) -> str:
        return absolute(user.get_absolute_url())

    def to_representation(self, user, urls: SiblingUrls | None = None) -> dict:
        # Written out (see ProjectListSerializer.to_representation). A listing hands in its
        # `urls`, so that its authors' profile URLs are reversed once.
        if urls is None:
            profile_url = self.get_profile_url(user)
        else:
            profile_url = urls.url("profiles", user.username, lambda: self.get_profile_url(user))
        return {
            "username": user.username,
            "display_name": user.public_name,
            "profile_url": profile_url,
        }


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField(help_text="The value of the `tag` filter.")


class RenditionsSerializer(serializers.Serializer):
    thumbnail = serializers.URLField()
    medium = serializers.URLField(required=False)


class ImageBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField()
    renditions = RenditionsSerializer()


class ProjectStatus:
    LIVE = "live"
    DRAFT = "draft"
    LIVE_WITH_CHANGES = "live_with_draft_changes"
    CHOICES = [LIVE, DRAFT, LIVE_WITH_CHANGES]

    @classmethod
    def of(cls, page) -> str:
        if not page.live:
            return cls.DRAFT
        return cls.LIVE_WITH_CHANGES if page.has_unpublished_changes else cls.LIVE


# For the written-out representations: what DRF's own fields give.
_datetime = DateTimeField(read_only=True)
_CATEGORY = CategoryBriefSerializer()
_PERSON = PersonSerializer()


def moment(value, zone: tzinfo | None = None) -> str | None:
    """A datetime as DRF's DateTimeField writes it (None stays None). A listing hands in the
    current time zone (`zone`), read once for its rows: DRF reads it for every value."""
    if value is None:
        return None
    if zone is None or not timezone.is_aware(value):
        return _datetime.to_representation(value)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class ProjectListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    cover_image = serializers.SerializerMethodField()
    category = CategoryBriefSerializer(allow_null=True)
    tags = serializers.SerializerMethodField()
    author = PersonSerializer(source="owner", allow_null=True)
    rating_average = serializers.FloatField()
    review_count = serializers.IntegerField()
    upvote_count = serializers.IntegerField(help_text='"I use this" upvotes.')
    status = serializers.SerializerMethodField()

    rendition_set = "api_list"
    # The columns the fields above read, for `.only()` on list querysets (the tags and the cover
    # image come from their prefetches).
    columns = (
        "id",
        "title",
        "slug",
        "url_path",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "tagline",
        "cover_image",
        "rating_average",
        "review_count",
        "upvote_count",
        "category__id",
        "category__name",
        "category__slug",
        "owner__id",
        "owner__username",
        "owner__display_name",
    )

    class Meta:
        model = ProjectPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "tagline",
            "cover_image",
            "category",
            "tags",
            "author",
            "rating_average",
            "review_count",
            "upvote_count",
            "status",
            "first_published_at",
            "last_published_at",
        ]

    def to_representation(self, page) -> dict:
        # Written out: DRF's loop over the declared fields (a lookup, a None check and a
        # conversion per field, nested serializers built per request) was a fifth of an API
        # list's time. The declared fields stay the schema; tests/api/test_representations.py
        # holds this to what they give.
        category, owner = page.category, page.owner
        return {
            "id": page.pk,
            "title": page.title,
            "slug": page.slug,
            "url": self.get_url(page),
            "tagline": page.tagline,
            "cover_image": self.get_cover_image(page),
            "category": None if category is None else _CATEGORY.to_representation(category),
            "tags": self.get_tags(page),
            "author": None if owner is None else _PERSON.to_representation(owner, self._urls),
            "rating_average": float(page.rating_average),
            "review_count": page.review_count,
            "upvote_count": page.upvote_count,
            "status": ProjectStatus.of(page),
            "first_published_at": moment(page.first_published_at, self._zone),
            "last_published_at": moment(page.last_published_at, self._zone),
        }

    # One per serializer: a list serializes its rows through one instance of this one.
    @cached_property
    def _urls(self) -> SiblingUrls:
        return SiblingUrls()

    @cached_property
    def _zone(self) -> tzinfo:
        return _datetime.default_timezone()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, page) -> str | None:
        # Drafts have no public URL yet.
        if not page.live:
            return None
        request = self.context.get("request")
        parent, slug = page.url_path[: -len(page.slug) - 1], page.slug
        if not page.url_path.endswith(f"/{slug}/"):
            return page.get_full_url(request)
        return self._urls.url(parent, slug, lambda: page.get_full_url(request))

    @extend_schema_field(ImageBriefSerializer(allow_null=True))
    def get_cover_image(self, page):
        return image_payload(page.listed_cover(), self.rendition_set)

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, page) -> list[dict]:
        return [{"name": tag.name, "slug": tag.slug} for tag in page.listed_tags()]

    @extend_schema_field(serializers.ChoiceField(choices=ProjectStatus.CHOICES))
    def get_status(self, page) -> str:
        return ProjectStatus.of(page)


class GalleryImageSerializer(serializers.Serializer):
    caption = serializers.CharField()
    image = ImageBriefSerializer()


class DescriptionBlockSerializer(serializers.Serializer):
    type = strict.CharField()
    value = serializers.JSONField()
    id = strict.CharField(required=False)


class ProjectDetailSerializer(ProjectListSerializer):
    description = serializers.SerializerMethodField()
    gallery = serializers.SerializerMethodField()

    rendition_set = "api_detail"

    def to_representation(self, page) -> dict:
        return {
            **super().to_representation(page),
            "description": self.get_description(page),
            "repository_url": page.repository_url,
            "demo_url": page.demo_url,
            "website_url": page.website_url,
            "gallery": self.get_gallery(page),
        }

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "description",
            "repository_url",
            "demo_url",
            "website_url",
            "gallery",
        ]

    @extend_schema_field(DescriptionBlockSerializer(many=True))
    def get_description(self, page):
        return list(page.description.raw_data)

    @extend_schema_field(GalleryImageSerializer(many=True))
    def get_gallery(self, page):
        return [
            {"caption": item.caption, "image": image_payload(item.image, self.rendition_set)}
            for item in page.gallery_images.all()
        ]


class ProjectWriteSerializer(strict.StrictModelSerializer):
    """Fields an author sets (validated by the model's own rules). `publish` asks to publish
    the saved revision at once."""

    description = DescriptionBlockSerializer(many=True, required=False)
    cover_image = strict.PrimaryKeyRelatedField(
        queryset=get_image_model().objects.all(), required=False, allow_null=True
    )
    category = strict.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=strict.CharField(max_length=100, validators=[reject_control_characters]),
        required=False,
        max_length=20,
    )
    publish = strict.BooleanField(required=False, default=False, write_only=True)

    class Meta:
        model = ProjectPage
        fields = [*EDITABLE_FIELDS, "tags", "publish"]
        extra_kwargs = {"slug": {"required": False, "allow_blank": True}}

    def validate_description(self, blocks):
        stream_block = ProjectPage._meta.get_field("description").stream_block
        raw = [{"type": b["type"], "value": b["value"]} for b in blocks]
        known = set(stream_block.child_blocks)
        for block in raw:
            if block["type"] not in known:
                raise serializers.ValidationError(
                    f"Unknown block type {block['type']!r}; use one of {sorted(known)}."
                )
        try:
            value = stream_block.to_python(raw)
            stream_block.clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            raise serializers.ValidationError("The description blocks are malformed.") from error
        return value


class PublishStateSerializer(serializers.Serializer):
    """The answer to a publish that went to moderation instead (HTTP 202)."""

    status = serializers.ChoiceField(choices=["in_moderation"])
    workflow = serializers.CharField()
    task = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    message = serializers.CharField()

    @staticmethod
    def payload(state) -> dict:
        task_state = state.current_task_state
        return {
            "status": "in_moderation",
            "workflow": state.workflow.name,
            "task": task_state.task.name if task_state else None,
            "state": state.status,
            "message": "Submitted for moderation; an admin will publish it.",
        }
