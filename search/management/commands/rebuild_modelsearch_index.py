"""``manage.py rebuild_modelsearch_index``: modelsearch's rebuild command under its own name.

Wagtail installs modelsearch as its ``wagtailsearch`` app and offers the command only as
``update_index``/``wagtail_update_index``; modelsearch's documentation, its shared backend
tests and our runbook use this name. Both rebuild every configured backend; with Whoosh they
build a new index beside the live one and swap it in, which also repairs a damaged index.
"""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as ModelsearchCommand


class Command(ModelsearchCommand):
    help = "Rebuild the search index of every configured search backend (or --backend NAME)."

    def handle(self, **options):
        from serving.version import bump_version

        super().handle(**options)
        # A rebuilt index may answer differently (a repaired or swapped index): results kept
        # under the old content version are retired.
        bump_version()
