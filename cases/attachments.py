"""Checks on a case attachment before it is stored: size, and content that matches its name."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from documents.uploads import extension_of, stored_file_name

KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
}


def _head(fileobj, size=4096) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(size) or b""
    fileobj.seek(0)
    return head


def _content_matches(extension: str, fileobj) -> bool:
    head = _head(fileobj)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "docx":
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(fileobj) as archive:
                return "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            fileobj.seek(0)
    if extension == "txt":
        if b"\x00" in head or head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<script")):
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            return error.start > len(head) - 4  # a character cut at the end of the sample
        return True
    return False


def check_attachment(upload) -> tuple[str, str]:
    """The stored name and content type, or a ``ValidationError`` saying what to do."""
    extension = extension_of(upload.name)
    if extension not in KINDS:
        raise ValidationError(
            _("The selected file must be a PDF, Word (DOCX), PNG, JPEG or plain text file."), code="extension"
        )
    if upload.size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    limit = settings.CASES_MAX_ATTACHMENT_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if not _content_matches(extension, upload):
        raise ValidationError(
            _(
                "The selected file’s contents are not a .%(extension)s file. Save it in that format and try again."
            )
            % {"extension": extension},
            code="mismatch",
        )
    return stored_file_name(upload.name), KINDS[extension]
