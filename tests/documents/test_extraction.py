"""Text extraction: every supported format, the limits, and the task queued after commit."""

import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from documents.extraction import extract_file
from documents.models import ExtractionStatus, GovernanceDocument
from documents.samples import make_docx, make_odt, make_pdf, make_txt
from documents.services import document_create, document_extract_text

from .conftest import CLAUSES_V1

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BUILDERS = {"pdf": make_pdf, "docx": make_docx, "odt": make_odt, "txt": make_txt}


@pytest.mark.parametrize("extension", ["pdf", "docx", "odt", "txt"])
def test_each_format_is_read_into_clauses(tmp_path, extension):
    path = tmp_path / f"mou.{extension}"
    path.write_bytes(BUILDERS[extension](CLAUSES_V1))
    result = extract_file(path, extension)
    assert result.status == ExtractionStatus.DONE, result.message
    clauses = result.text.split("\n\n")
    assert "2.1 Records are kept for six years after a case is closed." in clauses
    assert "1. Purpose" in clauses


def test_pdf_page_count_is_recorded(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf(CLAUSES_V1, repeat=3, page_breaks=True))
    result = extract_file(path, "pdf")
    assert result.page_count == 3


@override_settings(DOCUMENTS_EXTRACTION_MAX_PAGES=2)
def test_pages_beyond_the_limit_are_not_read(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf(CLAUSES_V1, repeat=5, page_breaks=True))
    result = extract_file(path, "pdf")
    assert result.status == ExtractionStatus.PARTIAL
    assert "first 2 of this document’s 5 pages" in result.message
    assert result.text.count("1. Purpose") == 2


@override_settings(DOCUMENTS_EXTRACTION_MAX_CHARACTERS=200)
def test_text_beyond_the_character_limit_is_cut(tmp_path):
    path = tmp_path / "long.docx"
    path.write_bytes(make_docx(CLAUSES_V1, repeat=10))
    result = extract_file(path, "docx")
    assert result.status == ExtractionStatus.PARTIAL
    assert len(result.text) <= 200
    assert "only its first 200 characters" in result.message


@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=0.05)
def test_a_file_that_takes_too_long_is_stopped(tmp_path):
    """The child process is killed when the wall-clock limit runs out; nothing waits for it."""
    path = tmp_path / "big.pdf"
    path.write_bytes(make_pdf(CLAUSES_V1 * 20, repeat=10))
    started = time.monotonic()
    result = extract_file(path, "pdf")
    assert time.monotonic() - started < 5
    assert result.status == ExtractionStatus.FAILED
    assert "took longer than 0.05 seconds" in result.message


@override_settings(DOCUMENTS_EXTRACTION_MEMORY_LIMIT=160 * 1024 * 1024)
def test_a_file_that_needs_too_much_memory_fails_cleanly(tmp_path):
    """One 150 MB paragraph: the child runs out of its memory allowance, the parent carries on."""
    path = tmp_path / "huge.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            for _ in range(150):
                part.write(b"a" * 1024 * 1024)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    result = extract_file(path, "docx")
    assert result.status == ExtractionStatus.FAILED
    assert "unpacks to more than" in result.message


def test_a_scan_without_text_says_so(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    result = extract_file(path, "pdf")
    assert result.status == ExtractionStatus.FAILED
    assert "No text was found" in result.message


def _extraction_callbacks(callbacks):
    """Leave out the page caches' retirement (serving.version), also queued after commit."""
    from serving.version import _set_new_version

    return [callback for callback in callbacks if callback is not _set_new_version]


@pytest.mark.django_db
def test_extraction_is_queued_after_commit(django_capture_on_commit_callbacks, organisation):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_create(title="MoU", file=ContentFile(make_docx(CLAUSES_V1), name="mou.docx"))
        assert GovernanceDocument.objects.get(pk=document.pk).extraction.status == ExtractionStatus.PENDING
    callbacks = _extraction_callbacks(callbacks)
    assert len(callbacks) == 1
    callbacks[0]()
    document.refresh_from_db()
    assert document.extraction.status == ExtractionStatus.DONE
    assert "six years" in document.extraction.text
    assert document.extraction.file_hash == document.file_hash


@pytest.mark.django_db
def test_saving_without_a_new_file_does_not_read_it_again(make_document, django_capture_on_commit_callbacks):
    document = make_document()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.summary = "Changed"
        document.save()
    assert _extraction_callbacks(callbacks) == []


@pytest.mark.django_db
def test_a_replaced_file_is_read_again(make_document, django_capture_on_commit_callbacks):
    document = make_document()
    document.file.save("new.docx", ContentFile(make_docx(["1.1 Entirely new wording."])), save=False)
    document._set_document_file_metadata()
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    document.refresh_from_db()
    assert document.extraction.text == "1.1 Entirely new wording."


@pytest.mark.django_db
def test_a_missing_file_is_reported_not_raised(make_document):
    document = make_document()
    document.file.storage.delete(document.file.name)
    document = document_extract_text(document_id=document.pk, force=True)
    assert document.extraction.status == ExtractionStatus.FAILED
    assert "could not be found" in document.extraction.message


@pytest.mark.django_db
def test_extracted_text_is_searchable(search_index, make_document):
    make_document(title="Pan-Sussex MoU")
    results = GovernanceDocument.objects.search("fax")
    assert [d.title for d in results] == ["Pan-Sussex MoU"]
