from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "follows"
    verbose_name = "Follows and notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers need every domain's models loaded (Wagtail core's pattern).
        from follows import signals

        signals.connect()
