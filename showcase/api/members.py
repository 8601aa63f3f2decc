"""Co-makers through the API: the owner invites and removes, invitees accept or decline."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from proctique.api import fields as strict
from proctique.api.base import ProctiqueViewSet
from proctique.api.permissions import IsSignedIn
from showcase import members
from showcase.api.serializers import PersonSerializer
from showcase.models import ProjectMember


class MembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer()
    project = serializers.IntegerField(source="project_id")
    project_title = serializers.CharField(source="project.title")
    invited_by = PersonSerializer(allow_null=True)

    class Meta:
        model = ProjectMember
        fields = ["id", "project", "project_title", "user", "status", "invited_by", "created_at"]


class PersonChoiceSerializer(serializers.Serializer):
    user = strict.CharField(max_length=254, help_text="A username or an email address.")


@extend_schema_view(
    list=extend_schema(summary="My co-maker invitations", tags=["projects"]),
    destroy=extend_schema(summary="Decline a co-maker invitation", tags=["projects"]),
)
class MyInvitationViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, ProctiqueViewSet):
    """The caller's pending co-maker invitations."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": MembershipSerializer}

    def get_queryset(self):
        return ProjectMember.objects.select_related("project", "user", "invited_by").filter(
            user=self.request.user, status=ProjectMember.Status.INVITED
        )

    def perform_destroy(self, membership):
        members.member_remove(membership=membership, by=self.request.user)

    @extend_schema(
        summary="Accept a co-maker invitation",
        request=None,
        responses={200: MembershipSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        membership = members.member_accept(membership=self.get_object(), user=request.user)
        return Response(MembershipSerializer(membership).data)


class ProjectMembersMixin:
    """`/api/projects/{id}/members/` and `/transfer/` on the project viewset."""

    @extend_schema(
        methods=["GET"],
        summary="A project's co-makers (pending invitations too, for its owner and admins)",
        responses={200: MembershipSerializer(many=True)},
        tags=["projects"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Invite a co-maker by username or email (the owner or an admin)",
        request=PersonChoiceSerializer,
        responses={201: MembershipSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["get", "post"], url_path="members")
    def members(self, request, *args, **kwargs):
        project = self.get_object()
        if request.method == "POST":
            body = PersonChoiceSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            membership = members.member_invite(
                project=project, by=request.user, who=body.validated_data["user"]
            )
            return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
        queryset = ProjectMember.objects.filter(project=project).select_related(
            "project", "user", "invited_by"
        )
        if not project.permissions_for_user(request.user).holds:
            queryset = queryset.filter(status=ProjectMember.Status.ACTIVE)
        return Response(MembershipSerializer(queryset, many=True).data)

    @extend_schema(
        summary="Remove a co-maker or an invitation (the owner, an admin, or the member)",
        request=None,
        responses={204: None},
        tags=["projects"],
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<username>[^/]+)")
    def member(self, request, *args, username: str = "", **kwargs):
        project = self.get_object()
        membership = ProjectMember.objects.filter(
            project=project, user__username__iexact=username
        ).first()
        if membership is None:
            return Response(
                {"message": "Not found.", "errors": {}}, status=status.HTTP_404_NOT_FOUND
            )
        members.member_remove(membership=membership, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
