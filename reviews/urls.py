from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("projects/<int:project_id>/review/", views.submit, name="submit"),
    path("projects/<int:project_id>/report/", views.report_project, name="report_project"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report_review, name="report"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/reply/delete/", views.reply_delete, name="reply_delete"),
]
