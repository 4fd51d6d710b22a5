"""Runs a real rebuild of a Whoosh index in its own process, for the kill -9 test.

``python tests/search/rebuild_driver.py INDEX_PATH DB_PATH [--pause]``

It makes a SQLite database of modelsearch's test books, then runs modelsearch's
``rebuild_modelsearch_index`` command code (``update_backend``) for those models with
``WRITER_PROCS=2``. With ``--pause`` it stops after the first chunk has been handed to the
writer processes, prints ``BUILDING <pid> <child pids>`` and sleeps, so that a test can
``kill -9`` it mid-build.
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(index_path: str, db_path: str, pause: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django
    from django.conf import settings

    django.setup()
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.whoosh",
            "PATH": index_path,
            "AUTO_UPDATE": False,
            "UPDATE_ON_COMMIT": False,
            "LOCK_TIMEOUT": 5,
            "WRITER_PROCS": 2,
        }
    }
    from datetime import date

    from django.db import connection
    from modelsearch.management.commands import rebuild_modelsearch_index as command
    from modelsearch.test.testapp.models import Author, Book, Novel, ProgrammingGuide

    from search.backends.whoosh import WhooshIndex

    models = [Author, Book, Novel, ProgrammingGuide]
    needed = [
        *django.apps.apps.get_app_config("contenttypes").get_models(),
        *django.apps.apps.get_app_config("taggit").get_models(),
        *django.apps.apps.get_app_config("searchtests").get_models(),
    ]
    with connection.schema_editor() as editor:
        for model in needed:
            editor.create_model(model)
    Book.objects.bulk_create(
        Book(title=f"Book {n} about whales and sailing", publication_date=date(2000, 1, 1), number_of_pages=n)
        for n in range(1, 1201)
    )

    if pause:
        original = WhooshIndex.add_items

        def add_items_then_stop(self, model, items):
            original(self, model, items)
            if self.generation is not None and self._bulk_writer is not None:
                writer = self._bulk_writer
                writer._enqueue() if writer.docbuffer else None
                time.sleep(0.5)  # let the writer processes start on their first jobs
                children = " ".join(str(p.pid) for p in multiprocessing.active_children())
                print(f"BUILDING {os.getpid()} {children}", flush=True)
                time.sleep(600)

        WhooshIndex.add_items = add_items_then_stop

    command.get_indexed_models = lambda: models
    cmd = command.Command()
    cmd.verbosity = 0
    cmd.update_backend("default", chunk_size=400)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--pause" in sys.argv[3:])
