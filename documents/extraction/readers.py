"""Read the text of a PDF, DOCX, ODT or plain-text file, inside limits.

This module runs as a child process (see ``documents.extraction.extract_file``): it imports
nothing from Django, caps its own memory and CPU time before touching the file, and answers
with one JSON object on standard output. A file that would exhaust memory or loop for ever
therefore costs one short-lived process, never a web or task worker.

Text comes out as paragraphs (clauses) separated by blank lines, which is what the version
comparison works on.
"""

import json
import re
import sys
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

# A numbered clause starts a new paragraph even without a gap above it: "1. ", "2.3 ", "(a) ".
CLAUSE_START = re.compile(r"^(\d{1,2}\.(\d{1,2}\.?)*\s|\([a-z]{1,2}\)\s|\([ivx]{1,5}\)\s)")


class ReadError(Exception):
    """A reason the text could not be read, as a short code the parent turns into a message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class Budget:
    """Collects paragraphs until the character limit, then notes the text was cut short."""

    def __init__(self, max_characters: int):
        self.max_characters = max_characters
        self.used = 0
        self.paragraphs: list[str] = []
        self.truncated = False

    def add(self, paragraph: str) -> bool:
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            return True
        if self.used + len(paragraph) > self.max_characters:
            self.truncated = True
            return False
        self.paragraphs.append(paragraph)
        self.used += len(paragraph) + 2
        return True

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def lines_to_paragraphs(lines, budget: Budget) -> bool:
    """Join wrapped lines back into paragraphs: a blank line or a clause number starts a new one."""
    current: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            if current and not budget.add(" ".join(current)):
                return False
            current = []
            continue
        if current and CLAUSE_START.match(line):
            if not budget.add(" ".join(current)):
                return False
            current = []
        current.append(line)
    if current:
        return budget.add(" ".join(current))
    return True


class LimitedStream:
    """A file-like wrapper that refuses to yield more than ``limit`` bytes (zip bombs)."""

    def __init__(self, raw, limit: int):
        self.raw = raw
        self.remaining = limit

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 1024 * 1024
        data = self.raw.read(min(size, self.remaining + 1))
        self.remaining -= len(data)
        if self.remaining < 0:
            raise ReadError("too_large_unpacked")
        return data


def read_pdf(path: str, limits: dict) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    budget = Budget(limits["max_characters"])
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReadError("encrypted")
            except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
                raise ReadError("encrypted") from exc
        page_count = len(reader.pages)
        pages_truncated = page_count > limits["max_pages"]
        for number in range(min(page_count, limits["max_pages"])):
            page = reader.pages[number]
            try:
                # Layout mode keeps the vertical gaps between paragraphs as blank lines.
                text = page.extract_text(extraction_mode="layout") or ""
            except Exception:  # noqa: BLE001 - fall back to the simpler reading
                text = page.extract_text() or ""
            if not lines_to_paragraphs(text.splitlines() + [""], budget):
                break
    except ReadError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise ReadError("encrypted") from exc
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ) as exc:
        raise ReadError("corrupt", detail=type(exc).__name__) from exc
    return {
        "text": budget.text,
        "pages": page_count,
        "truncated": budget.truncated or pages_truncated,
        "pages_truncated": pages_truncated,
    }


def _open_archive(path: str, member: str, limits: dict):
    try:
        archive = zipfile.ZipFile(path)
        info = archive.getinfo(member)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise ReadError("corrupt", detail=type(exc).__name__) from exc
    if info.flag_bits & 0x1:
        raise ReadError("encrypted")
    if info.file_size > limits["max_unpacked"]:
        raise ReadError("too_large_unpacked")
    return archive, LimitedStream(archive.open(info), limits["max_unpacked"])


def _parse(stream, tags: set, text_of, budget: Budget) -> None:
    try:
        for _event, element in iterparse(stream, events=("end",)):
            if element.tag in tags:
                if not budget.add(text_of(element)):
                    return
                element.clear()
    except ParseError as exc:
        raise ReadError("corrupt", detail="ParseError") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ReadError("corrupt", detail=type(exc).__name__) from exc


def _docx_paragraph(element) -> str:
    parts = []
    for node in element.iter():
        if node.tag == W + "t" and node.text:
            parts.append(node.text)
        elif node.tag in (W + "tab", W + "br", W + "cr"):
            parts.append(" ")
    return "".join(parts)


def read_docx(path: str, limits: dict) -> dict:
    budget = Budget(limits["max_characters"])
    archive, stream = _open_archive(path, "word/document.xml", limits)
    with archive:
        _parse(stream, {W + "p"}, _docx_paragraph, budget)
    return {"text": budget.text, "pages": None, "truncated": budget.truncated}


def _odt_paragraph(element) -> str:
    parts = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == TEXT_NS + "s":
                parts.append(" " * min(int(child.get(TEXT_NS + "c", "1") or 1), 10))
            elif child.tag in (TEXT_NS + "tab", TEXT_NS + "line-break"):
                parts.append(" ")
            elif child.tag in (TEXT_NS + "p", TEXT_NS + "h"):
                continue
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def read_odt(path: str, limits: dict) -> dict:
    budget = Budget(limits["max_characters"])
    archive, stream = _open_archive(path, "content.xml", limits)
    with archive:
        _parse(stream, {TEXT_NS + "p", TEXT_NS + "h"}, _odt_paragraph, budget)
    return {"text": budget.text, "pages": None, "truncated": budget.truncated}


def read_txt(path: str, limits: dict) -> dict:
    budget = Budget(limits["max_characters"])
    with open(path, "rb") as handle:
        raw = handle.read(limits["max_characters"] * 4 + 4)
    if b"\x00" in raw[:8192]:
        raise ReadError("corrupt", detail="binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines_to_paragraphs(text.splitlines() + [""], budget)
    return {"text": budget.text, "pages": None, "truncated": budget.truncated}


READERS = {"pdf": read_pdf, "docx": read_docx, "odt": read_odt, "txt": read_txt}


def limit_resources(memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not a Unix system: the parent's timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read(path: str, extension: str, limits: dict) -> dict:
    reader = READERS.get(extension)
    if reader is None:
        raise ReadError("unsupported")
    result = reader(path, limits)
    if not result["text"].strip():
        raise ReadError("no_text", pages=result.get("pages"))
    return result


def main(argv: list[str]) -> int:
    path, extension, limits_json = argv[1], argv[2], argv[3]
    limits = json.loads(limits_json)
    limit_resources(limits["memory"], limits["cpu_seconds"])
    try:
        result = {"ok": True, **read(path, extension, limits)}
    except ReadError as exc:
        result = {"ok": False, "code": exc.code, "params": exc.params}
    except MemoryError:
        result = {"ok": False, "code": "too_large_unpacked", "params": {}}
    except RecursionError:
        result = {"ok": False, "code": "corrupt", "params": {"detail": "RecursionError"}}
    except Exception as exc:  # noqa: BLE001 - any other failure is a file we cannot read
        result = {"ok": False, "code": "corrupt", "params": {"detail": type(exc).__name__}}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
