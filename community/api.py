"""Upvotes and collections under /api/; every write calls community.services.

- `POST /api/projects/{id}/upvote/` upvotes, `DELETE` takes it back; both answer the state and
  the new count (throttle scope "upvotes", shared with the web button).
- `/api/collections/`: public collections and the caller's own; writes are the owner's, and a
  private collection is a 404 to everyone else. `POST /api/collections/{id}/items/` adds a
  project, `DELETE /api/collections/{id}/items/{project_id}/` removes it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from community import services
from community.models import Collection, CollectionItem
from community.throttling import UpvoteThrottle
from proctique.api import fields as strict
from proctique.api.base import ProctiqueViewSet, parse_id
from proctique.api.permissions import IsSignedIn
from proctique.api.throttling import AnonThrottle, UserThrottle
from proctique.text import reject_control_characters
from showcase.api.serializers import PersonSerializer, ProjectListSerializer, absolute
from showcase.models import ProjectPage


class UpvoteStateSerializer(serializers.Serializer):
    upvoted = serializers.BooleanField()
    upvote_count = serializers.IntegerField()


PROJECT_ID = OpenApiParameter("project_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    create=extend_schema(
        summary="Upvote a published project (“I use this”; not one's own)",
        parameters=[PROJECT_ID],
        request=None,
        responses={200: UpvoteStateSerializer},
        tags=["community"],
    ),
    destroy=extend_schema(
        summary="Take back one's upvote of a project",
        parameters=[PROJECT_ID],
        request=None,
        responses={200: UpvoteStateSerializer},
        tags=["community"],
    ),
)
class ProjectUpvoteViewSet(ProctiqueViewSet):
    """/api/projects/{project_id}/upvote/: the caller's upvote (signed in)."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": UpvoteStateSerializer}
    # The same counter as the web button's (community.throttling), besides the general rates.
    throttle_classes = [UpvoteThrottle, AnonThrottle, UserThrottle]

    def _set(self, request, project_id, on: bool) -> Response:
        project = get_object_or_404(ProjectPage.objects.discoverable(), pk=parse_id(project_id))
        services.check_may_upvote(request.user, project)
        state, count = services.upvote_set(user=request.user, project=project, on=on)
        return Response(UpvoteStateSerializer({"upvoted": state, "upvote_count": count}).data)

    def create(self, request, project_id=None):
        return self._set(request, project_id, True)

    def destroy(self, request, project_id=None):
        return self._set(request, project_id, False)


class CollectionItemSerializer(serializers.ModelSerializer):
    project = ProjectListSerializer()

    class Meta:
        model = CollectionItem
        fields = ["project", "note", "added_at"]


