from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from operations.backups import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one folder with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(Path(settings.VAR_DIR) / "backups"), help="Where to write it."
        )

    def handle(self, *args, output, **options):
        folder = backup(Path(output))
        self.stdout.write(str(folder))
