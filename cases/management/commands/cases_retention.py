"""Delete closed cases past their retention date (rows and attachment files), leaving one
audit record per case that says it was deleted. Run daily (cron or a scheduler)."""

import datetime

from django.core.management.base import BaseCommand

from cases.services import cases_delete_expired


class Command(BaseCommand):
    help = "Delete closed cases whose retention date has passed, leaving a minimal audit record."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for checks.")

    def handle(self, *args, **options):
        today = datetime.date.fromisoformat(options["today"]) if options.get("today") else None
        deleted = cases_delete_expired(today=today)
        self.stdout.write(f"Cases deleted after their retention date: {len(deleted)}.")
