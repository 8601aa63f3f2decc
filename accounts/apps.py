from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default = True

    def ready(self):
        # Receivers need the user model loaded (Wagtail core's pattern).
        from accounts import signals

        signals.connect()


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with our user fields; replaces "wagtail.users" in INSTALLED_APPS."""

    user_viewset = "accounts.wagtail_users.UserViewSet"
