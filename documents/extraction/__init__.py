"""Text extraction: runs ``readers.py`` in a child process with limits, and explains failures.

The child has a memory cap, a CPU-time cap and no right to write files; the parent adds a
wall-clock timeout and kills it when that runs out. Whatever happens, the caller gets an
``Extraction`` with a status and a message an editor can act on, never an exception.
"""

import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .. import conf
from ..models import ExtractionStatus
from ..uploads import extension_of

logger = logging.getLogger(__name__)

READER = Path(__file__).with_name("readers.py")
MAX_OUTPUT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Extraction:
    status: str
    text: str = ""
    message: str = ""
    page_count: int | None = None


def _limits() -> dict:
    timeout = float(conf.get("DOCUMENTS_EXTRACTION_TIMEOUT"))
    return {
        "max_pages": int(conf.get("DOCUMENTS_EXTRACTION_MAX_PAGES")),
        "max_characters": int(conf.get("DOCUMENTS_EXTRACTION_MAX_CHARACTERS")),
        "max_unpacked": int(conf.get("DOCUMENTS_MAX_UNCOMPRESSED_SIZE")),
        "memory": int(conf.get("DOCUMENTS_EXTRACTION_MEMORY_LIMIT")),
        "cpu_seconds": max(1, math.ceil(timeout)),
        "timeout": timeout,
    }


def failure_message(code: str, params: dict | None = None) -> str:
    params = params or {}
    messages = {
        "encrypted": _(
            "This file is protected by a password, so its text could not be read. It can still be "
            "downloaded, but it will not appear in searches or comparisons. Upload a copy without a "
            "password to fix this."
        ),
        "corrupt": _(
            "This file is damaged or not a valid document, so its text could not be read. Open it on "
            "your computer, save it again and upload the new copy."
        ),
        "no_text": _(
            "No text was found in this file. If it is a scan, upload a version with selectable text "
            "so that it can be searched and compared."
        ),
        "too_large_unpacked": _(
            "This file unpacks to more than %(limit)s, so its text was not read. Save it again from "
            "your word processor (without embedded media if you can) and upload the new copy."
        )
        % {"limit": filesizeformat(int(conf.get("DOCUMENTS_MAX_UNCOMPRESSED_SIZE")))},
        "timeout": _(
            "Reading this file took longer than %(seconds)s seconds, so it was stopped. Save it again, "
            "or split it into smaller documents, and upload the new copy."
        )
        % {"seconds": conf.get("DOCUMENTS_EXTRACTION_TIMEOUT")},
        "unsupported": _("Text cannot be read from this kind of file."),
        "missing": _("The file could not be found in storage. Upload it again."),
    }
    return messages.get(code, messages["corrupt"])


def extract_file(path: str | os.PathLike, extension: str) -> Extraction:
    """Read the text of the file at ``path`` in a limited child process."""
    limits = _limits()
    command = [sys.executable, "-I", "-B", str(READER), str(path), extension, json.dumps(limits)]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=limits["timeout"],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        logger.warning("Text extraction timed out for %s", path)
        return Extraction(ExtractionStatus.FAILED, message=failure_message("timeout"))
    output = completed.stdout[:MAX_OUTPUT]
    try:
        result = json.loads(output.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        # Killed by a resource limit (memory, CPU) before it could answer.
        logger.warning(
            "Text extraction stopped for %s (exit %s): %s",
            path,
            completed.returncode,
            completed.stderr[-500:].decode("utf-8", "replace"),
        )
        code = "timeout" if completed.returncode in (-9, -24, 137, 152) else "too_large_unpacked"
        return Extraction(ExtractionStatus.FAILED, message=failure_message(code))
    if not result.get("ok"):
        return Extraction(
            ExtractionStatus.FAILED, message=failure_message(result.get("code"), result.get("params"))
        )
    pages = result.get("pages")
    if result.get("truncated"):
        if result.get("pages_truncated"):
            message = _(
                "Only the first %(limit)s of this document’s %(pages)s pages were read. Searches and "
                "comparisons cover those pages only."
            ) % {"limit": limits["max_pages"], "pages": pages}
        else:
            message = _(
                "This document is very long: only its first %(limit)s characters were read. Searches "
                "and comparisons cover that part only."
            ) % {"limit": f"{limits['max_characters']:,}"}
        return Extraction(ExtractionStatus.PARTIAL, text=result["text"], message=message, page_count=pages)
    return Extraction(ExtractionStatus.DONE, text=result["text"], page_count=pages)


def extract_document(document) -> Extraction:
    """Copy the document's file to a private temporary file and read it.

    Copying works for every storage (local or object storage) and bounds what is read to the
    upload limit.
    """
    extension = extension_of(document.file.name)
    limit = conf.max_upload_size()
    with tempfile.TemporaryDirectory(prefix="bpf-extract-") as folder:
        target = Path(folder) / f"document.{extension or 'bin'}"
        try:
            with document.file.storage.open(document.file.name, "rb") as source, open(target, "wb") as out:
                copied = 0
                while chunk := source.read(1024 * 1024):
                    copied += len(chunk)
                    if copied > limit * 2:
                        return Extraction(
                            ExtractionStatus.FAILED, message=failure_message("too_large_unpacked")
                        )
                    out.write(chunk)
        except (FileNotFoundError, OSError):
            return Extraction(ExtractionStatus.FAILED, message=failure_message("missing"))
        return extract_file(target, extension)
