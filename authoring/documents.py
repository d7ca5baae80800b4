"""The text of an uploaded plan document (.txt, .docx, .pdf with a text layer), checked before anything parses it.

A refusal is an `ApplicationError` with a Vietnamese message a person can act on: a file too large, an old Word
file (.doc), a scanned PDF without text, a type the portal does not read, an empty document.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.files import DOCX, evidence_kind, file_label, zip_inspect
from core.formatting import number_format

logger = logging.getLogger(__name__)

TXT = "txt"
KIND_DOCX = "docx"
KIND_PDF = "pdf"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CELL_SEPARATOR = " | "  # a table row's cells on one line, so an appendix table stays readable


@dataclass(frozen=True)
class DocumentText:
    """A document's text as the reading sees it: paragraphs separated by blank lines, a table row per line."""

    text: str
    name: str
    kind: str  # "txt", "docx" or "pdf"


def document_text(upload) -> DocumentText:
    """The text of `upload` (a Django UploadedFile or any binary file object with a name)."""
    name = file_label(upload)
    size = _size(upload)
    limit = settings.PORTAL_PLAN_DOCUMENT_MAX_BYTES
    if size > limit:
        raise ApplicationError(_("“%(name)s” is %(size)s MB; a plan document may be at most %(limit)s MB.") % {
            "name": name, "size": _megabytes(size), "limit": _megabytes(limit)})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if size == 0:
        raise _empty(name)
    extension = posixpath.splitext(name.lower())[1]
    if head.startswith(_OLE) or extension == ".doc":
        raise ApplicationError(_("“%(name)s” is an old Word file (.doc), which the portal cannot read: open it in "
                                 "Word or LibreOffice, save it as .docx or PDF and upload it again.") % {"name": name})
    if extension == ".txt":
        text, kind = _plain_text(upload, name), TXT
    elif extension == ".docx":
        text, kind = _docx_text(upload, name), KIND_DOCX
    elif extension == ".pdf":
        text, kind = _pdf_text(upload, name), KIND_PDF
    else:
        raise ApplicationError(_("“%(name)s” is not a plan document the portal can read: upload a .docx, a PDF with "
                                 "a text layer or a .txt file, or paste the text.") % {"name": name})
    text = _tidy(text)
    if not text.strip():
        raise _empty(name)
    return DocumentText(text=text, name=name, kind=kind)


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",").replace(",0", "")


def _empty(name: str) -> ApplicationError:
    return ApplicationError(_("“%(name)s” holds no text: check that it is the right file.") % {"name": name})


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).replace("\x00", "").strip("\n") + "\n"


# --- plain text ---------------------------------------------------------------------------------------------------


