"""SQLite for the test run, its in-memory test database started as a copy of a migrated one.

Migrating from nothing costs about 30 seconds of CPU, and the suite used to pay it in each
test process of each pass (five times a run, then five more on PostgreSQL). ``scripts/test.sh``
migrates one template file first (``TEST_DATABASE_TEMPLATE``); each process's test database
starts as a copy of it (SQLite's backup API), and pytest-django's ``migrate`` then finds nothing
to apply. (PostgreSQL does the same with ``CREATE DATABASE ... TEMPLATE``: ``config/settings/test.py``.)
"""

import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        template = self.settings_dict.get("TEST", {}).get("TEMPLATE")
        # Only the in-memory test database, and only while it is still empty.
        if template and self.is_in_memory_db():
            if connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None:
                source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
                try:
                    source.backup(connection)
                finally:
                    source.close()
        return connection
