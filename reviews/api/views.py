"""Reviews, replies, helpful votes and reports under /api/; every write calls reviews.services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from django.db.models import Q
from django.http import Http404

from proctique.api.base import ProctiqueViewSet, parse_id
from proctique.api.permissions import HasPerm, IsSignedIn
from reviews import history, services
from reviews.api.serializers import (
    HelpfulSerializer,
    ReplySerializer,
    ReplyWriteSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReviewSerializer,
    ReviewWriteSerializer,
)
from reviews.models import HelpfulVote, Report, Review
from showcase.models import ProjectPage
from showcase.models.lookups import discoverable_project


def review_queryset():
    """Reviews with their author, the owner's reply and the helpful count: one query a page."""
    return (
        Review.objects.select_related("author", "reply", "reply__author")
        .with_helpful_count()
        .order_by("-created_at", "-id")
    )


PROJECT_ID = OpenApiParameter("project_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List a published project's visible reviews",
        parameters=[PROJECT_ID],
        tags=["reviews"],
    ),
    create=extend_schema(
        summary="Review a published project (signed in; not one's own, once)",
        parameters=[PROJECT_ID],
        request=ReviewWriteSerializer,
        responses={201: ReviewSerializer},
        tags=["reviews"],
    ),
)
class ProjectReviewViewSet(mixins.ListModelMixin, ProctiqueViewSet):
    """/api/projects/{project_id}/reviews/: public list, signed-in create."""

    serializer_classes = {"create": ReviewWriteSerializer, "default": ReviewSerializer}
    permission_classes_by_action = {"list": [], "create": [IsSignedIn]}
    throttle_scope_by_action = {"create": "reviews"}

    def get_project(self) -> ProjectPage:
        # What the routes and the services read of it: who owns it and whether it is live,
        # whether the caller co-makes it, and for a new review the caller's review history.
        load = history.project_for_review if self.action == "create" else discoverable_project
        project = load(parse_id(self.kwargs["project_id"]), self.request.user)
        if project is None:
            raise Http404
        return project

    def get_queryset(self):
        return review_queryset().visible().filter(project=self.get_project())

    def create(self, request, *args, **kwargs):
        project = self.get_project()
        services.check_may_review(request.user, project)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_submit(
            author=request.user, project=project, **serializer.validated_data
        )
        # Just posted, so no helpful votes and no reply yet: answer without reading it back.
        review.helpful_total = 0
        Review.reply.related.set_cached_value(review, None)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


REVIEW_STATUS = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=Review.Status.values, description="visible or hidden"
)
PROJECT_FILTER = OpenApiParameter("project", OpenApiTypes.INT, description="Project id.")


class ReviewListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Review.Status.values, required=False)
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


