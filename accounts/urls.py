from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("settings/become-author/", views.become_author, name="become_author"),
    path("settings/profile/", views.profile_settings, name="profile"),
]
