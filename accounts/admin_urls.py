"""Routes that replace Wagtail's own admin login/logout with the site's (rate-limited) ones."""

from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path(
        "login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login",
    ),
]
