from rest_framework.routers import SimpleRouter

from django.urls import path

from reviews.api.views import ProjectReviewViewSet, ReportViewSet, ReviewViewSet

router = SimpleRouter(trailing_slash=True)
router.register("reviews", ReviewViewSet, basename="api-review")
router.register("reports", ReportViewSet, basename="api-report")

project_reviews = ProjectReviewViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("projects/<str:project_id>/reviews/", project_reviews, name="api-project-reviews"),
    *router.urls,
]
