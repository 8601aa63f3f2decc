from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("upvotes/<int:project_id>/", views.upvote, name="upvote"),
    path("collections/", views.my_collections, name="mine"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="delete"),
    path(
        "collections/<int:pk>/remove/<int:project_id>/",
        views.collection_remove,
        name="remove",
    ),
    path("collections/save/<int:project_id>/", views.collection_save, name="save"),
]