@extend_schema_view(
    list=extend_schema(
        summary="List all reviews (admins), filtered by status or project",
        parameters=[REVIEW_STATUS, PROJECT_FILTER],
        tags=["reviews"],
    ),
    retrieve=extend_schema(
        summary="Get a review",
        description="Hidden reviews are visible to their author and admins only.",
        tags=["reviews"],
    ),
    update=extend_schema(
        summary="Edit a review (its author or an admin)",
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer},
        tags=["reviews"],
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a review (its author or an admin)",
        request=ReviewWriteSerializer(partial=True),
        responses={200: ReviewSerializer},
        tags=["reviews"],
    ),
    destroy=extend_schema(summary="Delete a review (its author or an admin)", tags=["reviews"]),
)
class ReviewViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ProctiqueViewSet
):
    """/api/reviews/: one review; admins list and moderate them all."""

    serializer_classes = {
        "update": ReviewWriteSerializer,
        "partial_update": ReviewWriteSerializer,
        "reply": ReplyWriteSerializer,
        "default": ReviewSerializer,
    }
    permission_classes_by_action = {
        "list": [HasPerm(services.MODERATE)],
        "retrieve": [],
        "hide": [HasPerm(services.MODERATE)],
        "restore": [HasPerm(services.MODERATE)],
    }

    def get_queryset(self):
        queryset = review_queryset()
        user = self.request.user
        if self.action == "list":
            query = ReviewListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            if "status" in query.validated_data:
                queryset = queryset.filter(status=query.validated_data["status"])
            if "project" in query.validated_data:
                queryset = queryset.filter(project_id=query.validated_data["project"])
            return queryset
        if services.can_moderate(user):
            return queryset
        shown = ProjectPage.objects.discoverable().values("pk")
        visible = Q(status=Review.Status.VISIBLE, project__in=shown)
        if user.is_authenticated:
            return queryset.filter(visible | Q(author=user))
        return queryset.filter(visible)

    def _fresh(self, review) -> dict:
        return ReviewSerializer(review_queryset().get(pk=review.pk)).data

    def update(self, request, *args, partial=False, **kwargs):
        review = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {
            "rating": review.rating,
            "title": review.title,
            "body": review.body,
            **serializer.validated_data,
        }
        review = services.review_update(review=review, actor=request.user, **fields)
        return Response(self._fresh(review))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, review):
        services.review_delete(review=review, actor=self.request.user)

    @extend_schema(
        summary="Hide a review (admins)",
        request=None,
        responses={200: ReviewSerializer},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, *args, **kwargs):
        review = services.review_hide(review=self.get_object(), actor=request.user)
        return Response(self._fresh(review))

    @extend_schema(
        summary="Restore a hidden review (admins)",
        request=None,
        responses={200: ReviewSerializer},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        review = services.review_restore(review=self.get_object(), actor=request.user)
        return Response(self._fresh(review))

    @extend_schema(
        methods=["PUT"],
        summary="Reply under a review (the project's owner); replaces an earlier reply",
        request=ReplyWriteSerializer,
        responses={200: ReplySerializer},
        tags=["reviews"],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove the owner's reply (the project's owner or an admin)",
        request=None,
        responses={204: None},
        tags=["reviews"],
    )
    @action(detail=True, methods=["put", "delete"])
    def reply(self, request, *args, **kwargs):
        review = self.get_object()
        if request.method == "DELETE":
            services.reply_delete(review=review, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = services.reply_set(
            review=review, actor=request.user, body=serializer.validated_data["body"]
        )
        return Response(ReplySerializer(reply).data)

    @extend_schema(
        methods=["POST"],
        summary="Mark a review helpful (signed in; not one's own)",
        request=None,
        responses={200: HelpfulSerializer},
        tags=["reviews"],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Take back a helpful mark",
        request=None,
        responses={200: HelpfulSerializer},
        tags=["reviews"],
    )
    @action(detail=True, methods=["post", "delete"])
    def helpful(self, request, *args, **kwargs):
        review = self.get_object()
        created = False
        if request.method == "DELETE":
            services.helpful_unmark(review=review, user=request.user)
        else:
            created = services.helpful_mark(review=review, user=request.user)
        votes = HelpfulVote.objects.filter(review=review)
        return Response(
            {
                "helpful": votes.filter(user=request.user).exists(),
                "created": created,
                "helpful_count": votes.count(),
            }
        )


REPORT_STATUS = OpenApiParameter("status", OpenApiTypes.STR, enum=Report.Status.values)


class ReportListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Report.Status.values, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="List reports (admins)", parameters=[REPORT_STATUS], tags=["moderation"]
    ),
    retrieve=extend_schema(summary="Get a report (admins)", tags=["moderation"]),
    create=extend_schema(
        summary="Report a review or a project (signed in)",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
        tags=["reviews"],
    ),
)
class ReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProctiqueViewSet
):
    """/api/reports/: anyone signed in reports; admins list and close reports."""

    serializer_classes = {"create": ReportCreateSerializer, "default": ReportSerializer}
    permission_classes = [HasPerm(services.HANDLE_REPORTS)]
    permission_classes_by_action = {"create": [IsSignedIn]}

    def get_queryset(self):
        queryset = Report.objects.select_related("reporter", "resolved_by").order_by(
            "-created_at", "-id"
        )
        if self.action == "list":
            query = ReportListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            if "status" in query.validated_data:
                queryset = queryset.filter(status=query.validated_data["status"])
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["target_type"] == "review":
            target = Review.objects.filter(pk=data["target_id"]).first()
        else:
            target = ProjectPage.objects.discoverable().filter(pk=data["target_id"]).first()
        if target is None:
            raise serializers.ValidationError({"target_id": ["No such review or project."]})
        report = services.report_create(
            reporter=request.user, target=target, reason=data["reason"], note=data.get("note", "")
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Resolve a report: hide the review or unpublish the project (admins)",
        request=None,
        responses={200: ReportSerializer},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        report = services.report_resolve(report=self.get_object(), actor=request.user)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        summary="Dismiss a report without acting on it (admins)",
        request=None,
        responses={200: ReportSerializer},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, *args, **kwargs):
        report = services.report_dismiss(report=self.get_object(), actor=request.user)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)
