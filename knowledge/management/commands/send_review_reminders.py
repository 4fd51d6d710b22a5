from django.core.management.base import BaseCommand

from knowledge.reviews import send_review_reminders


class Command(BaseCommand):
    help = (
        "E-mail the owners of solutions and guides whose review has fallen due (or has no date). "
        "Each item is reminded once per review date: safe to run every day."
    )

    def handle(self, *args, **options):
        run = send_review_reminders()
        self.stdout.write(f"Review reminders: {run.sent} e-mails about {run.items} items.")
        for page in run.without_owner:
            self.stdout.write(self.style.WARNING(f"No owner to remind for “{page.title}” (page {page.pk})."))
