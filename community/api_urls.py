from rest_framework.routers import SimpleRouter

from django.urls import path

from community.api import CollectionViewSet, ProjectUpvoteViewSet

router = SimpleRouter(trailing_slash=True)
router.register("collections", CollectionViewSet, basename="api-collection")

upvote = ProjectUpvoteViewSet.as_view({"post": "create", "delete": "destroy"})

urlpatterns = [
    path("projects/<str:project_id>/upvote/", upvote, name="api-project-upvote"),
    *router.urls,
]
