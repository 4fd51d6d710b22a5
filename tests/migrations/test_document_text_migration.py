"""Migration 0003 of documents moves every document's extracted text into ``DocumentText``,
and back when reversed.

Migration tests change the schema, so they run outside a transaction and the database is
emptied afterwards: scripts/test.sh runs this folder in its second pass, with the browser
tests, never beside tests that expect the migrated data.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_migration_moves_the_text_and_back(_snapshot_on_connection, django_db_serialized_rollback, transactional_db):
    """0003 copies every document's text into DocumentText; going back copies it home."""
    # (Fixtures, not the django_db mark: the migrated data's snapshot must be on the connection
    # before the database is set up, so that it is put back first and the flush afterwards does
    # not recreate content types with new ids under the next test: tests/conftest.py.)
    executor = MigrationExecutor(connection)
    before, after = (
        [("documents", "0002_library")],
        [("documents", "0004_remove_governancedocument_extraction_fields")],
    )
    try:
        executor.migrate(before)
        old_apps = MigrationExecutor(connection).loader.project_state(before).apps
        Old = old_apps.get_model("documents", "GovernanceDocument")
        Collection = old_apps.get_model("wagtailcore", "Collection")
        collection = Collection.objects.order_by("path").first()
        read = Old.objects.create(
            title="Read",
            file="documents/read.pdf",
            collection_id=collection.pk,
            extracted_text="1.1 Records are kept for six years.",
            extraction_status="done",
            extracted_file_hash="abc",
            page_count=3,
            personal_data_findings=[
                {"kind": "phone", "match": "07700 900123", "context": "", "paragraph": 1}
            ],
        )
        waiting = Old.objects.create(
            title="Waiting", file="documents/waiting.pdf", collection_id=collection.pk
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        Text = new_apps.get_model("documents", "DocumentText")
        moved = Text.objects.get(pk=read.pk)
        assert moved.text == "1.1 Records are kept for six years."
        assert (moved.status, moved.file_hash, moved.page_count) == ("done", "abc", 3)
        assert moved.personal_data_findings[0]["match"] == "07700 900123"
        assert Text.objects.get(pk=waiting.pk).status == "pending"

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = MigrationExecutor(connection).loader.project_state(before).apps
        restored = back.get_model("documents", "GovernanceDocument").objects.get(pk=read.pk)
        assert restored.extracted_text == "1.1 Records are kept for six years."
        assert (restored.extraction_status, restored.extracted_file_hash, restored.page_count) == (
            "done",
            "abc",
            3,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


