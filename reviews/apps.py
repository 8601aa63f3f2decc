from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        # Receivers need the models loaded (Wagtail core's pattern).
        from reviews import signals

        signals.connect()
