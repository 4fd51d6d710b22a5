"""Builders of real PDF, DOCX and ODT files from a list of clauses.

The demo loader, the tests and the bench all need genuine files (not fixtures checked into
the repository) so that extraction and comparison are exercised on what partners upload.
"""

import io
import zipfile

HEADING_PREFIX = "# "


def _plain(text: str) -> str:
    """The PDF core fonts cover Latin-1 only: swap typographic punctuation for its plain form."""
    replacements = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"}
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def make_pdf(paragraphs: list[str], *, title: str = "", repeat: int = 1, page_breaks: bool = False) -> bytes:
    """A PDF with one paragraph per clause; lines starting with "# " are headings."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.set_title(_plain(title))
    pdf.add_page()
    for round_number in range(repeat):
        if round_number and page_breaks:
            pdf.add_page()
        for paragraph in paragraphs:
            if paragraph.startswith(HEADING_PREFIX):
                pdf.set_font("Helvetica", "B", 13)
                pdf.multi_cell(0, 7, _plain(paragraph[len(HEADING_PREFIX) :]), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", "", 11)
                pdf.multi_cell(0, 5.5, _plain(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def make_docx(paragraphs: list[str], *, title: str = "", repeat: int = 1, page_breaks: bool = False) -> bytes:
    """A Word document with one paragraph per clause; lines starting with "# " are headings."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    document.core_properties.title = title
    for round_number in range(repeat):
        if round_number and page_breaks:
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        for paragraph in paragraphs:
            if paragraph.startswith(HEADING_PREFIX):
                document.add_heading(paragraph[len(HEADING_PREFIX) :], level=2)
            else:
                document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(paragraphs: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        if paragraph.startswith(HEADING_PREFIX):
            document.text.addElement(H(outlinelevel=2, text=paragraph[len(HEADING_PREFIX) :]))
        else:
            document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_txt(paragraphs: list[str]) -> bytes:
    return "\n\n".join(p.removeprefix(HEADING_PREFIX) for p in paragraphs).encode("utf-8")


def make_zip_bomb_docx(unpacked_size: int = 1024 * 1024 * 1024) -> bytes:
    """A DOCX-shaped archive whose document part inflates to ``unpacked_size`` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_size // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def make_encrypted_pdf(paragraphs: list[str], password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(make_pdf(paragraphs)))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
