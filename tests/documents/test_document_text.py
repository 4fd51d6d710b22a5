"""Extracted text lives in its own one-to-one ``DocumentText``: listings never load it, an
editor's save never writes over it, search still finds documents by it, and migration 0003
moves existing rows there (and back)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from documents.models import DocumentText, GovernanceDocument
from documents.permissions import Visibility
from documents.samples import make_docx
from documents.selectors import LibraryFilters, library_listing
from documents.services import document_extract_text

TEXT_FIELDS = {
    "extracted_text",
    "extraction_status",
    "extraction_message",
    "extracted_file_hash",
    "extracted_at",
    "page_count",
    "personal_data_findings",
    "personal_data_checked_at",
    "personal_data_checked_by",
}


def test_the_document_row_holds_no_extracted_text():
    names = {field.name for field in GovernanceDocument._meta.concrete_fields}
    assert not names & TEXT_FIELDS
    assert {field.name for field in DocumentText._meta.concrete_fields} >= {
        "text",
        "status",
        "message",
        "file_hash",
        "started_at",
        "extracted_at",
        "duration",
        "page_count",
        "personal_data_findings",
    }


@pytest.mark.django_db
def test_an_editors_stale_copy_does_not_write_over_the_text(
    make_document, django_capture_on_commit_callbacks
):
    """The editor's form loaded the document before the file was read again: saving it keeps
    what extraction found (no update_fields trickery in save())."""
    document = make_document()
    stale = GovernanceDocument.objects.get(pk=document.pk)
    document.file.save("new.docx", ContentFile(make_docx(["1.1 Entirely new wording."])), save=False)
    document._set_document_file_metadata()
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert DocumentText.objects.get(pk=document.pk).text == "1.1 Entirely new wording."
    stale.summary = "Edited summary"
    stale.file = document.file
    stale.file_hash = document.file_hash
    stale.save()
    assert DocumentText.objects.get(pk=document.pk).text == "1.1 Entirely new wording."
    assert GovernanceDocument.objects.get(pk=document.pk).summary == "Edited summary"


@pytest.mark.django_db
def test_the_listing_never_reads_the_text(make_document):
    make_document(title="First")
    make_document(title="Second")
    with CaptureQueriesContext(connection) as queries:
        listing = library_listing(
            filters=LibraryFilters(), visibility=Visibility(hidden_paths=(), restricted_paths=())
        )
        assert len(listing.page.object_list) == 2
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "documenttext" not in sql.lower()


@pytest.mark.django_db
def test_search_follows_a_new_reading_of_the_file(make_document, django_capture_on_commit_callbacks):
    document = make_document(title="Pan-Sussex MoU")
    assert [d.pk for d in GovernanceDocument.objects.search("fax")] == [document.pk]
    document.file.save("new.docx", ContentFile(make_docx(["1.1 Records go by carrier pigeon."])), save=False)
    document._set_document_file_metadata()
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert [d.pk for d in GovernanceDocument.objects.search("pigeon")] == [document.pk]
    assert list(GovernanceDocument.objects.search("fax")) == []


@pytest.mark.django_db
def test_reading_again_bumps_the_library_version(make_document):
    from documents.selectors import library_version

    document = make_document()
    before = library_version()
    document_extract_text(document_id=document.pk, force=True)
    assert library_version() != before


# serialized_rollback: the database is emptied after a transactional test; this puts the
# migrated data (groups, the site, workstreams) back for the tests that follow in this worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_moves_the_text_and_back():
    """0003 copies every document's text into DocumentText; going back copies it home."""
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


@pytest.mark.django_db
def test_site_and_library_search_find_a_document_by_its_text(client, library, make_document):
    from django.urls import reverse

    make_document(title="Pan-Sussex MoU")
    site = client.get(reverse("search"), {"q": "fax"}).content.decode()
    assert "Pan-Sussex MoU" in site
    listing = client.get(library.url, {"q": "fax"}).content.decode()
    assert "Pan-Sussex MoU" in listing
    assert "Pan-Sussex MoU" not in client.get(library.url, {"q": "pigeon"}).content.decode()


@pytest.mark.django_db
def test_bench_documents_come_with_their_text_rows(organisation, workstream):
    from documents.bench import seed_documents

    added = seed_documents(count=GovernanceDocument.objects.count() + 3)
    assert added == 3
    assert DocumentText.objects.filter(status="done").count() == 3
