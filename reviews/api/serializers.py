"""Review, reply, helpful and report serializers: one per action."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proctique.api import fields as strict
from reviews.models import Report, Review, ReviewReply
from showcase.api.serializers import PersonSerializer


class ReplySerializer(serializers.ModelSerializer):
    author = PersonSerializer()

    class Meta:
        model = ReviewReply
        fields = ["body", "author", "created_at", "updated_at"]


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

    def get_helpful_count(self, review) -> int:
        total = getattr(review, "helpful_total", None)
        return total if total is not None else review.helpful_votes.count()

    @extend_schema_field(ReplySerializer(allow_null=True))
    def get_reply(self, review):
        try:
            reply = review.reply
        except ReviewReply.DoesNotExist:
            return None
        return ReplySerializer(reply).data


class ReviewWriteSerializer(serializers.Serializer):
    rating = strict.IntegerField(min_value=1, max_value=5)
    title = strict.CharField(max_length=Review.TITLE_MAX)
    body = strict.CharField(min_length=Review.BODY_MIN, max_length=Review.BODY_MAX)


class ReplyWriteSerializer(serializers.Serializer):
    body = strict.CharField(max_length=ReviewReply.BODY_MAX)


class HelpfulSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(help_text="Whether the caller marks the review helpful.")
    created = serializers.BooleanField(help_text="True when this call added the mark.")
    helpful_count = serializers.IntegerField()


class ReportCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=["review", "project"])
    target_id = strict.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    note = strict.CharField(required=False, allow_blank=True, max_length=Report.NOTE_MAX)


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
