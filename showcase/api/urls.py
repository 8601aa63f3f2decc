from rest_framework.routers import SimpleRouter

from showcase.api.images import ImageViewSet
from showcase.api.members import MyInvitationViewSet
from showcase.api.views import CategoryViewSet, MyProjectViewSet, ProjectViewSet

router = SimpleRouter(trailing_slash=True)
router.register("projects", ProjectViewSet, basename="api-project")
router.register("me/projects", MyProjectViewSet, basename="api-my-project")
router.register("me/invitations", MyInvitationViewSet, basename="api-my-invitation")
router.register("categories", CategoryViewSet, basename="api-category")
router.register("images", ImageViewSet, basename="api-image")

urlpatterns = router.urls