def _plain_text(upload, name: str) -> str:
    """UTF-8 (with or without its byte-order mark) or UTF-16 with its mark; other encodings are refused rather
    than read as mojibake."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("“%(name)s” is not UTF-8 text: save it as “Unicode (UTF-8)” text and upload it "
                                 "again.") % {"name": name}) from exc
    if "\x00" in text:
        raise ApplicationError(_("“%(name)s” is not a text file.") % {"name": name})
    return text


# --- Word ---------------------------------------------------------------------------------------------------------


def _docx_text(upload, name: str) -> str:
    """Paragraphs and table rows in the order the document has them, with Word's automatic numbering written out
    ("II.", "2.1.", "a)", a bullet as "- ")."""
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        raise ApplicationError(_("“%(name)s” is not a Word (.docx) document.") % {"name": name})
    upload.seek(0)
    zip_inspect(upload)
    if evidence_kind(upload) != DOCX:  # no macro, no program, no archive inside; a Word document and not a workbook
        raise ApplicationError(_("“%(name)s” is not a Word (.docx) document.") % {"name": name})
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            root = fromstring(archive.read("word/document.xml"))
            names = set(archive.namelist())
            numbering = _Numbering(fromstring(archive.read("word/numbering.xml"))
                                   if "word/numbering.xml" in names else None)
    except (KeyError, zipfile.BadZipFile, DefusedXmlException, SyntaxError, ValueError) as exc:
        raise ApplicationError(_("“%(name)s” is damaged: its text cannot be read.") % {"name": name}) from exc
    finally:
        upload.seek(0)
    body = root.find(f"{_W}body")
    return "" if body is None else _blocks_text(body, numbering)


def _blocks_text(parent, numbering: _Numbering) -> str:
    return "\n\n".join(filter(None, (_block_text(element, numbering) for element in parent)))


def _block_text(element, numbering: _Numbering) -> str:
    if element.tag == f"{_W}p":
        return _paragraph_text(element, numbering)
    if element.tag == f"{_W}tbl":
        rows = []
        for row in element.iter(f"{_W}tr"):
            cells = [" ".join(filter(None, (_paragraph_text(p, numbering) for p in cell.iter(f"{_W}p"))))
                     for cell in row.findall(f"{_W}tc")]
            if any(cells):
                rows.append(CELL_SEPARATOR.join(cell or "-" for cell in cells))
        return "\n".join(rows)
    if element.tag == f"{_W}sdt":  # a content control: its paragraphs are the document's
        content = element.find(f"{_W}sdtContent")
        return "" if content is None else _blocks_text(content, numbering)
    return ""


def _paragraph_text(paragraph, numbering: _Numbering) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    text = "".join(parts).strip()
    number = paragraph.find(f"{_W}pPr/{_W}numPr")
    if number is not None:  # numbered even when empty: a table's "TT" cell holds only its number
        num_id = number.find(f"{_W}numId")
        level = number.find(f"{_W}ilvl")
        label = numbering.label(num_id.get(f"{_W}val", "0") if num_id is not None else "0",
                                int(level.get(f"{_W}val", "0")) if level is not None else 0)
        if label and not text.startswith(label.strip()):
            text = f"{label} {text}".strip()
    return text


class _Level(NamedTuple):
    format: str  # decimal, upperRoman, lowerLetter, bullet …
    text: str  # "%1.", "%1.%2.", "-"
    start: int


class _Numbering:
    """Word's automatic numbering, counted as the document goes, so "II. MỤC TIÊU" and "- 100% …" read as shown."""

    def __init__(self, root):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract = {}
        for definition in root.findall(f"{_W}abstractNum"):
            abstract[definition.get(f"{_W}abstractNumId")] = {
                int(level.get(f"{_W}ilvl", "0")): _Level(_val(level, "numFmt", "decimal"), _val(level, "lvlText", ""),
                                                         int(_val(level, "start", "1") or 1))
                for level in definition.findall(f"{_W}lvl")}
        for instance in root.findall(f"{_W}num"):
            self.levels[instance.get(f"{_W}numId")] = abstract.get(_val(instance, "abstractNumId", ""), {})

    def label(self, num_id: str, level: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return "" if num_id == "0" else "-"
        if levels[level].format in ("bullet", "none"):
            return "-" if levels[level].format == "bullet" else ""
        counters = self.counters.setdefault(num_id, [levels.get(i, _Level("", "", 1)).start - 1 for i in range(9)])
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = levels.get(deeper, _Level("", "", 1)).start - 1
        label = levels[level].text
        for index in range(level + 1):
            label = label.replace(f"%{index + 1}", _counted(counters[index], levels.get(index, levels[level]).format))
        return label


def _val(element, child: str, default: str) -> str:
    found = element.find(f"{_W}{child}")
    return default if found is None else found.get(f"{_W}val", default)


def _counted(number: int, style: str) -> str:
    if style in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if style == "upperRoman" else roman.lower()
    if style in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.upper() if style == "upperLetter" else letter
    return str(number)


def _roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


# --- PDF ----------------------------------------------------------------------------------------------------------


def _pdf_text(upload, name: str) -> str:
    """The text pdfminer's layout gives, page by page, each table drawn with ruling lines a row a line of cells joined
    by " | ", like a Word table (`pdf_tables`)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError

    from authoring.pdf_tables import page_text

    upload.seek(0)
    if not upload.read(5).startswith(b"%PDF-"):
        upload.seek(0)
        raise ApplicationError(_("“%(name)s” is not a PDF file.") % {"name": name})
    upload.seek(0)
    try:
        # A form feed after each page, as pdfminer's `extract_text` writes it.
        text = "".join(page_text(page) + "\x0c" for page in extract_pages(io.BytesIO(upload.read()),
                                                                          laparams=LAParams()))
    except (PDFSyntaxError, ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
        raise ApplicationError(_("“%(name)s” is damaged: its text cannot be read.") % {"name": name}) from exc
    except Exception as exc:  # pdfminer raises its own errors for encrypted or broken files
        logger.info("PDF %s not read: %s", name, exc)
        raise ApplicationError(_("“%(name)s” cannot be read: it may be protected with a password or damaged.")
                               % {"name": name}) from exc
    finally:
        upload.seek(0)
    if not text.strip():
        raise ApplicationError(_("“%(name)s” has no text layer (a scanned PDF): upload the .docx or a PDF exported "
                                 "from Word, or paste the text.") % {"name": name})
    # A glyph the PDF's font gives no character for comes out as "(cid:N)": a stray one is noise, dropped; when a
    # share of the letters has none (a font without a character map, common for Vietnamese set in old fonts), the
    # text left reads "Cn c Ngh nh s …" and would be proposed from: refused, with the ways that work.
    unnamed = len(_UNNAMED_GLYPH.findall(text))
    text = _UNNAMED_GLYPH.sub("", text)
    letters = len(re.findall(r"[^\W\d_]", text))
    if unnamed >= UNNAMED_GLYPHS_MIN and unnamed > UNNAMED_GLYPHS_MAX * (unnamed + letters):
        raise ApplicationError(_("“%(name)s” uses a font whose letters the PDF does not name (%(share)s of them are "
                                 "missing): its text cannot be read faithfully. Upload the .docx, or a PDF exported "
                                 "again from Word, or paste the text.")
                               % {"name": name, "share": _share(unnamed, unnamed + letters)})
    return text.replace("\x0c", "\n\n")


_UNNAMED_GLYPH = re.compile(r"\(cid:\d+\)")
# Past this share of glyphs with no character, and this many, the text is refused: a clean PDF has none, a symbol font
# for bullets or a logo's letters a few.
UNNAMED_GLYPHS_MAX = 0.05
UNNAMED_GLYPHS_MIN = 20


def _share(part: int, whole: int) -> str:
    return f"{number_format(Decimal(part * 100) / whole, 0)}%"
