from pathlib import Path

from django.core.management.base import BaseCommand

from operations.backups import restore


class Command(BaseCommand):
    help = "Restore a backup into this site's new, empty database and empty upload folders."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A backup-... folder written by manage.py backup.")

    def handle(self, *args, folder, **options):
        restore(Path(folder), stdout=self.stdout)
