"""Upload checks: extension and content must agree, size limits, safe stored names; the
messages people see in the Wagtail admin."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from documents.models import DocumentStatus, GovernanceDocument
from documents.samples import make_docx, make_odt, make_pdf, make_txt
from documents.uploads import check_upload, stored_file_name

from .conftest import CLAUSES_V1


def _check(content: bytes, name: str):
    return check_upload(ContentFile(content, name=name), name=name)


@pytest.mark.parametrize(
    ("name", "builder"),
    [
        ("a.pdf", make_pdf),
        ("a.docx", make_docx),
        ("a.odt", make_odt),
        ("a.txt", make_txt),
        ("A.PDF", make_pdf),
    ],
)
def test_genuine_files_pass(name, builder):
    assert _check(builder(CLAUSES_V1), name) == name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"MZ\x90\x00",
            "tool.exe",
            "must be one of these kinds: PDF, Word (DOCX), OpenDocument text (ODT), plain text",
        ),
        (
            b"<!DOCTYPE html><html><body>Hi</body></html>",
            "mou.pdf",
            "contents are a web page (HTML), not PDF",
        ),
        (make_pdf(CLAUSES_V1), "mou.docx", "contents are a PDF, not Word (DOCX)"),
        (make_docx(CLAUSES_V1), "mou.odt", "not an OpenDocument text document"),
        (make_odt(CLAUSES_V1), "mou.docx", "not a Word document"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "mou.docx",
            "protected by a password or saved in an older Word format",
        ),
        (b"PK\x03\x04 not really a zip", "mou.docx", "damaged and cannot be opened"),
        (b"text\x00with\x00nul", "notes.txt", "not plain text"),
        (b"", "empty.pdf", "The selected file is empty"),
        (b"no extension", "README", "must be one of these kinds"),
    ],
)
def test_mislabelled_or_unsupported_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(ValidationError) as error:
        _check(content, name)
    assert message in error.value.messages[0]


@override_settings(DOCUMENTS_MAX_UPLOAD_SIZE=1024)
def test_size_limit_comes_from_settings():
    with pytest.raises(ValidationError) as error:
        _check(make_pdf(CLAUSES_V1), "mou.pdf")
    assert "must be smaller than 1.0\xa0KB" in error.value.messages[0]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.docx", "evil.docx"),
        ("MoU\x00\x07\x1b[31m final.pdf", "MoU-31m-final.pdf"),
        ("Protocole d’accord été 2024.pdf", "Protocole-daccord-ete-2024.pdf"),
        ("   .pdf", "document.pdf"),
        ("no-extension", "no-extension"),
    ],
)
def test_stored_names_are_safe(original, expected):
    assert stored_file_name(original) == expected


def test_long_names_are_shortened_keeping_the_extension():
    name = stored_file_name("a" * 300 + ".docx")
    assert name.endswith(".docx")
    assert len(name) <= 92


# In the admin -------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    return client


def _add(client, content: bytes, name: str, **fields):
    data = {"title": fields.pop("title", "An upload"), "status": "draft", "kind": "mou", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("wagtaildocs:add"), data)


@pytest.mark.django_db
def test_admin_refuses_a_mislabelled_file_with_a_clear_message(editor_client, media_files):
    before = media_files()
    response = _add(editor_client, b"<html><body>not a pdf</body></html>", "mou.pdf")
    assert response.status_code == 200
    assert "contents are a web page (HTML), not PDF" in response.content.decode()
    assert not GovernanceDocument.objects.exists()
    assert media_files() == before


@pytest.mark.django_db
def test_admin_upload_stores_a_safe_name_and_reads_the_text(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(editor_client, make_docx(CLAUSES_V1), "../../" + "x" * 300 + ".docx", kind="mou")
    assert response.status_code == 302, response.content.decode()[:2000]
    document = GovernanceDocument.objects.get()
    assert document.file.name.startswith("documents/x")
    assert document.file.name.endswith(".docx")
    assert ".." not in document.file.name
    assert document.status == DocumentStatus.DRAFT
    assert "six years" in document.extraction.text


@pytest.mark.django_db
def test_admin_multiple_uploader_refuses_bad_files(editor_client, media_files):
    before = media_files()
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("mou.pdf", b"<!doctype html><p>hello</p>")},
    )
    payload = response.json()
    assert payload["success"] is False
    assert "web page (HTML)" in payload["error_message"]
    assert media_files() == before


@pytest.mark.django_db
@override_settings(DOCUMENTS_MAX_UPLOAD_SIZE=2048)
def test_admin_shows_the_size_limit(editor_client):
    response = editor_client.get(reverse("wagtaildocs:add"))
    assert "up to 2.0\xa0KB" in response.content.decode()
    response = _add(editor_client, b"%PDF-1.4\n" + b"0" * 5000, "mou.pdf")
    assert "too big" in response.content.decode() or "must be smaller than" in response.content.decode()
    assert not GovernanceDocument.objects.exists()
