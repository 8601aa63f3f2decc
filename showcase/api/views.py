"""Project and category endpoints under /api/: thin views over showcase.services."""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from django.db.models import Prefetch

from wagtail.images import get_image_model

from proctique.api.base import ProctiqueViewSet, parse_id_or_slug
from proctique.api.permissions import HasPerm, IsSignedIn
from showcase import members, renditions, services
from showcase.api import listing
from showcase.api.members import PersonChoiceSerializer, ProjectMembersMixin
from showcase.api.serializers import (
    CategorySerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
    ProjectWriteSerializer,
    PublishStateSerializer,
)
from showcase.filters import ProjectFilterSet
from showcase.models import Category, ProjectPage

# What the list's filterset is handed: it validates the parameters, the list reads no queryset.
_NO_PROJECTS = ProjectPage.objects.none()

PROJECT_LOOKUP = OpenApiParameter(
    "id_or_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Project id or slug."
)


def _answer(page, state, request, *, created: bool = False) -> Response:
    if state is not None:
        return Response(PublishStateSerializer.payload(state), status=status.HTTP_202_ACCEPTED)
    fresh = ProjectPage.objects.visible_to(request.user).filter(pk=page.pk).first() or page
    if fresh.has_unpublished_changes and fresh.latest_revision_id:
        fresh = fresh.get_latest_revision_as_object()
    body = ProjectDetailSerializer(fresh, context={"request": request}).data
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _write_kwargs(data: dict) -> dict:
    data = dict(data)
    return {"publish": data.pop("publish", False), "tags": data.pop("tags", None), "fields": data}


@extend_schema_view(
    list=extend_schema(summary="List published projects", tags=["projects"]),
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
        description="Saves a new revision; the live version changes only with `publish: true`. "
        "423 while the project is locked (an admin's lock, or moderation in progress).",
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
class ProjectViewSet(ProjectMembersMixin, ProctiqueViewSet):
    """Published projects for everyone; authors manage their own, admins all."""

    lookup_url_kwarg = "id_or_slug"
    serializer_classes = {
        "list": ProjectListSerializer,
        "retrieve": ProjectDetailSerializer,
        "create": ProjectWriteSerializer,
        "update": ProjectWriteSerializer,
        "partial_update": ProjectWriteSerializer,
        "default": ProjectDetailSerializer,
    }
    permission_classes = [IsSignedIn]
    permission_classes_by_action = {"list": [], "retrieve": []}
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return ProjectPage.objects.none()
        if self.action == "list":
            return listing.list_queryset()
        images = get_image_model().objects.prefetch_renditions(
            *renditions.prefetch_specs("api_detail")
        )
        return (
            ProjectPage.objects.visible_to(self.request.user)
            .for_listing("api_detail", cover_rows=True)
            .defer(None)  # the detail shows the description the listing defers
            .prefetch_related(Prefetch("gallery_images__image", queryset=images))
        )

    def get_object(self):
        lookup = parse_id_or_slug(self.kwargs[self.lookup_url_kwarg])
        page = self.get_queryset().filter(**lookup).first()
        if page is None:
            raise NotFound
        return page

    def list(self, request, *args, **kwargs):
        # The filters are validated as DjangoFilterBackend validates them (400 with field
        # messages); the rows come from the list's compiled statement (showcase.api.listing).
        filterset = DjangoFilterBackend().get_filterset(request, _NO_PROJECTS, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(listing.projects(filterset))
        data = ProjectListSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        page, state = services.project_create(
            user=request.user, **_write_kwargs(serializer.validated_data)
        )
        return _answer(page, state, request, created=True)

    def update(self, request, *args, partial=False, **kwargs):
        page = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        page, state = services.project_update(
            project=page, user=request.user, **_write_kwargs(serializer.validated_data)
        )
        return _answer(page, state, request)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.project_delete(project=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish a project's latest revision (owner or admin)",
        description="Authors' publishes go to moderation when a workflow is assigned to the "
        "projects index: the answer is then 202 with the workflow state (also when the project "
        "is already in moderation). 400 names the fields a project needs before going live.",
        request=None,
        parameters=[PROJECT_LOOKUP],
        responses={200: ProjectDetailSerializer, 202: PublishStateSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        page = self.get_object()
        return _answer(page, services.project_publish(project=page, user=request.user), request)

    @extend_schema(
        summary="Give a project to another author (the owner or an admin)",
        description="The previous owner stays on as a co-maker.",
        request=PersonChoiceSerializer,
        parameters=[PROJECT_LOOKUP],
        responses={200: ProjectDetailSerializer},
        tags=["projects"],
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, *args, **kwargs):
        body = PersonChoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        page = members.project_transfer(
            project=self.get_object(), by=request.user, who=body.validated_data["user"]
        )
        return _answer(page, None, request)

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
        services.project_unpublish(project=page, user=request.user)
        return _answer(page, None, request)


@extend_schema_view(
    list=extend_schema(
        summary="List my projects, drafts included",
        responses=ProjectListSerializer(many=True),
        tags=["projects"],
    )
)
class MyProjectViewSet(mixins.ListModelMixin, ProctiqueViewSet):
    """The caller's own projects in every state, most recently edited first."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": ProjectListSerializer}

    def get_queryset(self):
        return (
            ProjectPage.objects.filter(owner=self.request.user)
            .for_listing("api_list", cover_rows=True)
            .only(*ProjectListSerializer.columns)
            .order_by("-latest_revision_created_at", "-pk")
        )


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
    """Categories: public reads; holders of the category permissions manage them."""

    queryset = Category.objects.order_by("name")
    serializer_classes = {"default": CategorySerializer}
    permission_classes_by_action = {
        "list": [],
        "retrieve": [],
        "create": [HasPerm("showcase.add_category")],
        "update": [HasPerm("showcase.change_category")],
        "partial_update": [HasPerm("showcase.change_category")],
        "destroy": [HasPerm("showcase.delete_category")],
    }

    def perform_destroy(self, instance):
        services.category_delete(category=instance, user=self.request.user)
