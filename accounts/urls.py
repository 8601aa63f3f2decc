from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("authors/<str:username>/", views.author_profile, name="author_profile"),
]
