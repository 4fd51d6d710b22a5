"""Recover text extractions a dead task worker left behind.

Run it before starting ``manage.py db_worker`` and from cron (docs/operations.md). Each
extraction task makes the same check for stale "being read" documents when it starts.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from documents.services import document_recover_stale_extractions, document_requeue_waiting_extractions


class Command(BaseCommand):
    help = (
        'Mark documents "being read" for longer than the extraction timeout (plus a minute) as failed, '
        'and queue again those "waiting to be read" for longer than --waiting-hours.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--waiting-hours",
            type=float,
            default=24,
            help="Queue again documents waiting to be read for longer than this (default: 24).",
        )

    def handle(self, *, waiting_hours, verbosity, **options):
        failed = document_recover_stale_extractions()
        queued = document_requeue_waiting_extractions(older_than=timedelta(hours=waiting_hours))
        if verbosity:
            self.stdout.write(
                f"{len(failed)} interrupted reading(s) marked as failed, {len(queued)} waiting document(s) queued again."
            )
