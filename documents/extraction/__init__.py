"""Text extraction: runs ``readers.py`` in a child process with limits, and explains failures.

The child has a memory cap, a CPU-time cap and no right to write files; the parent adds a
wall-clock timeout and kills it when that runs out. Whatever happens, the caller gets an
``Extraction`` with a status and a message an editor can act on, never an exception.
"""

import json
import logging
import math
import os
import signal
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
        "killed": _(
            "Reading this file stopped unexpectedly, so its text could not be read. Save it again "
            "from your word processor and upload the new copy; if that fails too, tell the site's "
            "administrators."
        ),
        "interrupted": _(
            "Reading this file was interrupted because the server stopped while it was being read. "
            "Upload the file again to have it read."
        ),
        "error": _(
            "Something went wrong while reading this file, so its text could not be read. Upload it "
            "again; if that fails too, tell the site's administrators."
        ),
        "unsupported": _("Text cannot be read from this kind of file."),
        "missing": _("The file could not be found in storage. Upload it again."),
    }
    return messages.get(code, messages["corrupt"])


def _run_reader(command: list[str], timeout: float) -> tuple[int | None, bytes, bytes]:
    """Run the reader; ``None`` for a return code means it ran out of time and was killed.

    The reader gets a process group of its own and the whole group is killed at the timeout:
    a process it started cannot keep the pipes open and the parent waiting past the limit.
    """
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        return None, b"", b""
    except BaseException:
        _kill_group(process)
        process.wait()
        raise
    return process.returncode, stdout, stderr


def _kill_group(process: subprocess.Popen) -> None:
    """Only while the reader is not yet reaped, so its id cannot belong to anyone else."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _code_for_exit(returncode: int) -> str:
    """Why a reader that gave no answer stopped, from its exit status."""
    if returncode in (-signal.SIGKILL, -signal.SIGXCPU, 128 + signal.SIGKILL, 128 + signal.SIGXCPU):
        return "timeout"  # its CPU-time limit (SIGXCPU, then SIGKILL) ran out
    if returncode < 0:
        return "killed"  # another signal: a crash (SIGSEGV, SIGABRT) or someone stopped it
    return "too_large_unpacked"  # it ran out of its memory allowance (MemoryError)


def extract_file(path: str | os.PathLike, extension: str) -> Extraction:
    """Read the text of the file at ``path`` in a limited child process."""
    limits = _limits()
    command = [sys.executable, "-I", "-B", str(READER), str(path), extension, json.dumps(limits)]
    returncode, stdout, stderr = _run_reader(command, limits["timeout"])
    if returncode is None:
        logger.warning("Text extraction timed out for %s", path)
        return Extraction(ExtractionStatus.FAILED, message=failure_message("timeout"))
    output = stdout[:MAX_OUTPUT]
    try:
        result = json.loads(output.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        logger.warning(
            "Text extraction stopped for %s (exit %s): %s",
            path,
            returncode,
            stderr[-500:].decode("utf-8", "replace"),
        )
        return Extraction(ExtractionStatus.FAILED, message=failure_message(_code_for_exit(returncode)))
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
