"""/api/follows/, /api/notifications/ and /api/feed/: the signed-in caller's own; every write
calls follows.services."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from follows import services
from follows.api.serializers import (
    FeedItemSerializer,
    FollowCreateSerializer,
    FollowSerializer,
    MarkedSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    UnreadSerializer,
)
from follows.feed import feed_entries, feed_items
from follows.models import Follow, Notification
from proctique.api.base import ProctiqueViewSet
from proctique.api.permissions import IsSignedIn


@extend_schema_view(
    list=extend_schema(summary="List what you follow", tags=["follows"]),
    create=extend_schema(
        summary="Follow an author, a category or a published project (idempotent)",
        request=FollowCreateSerializer,
        responses={201: FollowSerializer, 200: FollowSerializer},
        tags=["follows"],
    ),
    destroy=extend_schema(summary="Unfollow", tags=["follows"]),
)
class FollowViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, ProctiqueViewSet):
    """/api/follows/: the caller's follows; another user's follow is a 404."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"create": FollowCreateSerializer, "default": FollowSerializer}

    def get_queryset(self):
        return Follow.objects.of(self.request.user).select_related("author", "category", "project")

    def create(self, request, *args, **kwargs):
        services.check_may_follow(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow, created = services.follow_add(
            user=request.user, target=serializer.validated_data["target"]
        )
        return Response(
            FollowSerializer(follow).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_destroy(self, instance):
        services.follow_remove(user=self.request.user, follow=instance)


@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first", tags=["notifications"]),
)
class NotificationViewSet(mixins.ListModelMixin, ProctiqueViewSet):
    """/api/notifications/: the caller's notifications, the unread count, marking read."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": NotificationSerializer, "mark_read": MarkReadSerializer}

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).shown().for_listing()

    @extend_schema(summary="How many notifications are unread", responses=UnreadSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().unread().count()})

    @extend_schema(
        summary="Mark notifications read (the given ids, or all)",
        request=MarkReadSerializer,
        responses=MarkedSerializer,
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids")
        )
        return Response({"marked": marked, "unread": self.get_queryset().unread().count()})


@extend_schema_view(
    list=extend_schema(
        summary="Your feed: new projects and reviews from what you follow", tags=["follows"]
    ),
)
class FeedViewSet(mixins.ListModelMixin, ProctiqueViewSet):
    """/api/feed/: the personal feed, paginated like every list."""

    permission_classes = [IsSignedIn]
    serializer_classes = {"default": FeedItemSerializer}

    def get_queryset(self):
        return feed_entries(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FeedItemSerializer(feed_items(page), many=True).data)
