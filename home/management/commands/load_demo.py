from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import load_users
from cases.demo import load_demo_cases
from forum.demo import load_demo_forum
from home.demo import load_pages
from onboarding.demo import load_demo_onboarding
from schemes.demo import load_organisations, load_schemes


class Command(BaseCommand):
    help = "Fill an empty database with realistic demo content. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_pages(stdout=self.stdout)
            organisations = load_organisations(stdout=self.stdout)
            load_schemes(stdout=self.stdout, organisations=organisations)
            load_users(stdout=self.stdout)
        try:
            from documents.demo import load_demo_documents
        except ImportError:
            load_demo_documents = None
        if load_demo_documents is not None:
            load_demo_documents(stdout=self.stdout)
        try:
            from knowledge.demo import load_demo_knowledge
        except ImportError:
            load_demo_knowledge = None
        if load_demo_knowledge is not None:
            load_demo_knowledge(stdout=self.stdout)
        load_demo_forum(stdout=self.stdout)
        load_demo_onboarding(stdout=self.stdout)
        load_demo_cases(stdout=self.stdout)
        # Build the search index from what is now in the database (a fresh, complete copy,
        # swapped in atomically), so the demo's search finds everything from the start.
        call_command("rebuild_modelsearch_index", verbosity=0)
        self.stdout.write("Search index rebuilt.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
