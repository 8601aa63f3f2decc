from rest_framework.routers import SimpleRouter

from follows.api.views import FeedViewSet, FollowViewSet, NotificationViewSet

router = SimpleRouter(trailing_slash=True)
router.register("follows", FollowViewSet, basename="api-follow")
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("feed", FeedViewSet, basename="api-feed")

urlpatterns = router.urls
