"""Routes that replace Wagtail's own admin login and password reset with the site's ones.

Wagtail's views are neither covered by allauth's rate limits nor by the email outbox (its reset
view sends mail inside the request), so they must not be reachable.
"""

from django.urls import path, re_path
from django.views.generic import RedirectView

from accounts import views

urlpatterns = [
    path("login/", views.admin_login, name="wagtailadmin_login"),
    re_path(
        r"^password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="wagtailadmin_password_reset",
    ),
]
