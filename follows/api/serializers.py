"""Follows, notifications and feed items as the API shows them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.contrib.auth import get_user_model

from follows.models import TARGETS, Follow, Notification
from proctique.api import fields as strict
from proctique.emails import page_url
from showcase.api.serializers import CategoryBriefSerializer, PersonSerializer, absolute
from showcase.models import Category, ProjectPage


class ProjectBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, project) -> str:
        return page_url(project)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    url = serializers.URLField()


class FollowSerializer(serializers.ModelSerializer):
    target_type = serializers.ChoiceField(choices=TARGETS, read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = Follow
        fields = ["id", "target_type", "target", "created_at"]

    @extend_schema_field(TargetSerializer)
    def get_target(self, follow) -> dict:
        target = follow.target
        if follow.target_type == "author":
            name, url = target.public_name, absolute(target.get_absolute_url())
        elif follow.target_type == "category":
            name, url = target.name, absolute(f"/projects/category/{target.slug}/")
        else:
            name, url = target.title, page_url(target)
        return {"id": target.pk, "name": name, "url": url}


@extend_schema_field(OpenApiTypes.INT)
class PublicProjectField(strict.PrimaryKeyRelatedField):
    """A discoverable project's id (the set is read per request: restrictions change)."""

    def get_queryset(self):
        return ProjectPage.objects.discoverable()


class FollowCreateSerializer(serializers.Serializer):
    """Exactly one of author, category or project (ids)."""

    author = strict.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    category = strict.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    project = PublicProjectField(required=False)

    def validate(self, attrs):
        given = [name for name in TARGETS if attrs.get(name) is not None]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of author, category or project.")
        return {"target": attrs[given[0]]}


class NotificationSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(allow_null=True)
    project = ProjectBriefSerializer(allow_null=True)
    review_id = serializers.IntegerField(allow_null=True)
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "actor", "project", "review_id", "created_at", "read_at", "is_read"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        max_length=500,
        help_text="Notifications to mark read; all unread ones when left out.",
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class FeedReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    author = PersonSerializer()


class FeedItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["project", "review"])
    at = serializers.DateTimeField()
    project = ProjectBriefSerializer()
    category = CategoryBriefSerializer(source="project.category", allow_null=True)
    review = FeedReviewSerializer(allow_null=True)
