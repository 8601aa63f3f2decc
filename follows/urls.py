from django.urls import path

from follows import views

app_name = "follows"

urlpatterns = [
    path("follows/", views.follow_toggle, name="toggle"),
    path("feed/", views.feed, name="feed"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
