from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "showcase"
    verbose_name = "Showcase"

    def ready(self):
        # Receivers and the page policy need the models loaded (Wagtail core's pattern).
        from showcase import permissions, signals

        permissions.install_page_policy()
        signals.connect()
