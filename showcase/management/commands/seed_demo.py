from django.core.management.base import BaseCommand

from showcase import demo


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo site, projects and logins. Safe to run twice."

    def handle(self, *args, **options):
        made = demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({made} new projects)."))
        demo.print_logins(self.stdout.write)
