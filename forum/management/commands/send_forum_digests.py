from django.core.management.base import BaseCommand

from accounts.models import DigestFrequency
from forum.digests import send_digests


class Command(BaseCommand):
    help = "Send the forum's summary e-mails (run daily by the scheduler; weekly with --frequency weekly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.DAILY, DigestFrequency.WEEKLY],
            default=DigestFrequency.DAILY,
        )

    def handle(self, *args, frequency, **options):
        sent = send_digests(frequency=frequency)
        self.stdout.write(f"Forum summaries ({frequency}): {sent} sent.")
