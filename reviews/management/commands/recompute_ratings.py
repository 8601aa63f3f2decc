from django.core.management.base import BaseCommand

from reviews.aggregates import recompute_all


class Command(BaseCommand):
    help = "Recompute every project's rating average, review count and Bayesian score."

    def handle(self, *args, **options):
        count = recompute_all()
        self.stdout.write(f"Recomputed ratings of {count} projects.")
