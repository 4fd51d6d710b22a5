import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.bench import seed_users
from schemes.bench import seed_organisations


class Command(BaseCommand):
    help = "Add synthetic volume for benchmarks: scale N adds 100×N organisations and 1,000×N people."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=20261126)

    def handle(self, *args, scale, seed, **options):
        if scale < 1 or scale > 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        rng = random.Random(seed)
        with transaction.atomic():
            organisations = seed_organisations(count=100 * scale, rng=rng)
            people = seed_users(count=1000 * scale, organisations=organisations, rng=rng)
        self.stdout.write(f"Bench volume: {len(organisations)} organisations, {people} new people.")
