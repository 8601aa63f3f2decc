from django.urls import path

from insights import views

urlpatterns = [
    path("insights/view/", views.view_beacon, name="insights_beacon"),
    path("go/<int:project_id>/<str:kind>/", views.outbound, name="outbound"),
]