class CollectionSerializer(strict.StrictModelSerializer):
    owner = PersonSerializer(read_only=True)
    url = serializers.SerializerMethodField()
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Collection
        fields = [
            "id",
            "title",
            "description",
            "is_public",
            "owner",
            "url",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_url(self, collection) -> str:
        return absolute(collection.get_absolute_url())


class CollectionDetailSerializer(CollectionSerializer):
    items = serializers.SerializerMethodField()

    class Meta(CollectionSerializer.Meta):
        fields = [*CollectionSerializer.Meta.fields, "items"]

    @extend_schema_field(CollectionItemSerializer(many=True))
    def get_items(self, collection) -> list[dict]:
        return CollectionItemSerializer(
            collection.shown_items, many=True, context=self.context
        ).data


class ItemWriteSerializer(serializers.Serializer):
    project = strict.IntegerField(min_value=1, max_value=2**62)
    note = strict.CharField(
        required=False,
        allow_blank=True,
        max_length=CollectionItem._meta.get_field("note").max_length,
        validators=CollectionItem._meta.get_field("note").validators,
    )


class CollectionListQuery(serializers.Serializer):
    owner = serializers.CharField(
        required=False, max_length=150, validators=[reject_control_characters]
    )


OWNER = OpenApiParameter("owner", OpenApiTypes.STR, description="Only this user's collections.")


@extend_schema_view(
    list=extend_schema(
        summary="List public collections and the caller's own",
        parameters=[OWNER],
        tags=["community"],
    ),
    retrieve=extend_schema(
        summary="Get a collection with its projects",
        description="A private collection is visible to its owner only (404 to others).",
        tags=["community"],
    ),
    create=extend_schema(summary="Create a collection (signed in)", tags=["community"]),
    partial_update=extend_schema(summary="Edit a collection (its owner)", tags=["community"]),
    update=extend_schema(summary="Replace a collection's fields (its owner)", tags=["community"]),
    destroy=extend_schema(summary="Delete a collection (its owner)", tags=["community"]),
)
class CollectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProctiqueViewSet):
    """/api/collections/: readable when public or one's own; changed by the owner only."""

    serializer_classes = {
        "list": CollectionSerializer,
        "retrieve": CollectionDetailSerializer,
        "default": CollectionSerializer,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return Collection.objects.none()
        shown = ProjectPage.objects.discoverable().values("pk")
        queryset = (
            Collection.objects.visible_to(self.request.user)
            .select_related("owner")
            .annotate(item_count=Count("items", filter=Q(items__project__in=shown)))
            .order_by("-updated_at", "-pk")
        )
        if self.action == "list":
            query = CollectionListQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)  # a NUL byte would be a database error
            if query.validated_data.get("owner"):
                queryset = queryset.filter(owner__username=query.validated_data["owner"])
        if self.action != "list":  # a detail, or the answer to a write
            items = (
                CollectionItem.objects.filter(project__in=shown)
                .prefetch_related(
                    Prefetch(
                        "project",
                        queryset=ProjectPage.objects.for_listing("api_list", cover_rows=True),
                    )
                )
                .order_by("position", "pk")
            )
            queryset = queryset.prefetch_related(
                Prefetch("items", queryset=items, to_attr="shown_items")
            )
        return queryset

    def _answer(self, collection, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=collection.pk)
        context = self.get_serializer_context()
        return Response(CollectionDetailSerializer(fresh, context=context).data, status=code)

    def create(self, request):
        serializer = CollectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collection = services.collection_create(owner=request.user, **serializer.validated_data)
        return self._answer(collection, status.HTTP_201_CREATED)

    def _update(self, request, partial: bool) -> Response:
        collection = self.get_object()
        serializer = CollectionSerializer(collection, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.collection_update(
            collection=collection, actor=request.user, **serializer.validated_data
        )
        return self._answer(collection)

    def update(self, request, pk=None):
        return self._update(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def destroy(self, request, pk=None):
        services.collection_delete(collection=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Add a published project to a collection (its owner)",
        request=ItemWriteSerializer,
        responses={201: CollectionDetailSerializer},
        tags=["community"],
    )
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None):
        collection = self.get_object()
        serializer = ItemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = (
            ProjectPage.objects.discoverable()
            .filter(pk=serializer.validated_data["project"])
            .first()
        )
        if project is None:
            raise serializers.ValidationError(
                {"project": ["Only published projects can be chosen."]}
            )
        services.collection_add(
            collection=collection,
            actor=request.user,
            project=project,
            note=serializer.validated_data.get("note", ""),
        )
        return self._answer(collection, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a project from a collection (its owner)",
        parameters=[OpenApiParameter("project_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: None},
        tags=["community"],
    )
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<project_id>[^/]+)")
    def remove_item(self, request, pk=None, project_id=None):
        collection = self.get_object()
        project = get_object_or_404(ProjectPage, pk=parse_id(project_id))
        if not services.collection_remove(
            collection=collection, actor=request.user, project=project
        ):
            raise NotFound("This project is not in the collection.")
        return Response(status=status.HTTP_204_NO_CONTENT)
