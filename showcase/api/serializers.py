"""Project and category serializers: one per action (list, detail, write)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.core.exceptions import ValidationError as DjangoValidationError

from wagtail.images import get_image_model

from proctique.api import fields as strict
from proctique.api.images import DETAIL_RENDITIONS, LIST_RENDITIONS, image_payload
from showcase.models import Category, ProjectPage


class CategorySerializer(strict.StrictModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")


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


class ProjectListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    cover_image = serializers.SerializerMethodField()
    category = CategoryBriefSerializer(allow_null=True)
    tags = serializers.SerializerMethodField()
    author = PersonSerializer(source="owner", allow_null=True)
    rating_average = serializers.FloatField()
    status = serializers.SerializerMethodField()

    renditions = LIST_RENDITIONS

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
            "status",
            "first_published_at",
            "last_published_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, page) -> str | None:
        # Drafts have no public URL yet.
        if not page.live:
            return None
        return page.get_full_url(self.context.get("request"))

    @extend_schema_field(ImageBriefSerializer(allow_null=True))
    def get_cover_image(self, page):
        return image_payload(page.cover_image, self.renditions)

    def get_tags(self, page) -> list[str]:
        return sorted(tag.name for tag in page.tags.all())

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

    renditions = DETAIL_RENDITIONS

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
        return list(page.description.get_prep_value())

    @extend_schema_field(GalleryImageSerializer(many=True))
    def get_gallery(self, page):
        return [
            {"caption": item.caption, "image": image_payload(item.image, self.renditions)}
            for item in page.gallery_images.all()
        ]


class ProjectWriteSerializer(serializers.Serializer):
    """Fields an author sets. `publish` asks to publish the saved revision at once."""

    title = strict.CharField(max_length=255)
    slug = strict.SlugField(max_length=255, required=False, allow_blank=True)
    tagline = strict.CharField(max_length=160)
    description = DescriptionBlockSerializer(many=True, required=False)
    cover_image = strict.PrimaryKeyRelatedField(
        queryset=get_image_model().objects.all(), required=False, allow_null=True
    )
    repository_url = strict.URLField(required=False, allow_blank=True)
    demo_url = strict.URLField(required=False, allow_blank=True)
    website_url = strict.URLField(required=False, allow_blank=True)
    category = strict.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=strict.CharField(max_length=100), required=False, max_length=20
    )
    publish = strict.BooleanField(required=False, default=False)

    def validate_cover_image(self, image):
        user = self.context["request"].user
        current = getattr(self.instance, "cover_image_id", None)
        foreign = image is not None and image.uploaded_by_user_id != user.pk
        if foreign and image.pk != current and not user.is_moderator:
            raise serializers.ValidationError("Use one of your own images.")
        return image

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
        return raw


class PublishStateSerializer(serializers.Serializer):
    """The answer to a publish that went to moderation instead (HTTP 202)."""

    status = serializers.ChoiceField(choices=["in_moderation"])
    workflow = serializers.CharField()
    task = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    message = serializers.CharField()
