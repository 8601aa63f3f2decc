"""Public author profiles at /authors/<username>/ (mounted by the project's urls)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("<str:username>/", views.author_profile, name="author_profile"),
]
