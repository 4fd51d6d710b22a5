"""Bad files: each is refused with a clear message or saved with a failed-extraction status.
No crash, no orphan file, no worker left waiting."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from documents.models import ExtractionStatus, GovernanceDocument
from documents.samples import make_docx, make_encrypted_pdf, make_pdf, make_zip_bomb_docx
from documents.services import document_create

from .conftest import CLAUSES_V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    return client


def upload(client, name, content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("wagtaildocs:add"),
            {"title": "Upload", "kind": "mou", "status": "draft", "file": SimpleUploadedFile(name, content)},
        )


REFUSED = [
    ("empty.pdf", b"", "The selected file is empty"),
    ("page.pdf", b"<!DOCTYPE html><html><head><title>x</title></head></html>", "web page (HTML), not PDF"),
    ("bomb.docx", None, "unpacks to"),
    ("truncated.docx", make_docx(CLAUSES_V1)[:700], "damaged and cannot be opened"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "protected by a password"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_refused_in_the_admin_with_a_message_and_nothing_stored(
    editor_client, media_files, django_capture_on_commit_callbacks, name, content, message
):
    if content is None:
        content = make_zip_bomb_docx(512 * 1024 * 1024)
    before = media_files()
    response = upload(editor_client, name, content, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GovernanceDocument.objects.exists()
    assert media_files() == before


@override_settings(DOCUMENTS_MAX_UPLOAD_SIZE=10_000)
def test_oversized_file_is_refused(editor_client, media_files, django_capture_on_commit_callbacks):
    before = media_files()
    response = upload(
        editor_client, "big.pdf", b"%PDF-1.4\n" + b"x" * 20_000, django_capture_on_commit_callbacks
    )
    assert "too big" in response.content.decode() or "must be smaller than" in response.content.decode()
    assert not GovernanceDocument.objects.exists()
    assert media_files() == before


SAVED_BUT_UNREADABLE = [
    ("corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage\n%%EOF", "damaged"),
    ("truncated.pdf", make_pdf(CLAUSES_V1)[:400], "damaged"),
    ("locked.pdf", make_encrypted_pdf(CLAUSES_V1), "protected by a password"),
]


@pytest.mark.parametrize(("name", "content", "message"), SAVED_BUT_UNREADABLE)
def test_saved_with_a_failed_extraction_the_editor_can_see(
    editor_client, django_capture_on_commit_callbacks, name, content, message
):
    started = time.monotonic()
    response = upload(editor_client, name, content, django_capture_on_commit_callbacks)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = GovernanceDocument.objects.get()
    assert document.extraction.status == ExtractionStatus.FAILED
    assert message in document.extraction.message
    assert time.monotonic() - started < 30
    page = editor_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    assert "Text could not be read." in page
    assert message in page


@pytest.mark.parametrize(
    ("name", "expected_start"),
    [
        ("../../../../etc/cron.d/evil.pdf", "documents/evil"),
        ("..\\..\\boot.ini.pdf", "documents/boot.ini"),
        ("MoU\x07\x1b[2J\tfinal.pdf", "documents/MoU-2Jfinal"),
        ("a" * 300 + ".pdf", "documents/aaaa"),
    ],
)
def test_hostile_filenames_are_stored_safely(
    editor_client, django_capture_on_commit_callbacks, name, expected_start
):
    response = upload(editor_client, name, make_pdf(CLAUSES_V1), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    document = GovernanceDocument.objects.get()
    assert document.file.name.startswith(expected_start)
    assert document.file.name.endswith(".pdf")
    assert len(document.file.name) <= 110
    assert all(ch.isprintable() for ch in document.file.name)
    assert ".." not in document.file.name.split("/")
    assert document.extraction.status == ExtractionStatus.DONE
    assert document.file.storage.exists(document.file.name)


def test_control_characters_and_newlines_never_reach_storage(organisation):
    document = document_create(title="x", file=ContentFile(make_pdf(CLAUSES_V1), name="a\x00b\r\nc\x1b.pdf"))
    assert document.file.name.startswith("documents/abc")
    assert document.file.name.endswith(".pdf")


def test_service_refuses_the_same_bad_files(organisation):
    with pytest.raises(ValidationError):
        document_create(title="x", file=ContentFile(b"<html></html>", name="x.pdf"))
    assert not GovernanceDocument.objects.exists()


def test_zip_bomb_that_lies_about_its_size_still_cannot_exhaust_the_reader(tmp_path):
    """Declared sizes pass the upload check; the reader's byte limit stops the inflation."""
    import zipfile

    from documents.extraction import extract_file

    path = tmp_path / "liar.docx"
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(64):
                part.write(b"<a>" + b"x" * (1024 * 1024) + b"</a>")
    path.write_bytes(payload.getvalue())
    with override_settings(DOCUMENTS_MAX_UNCOMPRESSED_SIZE=8 * 1024 * 1024):
        result = extract_file(path, "docx")
    assert result.status == ExtractionStatus.FAILED
    assert "unpacks to more than" in result.message
