from django.core.management.base import BaseCommand
from django.db import transaction

from community import trending
from reviews import demo as review_demo
from showcase import demo
from tasks import outbox


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the demo site, projects, reviews and logins. Safe to run "
        "twice; sends no email."
    )

    def handle(self, *args, **options):
        with outbox.muted(), transaction.atomic():
            made = demo.seed()
            reviews = review_demo.ensure_reviews()
        trending.refresh()  # the hourly task's work, so home shows "Trending" at once
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({made} new projects, {reviews} new reviews).")
        )
        demo.print_logins(self.stdout.write)
