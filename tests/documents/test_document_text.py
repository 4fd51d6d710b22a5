"""Extracted text lives in its own one-to-one ``DocumentText``: listings never load it, an
editor's save never writes over it, and search still finds documents by it (migration 0003,
which moves existing rows there and back, is tested in tests/migrations/)."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
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
def test_search_follows_a_new_reading_of_the_file(
    search_index, make_document, django_capture_on_commit_callbacks
):
    document = make_document(title="Pan-Sussex MoU")
    assert [d.pk for d in GovernanceDocument.objects.search("fax")] == [document.pk]
    document.file.save("new.docx", ContentFile(make_docx(["1.1 Records go by carrier pigeon."])), save=False)
    document._set_document_file_metadata()
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert [d.pk for d in GovernanceDocument.objects.search("pigeon")] == [document.pk]
    assert list(GovernanceDocument.objects.search("fax")) == []


@pytest.mark.django_db
def test_reading_again_retires_kept_pages(make_document, django_capture_on_commit_callbacks):
    """The library's listing and the document's page are kept per content version."""
    from serving.version import current_version

    document = make_document()
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        document_extract_text(document_id=document.pk, force=True)
    assert current_version() != before


@pytest.mark.django_db
def test_site_and_library_search_find_a_document_by_its_text(search_index, client, library, make_document):
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
