"""Project, category and image endpoints under /api/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404

from wagtail.actions.delete_page import DeletePageAction

from proctique.api.base import ProctiqueViewSet
from proctique.api.permissions import IsAdmin, IsAuthor, IsOwningAuthorOrAdmin, IsSignedIn
from showcase.api import queries
from showcase.api.serializers import (
    CategorySerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
    ProjectWriteSerializer,
    PublishStateSerializer,
)
from showcase.models import Category, ProjectPage

PAGE_FIELDS = ["title", "slug", "tagline", "repository_url", "demo_url", "website_url"]


def _apply(page: ProjectPage, data: dict) -> None:
    for field in PAGE_FIELDS:
        if field in data and (field != "slug" or data[field]):
            setattr(page, field, data[field])
    if "description" in data:
        page.description = data["description"]
    if "cover_image" in data:
        page.cover_image = data["cover_image"]
    if "category" in data:
        page.category = data["category"]
    if "tags" in data:
        page.tags.set(list(dict.fromkeys(t.strip() for t in data["tags"] if t.strip())))


def publish_or_submit(page: ProjectPage, revision, user):
    """Publish `revision` as `user`, or start moderation when the index has a workflow.

    Returns None when published, or the WorkflowState when the project awaits moderation.
    Wagtail's own actions check the page permission tester for `user`.
    """
    workflow = None if user.is_moderator else queries.moderation_workflow(page)
    if workflow is None:
        revision.publish(user=user)
        return None
    if not page.permissions_for_user(user).can_submit_for_moderation():
        raise PermissionDenied
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_IN_PROGRESS:
        state = workflow.start(page, user)
    return state


def _moderation_payload(state) -> dict:
    task_state = state.current_task_state
    return {
        "status": "in_moderation",
        "workflow": state.workflow.name,
        "task": task_state.task.name if task_state else None,
        "state": state.status,
        "message": "Submitted for moderation; an admin will publish it.",
    }


PROJECT_LOOKUP = OpenApiParameter(
    "id_or_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Project id or slug."
)
LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Full-text search (Wagtail search)."),
    OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
    OpenApiParameter("tag", OpenApiTypes.STR, description="Tag slug."),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(queries.ORDERINGS),
        description="newest (default without q), rating or reviews; relevance when q is set.",
    ),
]


class ProjectListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    category = serializers.CharField(required=False, allow_blank=True, max_length=100)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=100)
    ordering = serializers.ChoiceField(
        choices=list(queries.ORDERINGS), required=False, allow_blank=True
    )


@extend_schema_view(
    list=extend_schema(
        summary="List published projects", parameters=LIST_PARAMETERS, tags=["projects"]
    ),
    retrieve=extend_schema(
        summary="Get a project by id or slug",
        description="Drafts are visible to their author and to admins only.",
        parameters=[PROJECT_LOOKUP],
        tags=["projects"],
    ),
    create=extend_schema(
        summary="Create a draft project (authors)",
        description="Creates a draft under the projects index, owned by the caller. "
        "`publish: true` publishes it at once (or submits it for moderation).",
        responses={201: ProjectDetailSerializer, 202: PublishStateSerializer},
        tags=["projects"],
    ),
    partial_update=extend_schema(
        summary="Edit a project (owner or admin)",
        description="Saves a new revision; the live version changes only with `publish: true`.",
        parameters=[PROJECT_LOOKUP],
        request=ProjectWriteSerializer(partial=True),
        responses={200: ProjectDetailSerializer, 202: PublishStateSerializer},
        tags=["projects"],
    ),
    update=extend_schema(
        summary="Replace a project's fields (owner or admin)",
        parameters=[PROJECT_LOOKUP],
        responses={200: ProjectDetailSerializer, 202: PublishStateSerializer},
        tags=["projects"],
    ),
    destroy=extend_schema(
        summary="Delete a project (owner or admin)", parameters=[PROJECT_LOOKUP], tags=["projects"]
    ),
)
class ProjectViewSet(ProctiqueViewSet):
    """Published projects for everyone; authors manage their own, admins all."""

    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[^/]+"
    serializer_classes = {
        "list": ProjectListSerializer,
        "retrieve": ProjectDetailSerializer,
        "create": ProjectWriteSerializer,
        "update": ProjectWriteSerializer,
        "partial_update": ProjectWriteSerializer,
        "default": ProjectDetailSerializer,
    }
    owner_actions = [IsOwningAuthorOrAdmin]
    permission_classes_by_action = {
        "list": [],
        "retrieve": [],
        "create": [IsAuthor],
        "update": owner_actions,
        "partial_update": owner_actions,
        "destroy": owner_actions,
        "publish": owner_actions,
        "unpublish": owner_actions,
    }

    def get_queryset(self):
        if self.action == "list":
            query = ProjectListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            return queries.project_list(**query.validated_data)
        return queries.visible_projects(self.request.user)

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        lookup = {"pk": int(key)} if key.isdigit() else {"slug": key}
        if key.isdigit() and int(key) >= 2**63:
            raise NotFound
        page = get_object_or_404(self.get_queryset(), **lookup)
        self.check_object_permissions(self.request, page)
        return page

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            ProjectListSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _detail(self, page) -> dict:
        return ProjectDetailSerializer(page, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            index = queries.projects_index()
            if not index.permissions_for_user(request.user).can_add_subpage():
                raise PermissionDenied
            page = ProjectPage(owner=request.user, live=False)
            _apply(page, data)
            index.add_child(instance=page)
            revision = page.save_revision(user=request.user, log_action=True)
            state = publish_or_submit(page, revision, request.user) if data["publish"] else None
        if state is not None:
            return Response(_moderation_payload(state), status=status.HTTP_202_ACCEPTED)
        page = queries.visible_projects(request.user).get(pk=page.pk)
        return Response(self._detail(page), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        page = self.get_object()
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        draft = page.get_latest_revision_as_object()
        serializer = self.get_serializer(draft, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            _apply(draft, data)
            revision = draft.save_revision(user=request.user, log_action=True)
            state = publish_or_submit(page, revision, request.user) if data.get("publish") else None
        if state is not None:
            return Response(_moderation_payload(state), status=status.HTTP_202_ACCEPTED)
        if data.get("publish"):
            draft = queries.visible_projects(request.user).get(pk=page.pk)
        return Response(self._detail(draft))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        page = self.get_object()
        DeletePageAction(page, user=request.user).execute()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish a project's latest revision (owner or admin)",
        description="Authors' publishes go to moderation when a workflow is assigned to the "
        "projects index: the answer is then 202 with the workflow state.",
        request=None,
        parameters=[PROJECT_LOOKUP],
        responses={200: ProjectDetailSerializer, 202: PublishStateSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        page = self.get_object()
        revision = page.latest_revision or page.save_revision(user=request.user)
        with transaction.atomic():
            state = publish_or_submit(page, revision, request.user)
        if state is not None:
            return Response(_moderation_payload(state), status=status.HTTP_202_ACCEPTED)
        return Response(self._detail(queries.visible_projects(request.user).get(pk=page.pk)))

    @extend_schema(
        summary="Unpublish a project (owner or admin)",
        request=None,
        parameters=[PROJECT_LOOKUP],
        responses={200: ProjectDetailSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        page = self.get_object()
        if not page.live:
            raise serializers.ValidationError(
                {"non_field_errors": ["The project is not published."]}
            )
        page.unpublish(user=request.user)
        return Response(self._detail(queries.visible_projects(request.user).get(pk=page.pk)))


@extend_schema_view(
    list=extend_schema(
        summary="List my projects, drafts included",
        responses=ProjectListSerializer(many=True),
        tags=["projects"],
    )
)
class MyProjectViewSet(mixins.ListModelMixin, ProctiqueViewSet):
    """The caller's own projects in every state."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": ProjectListSerializer}

    def get_queryset(self):
        return queries.own_projects(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List categories", tags=["categories"]),
    retrieve=extend_schema(summary="Get a category", tags=["categories"]),
    create=extend_schema(summary="Create a category (admins)", tags=["categories"]),
    update=extend_schema(summary="Replace a category (admins)", tags=["categories"]),
    partial_update=extend_schema(summary="Edit a category (admins)", tags=["categories"]),
    destroy=extend_schema(summary="Delete a category (admins)", tags=["categories"]),
)
class CategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProctiqueViewSet,
):
    """Categories: public reads; admins manage them."""

    queryset = Category.objects.order_by("name")
    serializer_classes = {"default": CategorySerializer}
    permission_classes_by_action = {"list": [], "retrieve": []}
    permission_classes = [IsAdmin]

    def get_permissions(self):
        classes = self.permission_classes_by_action.get(self.action, self.permission_classes)
        return [cls() for cls in classes]
