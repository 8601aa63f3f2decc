"""Public URLs of the showcase besides Wagtail's page routing (mounted by proctique.urls)."""

from django.urls import path, re_path

from showcase import views
from showcase.feeds import CategoryProjectsFeed, NewProjectsAtomFeed, NewProjectsFeed

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("projects/feed/", NewProjectsFeed(), name="project_feed"),
    path("projects/feed/atom/", NewProjectsAtomFeed(), name="project_feed_atom"),
    path("projects/category/<slug:slug>/feed/", CategoryProjectsFeed(), name="category_feed"),
    path("authors/", views.author_directory, name="author_directory"),
    # The characters a username may hold (Django's username validator): a NUL byte or a line
    # break never reaches the database lookup.
    re_path(
        r"^authors/(?P<username>[\w.@+-]{1,150})/$", views.author_profile, name="author_profile"
    ),
    path("projects/suggest/", views.search_suggestions, name="search_suggestions"),
    path("projects/invitations/", views.project_invitations, name="project_invitations"),
]
