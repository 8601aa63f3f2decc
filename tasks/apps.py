from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks and email"

    def ready(self):
        # Receivers need every domain's models loaded (Wagtail core's pattern).
        from tasks import signals

        signals.connect()
