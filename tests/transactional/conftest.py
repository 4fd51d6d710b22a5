"""Tests that need real commits (several connections at once): they run in the second pass
with the browser and migration tests (scripts/test.sh), as they empty the database afterwards;
Django puts the migrated data back at the start of each one."""

import pytest


@pytest.fixture(autouse=True)
def _restore_migrated_data(_snapshot_on_connection, django_db_serialized_rollback):
    pass
