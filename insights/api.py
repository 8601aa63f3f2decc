"""`GET /api/projects/{id}/insights/`: per-day figures for a project's makers and admins."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from insights import figures
from proctique.api.base import ProctiqueViewSet, parse_id
from proctique.api.permissions import IsSignedIn
from showcase.models import ProjectPage


class SeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    points = serializers.ListField(child=serializers.IntegerField(), help_text="Oldest first.")


class InsightsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    series = SeriesSerializer(many=True)


class ProjectInsightsViewSet(ProctiqueViewSet):
    """A project's insights: visitors, outbound clicks and reviews per day, 90 days."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": InsightsSerializer}

    @extend_schema(
        summary="A project's insights (its owner, co-makers and admins)",
        responses={200: InsightsSerializer},
        tags=["projects"],
    )
    def retrieve(self, request, project_id=None):
        project = (
            ProjectPage.objects.visible_to(request.user).filter(pk=parse_id(project_id)).first()
        )
        if project is None:
            raise NotFound
        if not figures.may_see(project, request.user):
            raise PermissionDenied("Only the project's makers and admins see its insights.")
        return Response(InsightsSerializer(figures.insights(project)).data)
