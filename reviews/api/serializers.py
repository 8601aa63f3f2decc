"""Review, reply, helpful and report serializers: one per action."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proctique.api import fields as strict
from reviews.models import Report, Review, ReviewReply
from showcase.api.serializers import PersonSerializer, moment

_PERSON = PersonSerializer()


class ReplySerializer(serializers.ModelSerializer):
    author = PersonSerializer()

    class Meta:
        model = ReviewReply
        fields = ["body", "author", "created_at", "updated_at"]

    def to_representation(self, reply) -> dict:
        # Written out, as ProjectListSerializer's (tests/api/test_representations.py).
        return {
            "body": reply.body,
            "author": _PERSON.to_representation(reply.author),
            "created_at": moment(reply.created_at),
            "updated_at": moment(reply.updated_at),
        }


class ReviewSerializer(serializers.ModelSerializer):
    author = PersonSerializer()
    helpful_count = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "project",
            "author",
            "rating",
            "title",
            "body",
            "status",
            "edited",
            "helpful_count",
            "reply",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, review) -> dict:
        # Written out, as ProjectListSerializer's (tests/api/test_representations.py).
        return {
            "id": review.pk,
            "project": review.project_id,
            "author": _PERSON.to_representation(review.author),
            "rating": review.rating,
            "title": review.title,
            "body": review.body,
            "status": review.status,
            "edited": review.edited,
            "helpful_count": self.get_helpful_count(review),
            "reply": self.get_reply(review),
            "created_at": moment(review.created_at),
            "updated_at": moment(review.updated_at),
        }

    def get_helpful_count(self, review) -> int:
        total = getattr(review, "helpful_total", None)
        return total if total is not None else review.helpful_votes.count()

    @extend_schema_field(ReplySerializer(allow_null=True))
    def get_reply(self, review):
        try:
            reply = review.reply
        except ReviewReply.DoesNotExist:
            return None
        return _REPLY.to_representation(reply)


_REPLY = ReplySerializer()


class ReviewWriteSerializer(strict.StrictModelSerializer):
    """The model's fields, rules and messages (the service validates the model again)."""

    class Meta:
        model = Review
        fields = ["rating", "title", "body"]


class ReplyWriteSerializer(strict.StrictModelSerializer):
    class Meta:
        model = ReviewReply
        fields = ["body"]


class HelpfulSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(help_text="Whether the caller marks the review helpful.")
    created = serializers.BooleanField(help_text="True when this call added the mark.")
    helpful_count = serializers.IntegerField()


class ReportCreateSerializer(strict.StrictModelSerializer):
    target_type = serializers.ChoiceField(choices=["review", "project"])
    target_id = strict.IntegerField(min_value=1, max_value=2**62)

    class Meta:
        model = Report
        fields = ["target_type", "target_id", "reason", "note"]


class ReportSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target_id = serializers.SerializerMethodField()
    reporter = PersonSerializer()
    resolved_by = PersonSerializer(allow_null=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "target_type",
            "target_id",
            "reason",
            "note",
            "status",
            "reporter",
            "resolved_by",
            "resolved_at",
            "created_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["review", "project"]))
    def get_target_type(self, report) -> str:
        return "review" if report.review_id else "project"

    def get_target_id(self, report) -> int:
        return report.review_id or report.project_id
