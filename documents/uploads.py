"""Checks on an uploaded governance document, before anything is stored.

A file is accepted only when its name ends in an allowed extension *and* its first bytes (and,
for DOCX and ODT, the archive inside) are what that extension promises. Names are rewritten to
something safe on every storage. Each refusal is a ``ValidationError`` whose message tells the
person what was wrong and what to do, so it reads well in the Wagtail admin and in any form.
"""

import os
import re
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import conf

MAX_STORED_NAME_LENGTH = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and password-protected .docx
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

KIND_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "odt": "OpenDocument text (ODT)", "txt": "plain text"}


def stored_file_name(filename: str) -> str:
    """A safe stored name: no folders, no control characters, plain ASCII, at most 100 characters.

    Wagtail shows this name in download links, so it keeps the readable part of the original.
    """
    base = os.path.basename(str(filename).replace("\\", "/"))
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = "".join(ch for ch in base if ch.isprintable())
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem = _UNSAFE.sub("-", stem).strip(".-_") or "document"
    extension = _UNSAFE.sub("", extension).lower()[:10]
    suffix = f".{extension}" if extension else ""
    # Leave room for the storage's "_abc1234" de-duplication suffix.
    stem = stem[: MAX_STORED_NAME_LENGTH - len(suffix) - 8].rstrip(".-_") or "document"
    return f"{stem}{suffix}"


def extension_of(name: str) -> str:
    return os.path.splitext(os.path.basename(str(name)))[1].lower().lstrip(".")


def _read_head(fileobj, size: int = 8192) -> bytes:
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        return fileobj.read(size) or b""
    finally:
        fileobj.seek(position)


def _describe(head: bytes) -> str:
    """What the content looks like, for messages about mislabelled files."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return _("a web page (HTML)")
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return _("a PDF")
    if head.startswith(OLE_MAGIC):
        return _("an older Microsoft Office file, or one protected by a password")
    if head.startswith(ZIP_MAGIC):
        return _("a zip archive")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("an image")
    return _("something else")


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def check_upload(fileobj, *, name: str) -> str:
    """Refuse a file that is empty, too big, of a kind we do not take, or not what its name says.

    Returns the file's extension. Reads the start of the file and, for archives, their table of
    contents only: never the whole file into memory.
    """
    extension = extension_of(name)
    allowed = conf.allowed_extensions()
    if extension not in allowed:
        kinds = ", ".join(KIND_NAMES.get(ext, ext.upper()) for ext in allowed)
        _refuse(
            _("The selected file must be one of these kinds: %(kinds)s.") % {"kinds": kinds},
            "extension",
        )

    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    if size == 0:
        _refuse(_("The selected file is empty. Check you chose the right file."), "empty")
    limit = conf.max_upload_size()
    if size > limit:
        _refuse(
            _("The selected file must be smaller than %(limit)s (it is %(size)s).")
            % {"limit": filesizeformat(limit), "size": filesizeformat(size)},
            "too_large",
        )

    head = _read_head(fileobj)
    expected = KIND_NAMES.get(extension, extension.upper())
    mismatch = _(
        "The selected file’s name ends in .%(extension)s but its contents are %(actual)s, not %(expected)s. "
        "Save or export it as %(expected)s and upload it again."
    )
    if extension == "pdf":
        if b"%PDF-" not in head[:1024]:
            _refuse(
                mismatch % {"extension": extension, "actual": _describe(head), "expected": expected},
                "content",
            )
    elif extension in ("docx", "odt"):
        if head.startswith(OLE_MAGIC):
            _refuse(
                _(
                    "The selected file is protected by a password or saved in an older Word format. "
                    "Remove the password, or save it as %(expected)s, and upload it again."
                )
                % {"expected": expected},
                "protected",
            )
        if not head.startswith(ZIP_MAGIC):
            _refuse(
                mismatch % {"extension": extension, "actual": _describe(head), "expected": expected},
                "content",
            )
        _check_archive(fileobj, extension=extension, expected=expected)
    elif extension == "txt":
        if b"\x00" in head:
            _refuse(
                _("The selected file’s name ends in .txt but its contents are not plain text."), "content"
            )
    return extension


def _check_archive(fileobj, *, extension: str, expected: str) -> None:
    """DOCX and ODT files are zip archives: check the parts are there and not a zip bomb."""
    broken = _(
        "The selected file is damaged and cannot be opened. Save it again as %(expected)s and upload it."
    ) % {"expected": expected}
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        try:
            archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            _refuse(broken, "corrupt")
        with archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if len(members) > int(conf.get("DOCUMENTS_MAX_ARCHIVE_MEMBERS")):
                _refuse(broken, "too_many_parts")
            if extension == "docx" and not {"[Content_Types].xml", "word/document.xml"} <= names:
                _refuse(
                    _(
                        "The selected file’s name ends in .docx but it is not a Word document. "
                        "Save it as Word (DOCX) and upload it again."
                    ),
                    "content",
                )
            if extension == "odt":
                try:
                    mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
                    mimetype = b""
                if mimetype.strip() != ODT_MIMETYPE or "content.xml" not in names:
                    _refuse(
                        _(
                            "The selected file’s name ends in .odt but it is not an OpenDocument text "
                            "document. Save it as OpenDocument text (ODT) and upload it again."
                        ),
                        "content",
                    )
            unpacked = sum(member.file_size for member in members)
            packed = sum(member.compress_size for member in members) or 1
            ratio_limit = int(conf.get("DOCUMENTS_MAX_COMPRESSION_RATIO"))
            too_big = unpacked > int(conf.get("DOCUMENTS_MAX_UNCOMPRESSED_SIZE"))
            bomb = any(
                member.file_size > 1024 * 1024
                and member.file_size > ratio_limit * max(member.compress_size, 1)
                for member in members
            )
            if too_big or bomb or unpacked > ratio_limit * packed and unpacked > 10 * 1024 * 1024:
                _refuse(
                    _(
                        "The selected file unpacks to %(size)s, far more than its contents need, so it "
                        "has not been accepted. Save it again from your word processor and upload that."
                    )
                    % {"size": filesizeformat(unpacked)},
                    "zip_bomb",
                )
            if any(member.flag_bits & 0x1 for member in members):
                _refuse(
                    _(
                        "The selected file is protected by a password. Remove the password and upload it again."
                    ),
                    "protected",
                )
    finally:
        fileobj.seek(position)
