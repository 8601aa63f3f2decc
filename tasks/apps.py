from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks and email"

    def ready(self):
        from tasks import signals

        signals.connect()
