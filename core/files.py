"""What a file really is, read from its bytes and its zip directory rather than its name, before anything parses it.

Every check here reads headers only: the zip's central directory (sizes as declared, which zipfile then enforces
while decompressing), the first bytes of each member, and XML streamed with defusedxml, stopping at the first
thing that is too large. A refusal is an ApplicationError whose message a person can act on.
"""

import logging
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl.utils.cell import (
    column_index_from_string,
    get_column_letter,
    range_boundaries,
)

from core.exceptions import ApplicationError
from core.formatting import number_format

logger = logging.getLogger(__name__)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
EXCEL_MAX_TEXT = 32_767  # characters in one cell


@dataclass(frozen=True, slots=True)
class FileKind:
    """A kind of evidence file the portal accepts: its content type, the extension it is stored and served
    under, and every extension an uploaded name of this kind may end in."""

    content_type: str
    extension: str
    extensions: tuple[str, ...]
    label: str


PDF = FileKind("application/pdf", ".pdf", (".pdf",), "PDF")
PNG = FileKind("image/png", ".png", (".png",), "PNG")
JPEG = FileKind("image/jpeg", ".jpg", (".jpg", ".jpeg"), "JPEG")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", (".docx",),
                "Word (.docx)")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", (".xlsx",),
                "Excel (.xlsx)")
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", (".pptx",),
                "PowerPoint (.pptx)")
ODT = FileKind("application/vnd.oasis.opendocument.text", ".odt", (".odt",), "OpenDocument (.odt)")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", ".ods", (".ods",), "OpenDocument (.ods)")
ODP = FileKind("application/vnd.oasis.opendocument.presentation", ".odp", (".odp",), "OpenDocument (.odp)")
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP)
KIND_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}

# The part that makes an OOXML package a document of its kind.
_OOXML_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_MIMETYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS, ODP)}
# Nothing runnable and no archive inside a document: a document never needs one, an attack often does.
_FORBIDDEN_MEMBER_EXTENSIONS = frozenset((
    ".exe", ".dll", ".msi", ".com", ".scr", ".pif", ".cpl", ".sys", ".bat", ".cmd", ".js", ".jse", ".vbs", ".vbe",
    ".wsf", ".wsh", ".ps1", ".psm1", ".hta", ".jar", ".class", ".apk", ".lnk", ".sh", ".py", ".bin",
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".cab", ".iso", ".img",
    ".docm", ".xlsm", ".pptm", ".dotm", ".xltm",
))
_PRINTER_SETTINGS = re.compile(r"(xl|word|ppt)/printersettings/printersettings\d+\.bin")
_MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"vnd.ms-office.activex", b"vnd.ms-excel.sheet.binary")


def _forbidden_part(lowered: str) -> bool:
    """A part no plain document needs: a program, an archive, a macro project, an ODF script or Basic library."""
    if _PRINTER_SETTINGS.fullmatch(lowered):  # Office keeps the printer's settings as .bin: data, never run
        return False
    return (posixpath.splitext(lowered)[1] in _FORBIDDEN_MEMBER_EXTENSIONS
            or any(marker in lowered.encode() for marker in _MACRO_MARKERS)
            or lowered.startswith(("basic/", "scripts/")))


def file_label(upload) -> str:
    return getattr(upload, "name", "") or _("the file")


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def zip_inspect(upload, *, max_members: int | None = None, max_total: int | None = None,
                max_ratio: int | None = None) -> list[zipfile.ZipInfo]:
    """The archive's members, read from its directory only; refused when it could expand beyond what a document
    of this size can hold (a "zip bomb"), when it has too many members, or when it is not a readable zip."""
    max_members = max_members or settings.PORTAL_ZIP_MAX_MEMBERS
    max_total = max_total or settings.PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES
    max_ratio = max_ratio or settings.PORTAL_ZIP_MAX_RATIO
    name = file_label(upload)
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ApplicationError(_("“%(name)s” is damaged: it cannot be opened as an archive.") % {"name": name}
                               ) from exc
    finally:
        upload.seek(0)
    if len(members) > max_members:
        raise ApplicationError(_("“%(name)s” holds %(count)s parts; a document may hold at most %(limit)s.")
                               % {"name": name, "count": len(members), "limit": max_members})
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ApplicationError(_("“%(name)s” is protected with a password: save it without a password and "
                                     "upload it again.") % {"name": name})
        total += member.file_size
        # Small parts compress well whatever they hold; only a large part with a huge ratio is suspicious.
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(member.compress_size, 1):
            raise ApplicationError(_("“%(name)s” is refused: one of its parts would expand %(ratio)s times, which "
                                     "no real document does.") % {
                "name": name, "ratio": member.file_size // max(member.compress_size, 1)})
    if total > max_total:
        raise ApplicationError(_("“%(name)s” is refused: it would expand to %(size)s MB; at most %(limit)s MB "
                                 "are accepted.") % {"name": name, "size": total // 2**20,
                                                     "limit": max_total // 2**20})
    return members


# --- evidence --------------------------------------------------------------------------------------------------


def _zip_kind(upload) -> FileKind:
    """An OOXML or ODF document whose parts match its kind, with nothing runnable, no macro and no archive inside."""
    name = file_label(upload)
    is_zip = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not is_zip:
        raise _not_accepted(upload)
    members = zip_inspect(upload)
    names = [member.filename for member in members]
    refused = _("“%(name)s” is refused: it contains a program, a macro or another archive (%(part)s).")
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in members:
            lowered = member.filename.lower()
            if _forbidden_part(lowered):
                raise ApplicationError(refused % {"name": name, "part": member.filename})
            if member.is_dir() or member.file_size < 2:
                continue
            with archive.open(member) as part:
                head = part.read(4)
            if head.startswith((b"MZ", b"\x7fELF", _OLE[:4], _ZIP, b"\xca\xfe\xba\xbe")):
                raise ApplicationError(refused % {"name": name, "part": member.filename})
        if names and names[0] == "mimetype":
            with archive.open("mimetype") as part:
                kind = _ODF_MIMETYPES.get(part.read(100).strip())
            if kind is not None:
                return kind
        elif "[Content_Types].xml" in names:
            with archive.open("[Content_Types].xml") as part:
                types = part.read(1024 * 1024).lower()
            if any(marker in types for marker in _MACRO_MARKERS):
                raise ApplicationError(refused % {"name": name, "part": "[Content_Types].xml"})
            kinds = {kind for part, kind in _OOXML_MAIN.items() if part in names}
            if len(kinds) == 1:
                return kinds.pop()
    upload.seek(0)
    raise _not_accepted(upload)


def _not_accepted(upload) -> ApplicationError:
    return ApplicationError(_(
        "“%(name)s” is not a PDF, an image (PNG, JPEG) or an office document; other files are not accepted."
    ) % {"name": file_label(upload)})


def evidence_kind(upload) -> FileKind:
    """The kind of an evidence file, from its content, checked against its name; ApplicationError otherwise."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(_OLE):
        raise ApplicationError(_("“%(name)s” is an old-format Office file or an installer (.doc, .xls, .ppt, "
                                 ".msi); these are not accepted: save it as PDF, .docx or .xlsx and upload it "
                                 "again.") % {"name": file_label(upload)})
    elif head.startswith(_ZIP):
        kind = _zip_kind(upload)
    else:
        raise _not_accepted(upload)
    extension = posixpath.splitext(file_label(upload).lower())[1]
    if extension not in kind.extensions:
        raise ApplicationError(_("“%(name)s” is a %(kind)s file but its name ends in “%(extension)s”: rename it "
                                 "to end in %(expected)s and upload it again.") % {
            "name": file_label(upload), "kind": kind.label, "extension": extension or "—",
            "expected": kind.extension})
    return kind


def safe_file_name(name: str, *, extension: str, fallback: str = "tep") -> str:
    """A name to offer for download: no path, no control or quote characters, the extension of its real kind."""
    stem = posixpath.splitext(posixpath.basename(name.replace("\\", "/")))[0]
    stem = "".join(ch for ch in unicodedata.normalize("NFC", stem)
                   if unicodedata.category(ch)[0] in "LNZ" or ch in "-_.()")
    stem = re.sub(r"\s+", " ", stem).strip(" .")[:120] or fallback
    return f"{stem}{extension}"


# --- workbooks to import ----------------------------------------------------------------------------------------


def _xml_events(archive: zipfile.ZipFile, part: str, events=("start",)):
    with archive.open(part) as stream:
        yield from iterparse(stream, events=events, forbid_dtd=True, forbid_entities=True,
                             forbid_external=True)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_names(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Worksheet part → the name a person sees on its tab."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets = {}
    for _event, element in _xml_events(archive, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            targets[element.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    sheets = {}
    for _event, element in _xml_events(archive, "xl/workbook.xml"):
        if _local(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if rid in targets:
                sheets[targets[rid]] = element.get("name", "")
    return sheets


def xlsx_inspect(upload, *, max_rows: int, max_cols: int) -> None:
    """Refuse, before openpyxl reads it, a workbook that is not a plain .xlsx or holds more than the template can:
    a zip bomb, a cell far away (row 1,048,576), more rows or columns than allowed, malformed or hostile XML."""
    name = file_label(upload)
    limit = settings.PORTAL_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ApplicationError(_("The file is %(size)s MB; an import may be at most %(limit)s MB.") % {
            "size": f"{upload.size / 2**20:.1f}".replace(".", ","), "limit": f"{limit / 2**20:.0f}"})
    head = _head(upload, 8)
    if head.startswith(_OLE):
        raise ApplicationError(_("The file is protected with a password (or is an old .xls file): save it as an "
                                 "ordinary .xlsx workbook without a password and upload it again."))
    if not head.startswith(b"PK"):
        raise ApplicationError(_("The file is not an Excel workbook (.xlsx)."))
    is_zip = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not is_zip:
        raise ApplicationError(_("The workbook cannot be read: open it in Excel, save it again as .xlsx and upload "
                                 "it again."))
    members = zip_inspect(upload)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise ApplicationError(_("The file is not an Excel workbook (.xlsx)."))
    if any(_forbidden_part(member.filename.lower()) for member in members):
        raise ApplicationError(_("The workbook contains macros or binary parts: save it as an ordinary .xlsx "
                                 "workbook and upload it again."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            # Every XML part through defusedxml: malformed XML or an entity trick is refused here, not in openpyxl.
            sheets = _sheet_names(archive, names)
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                if member.filename.startswith("xl/worksheets/") and member.filename.count("/") == 2:
                    _sheet_inspect(archive, member.filename, sheets.get(member.filename, member.filename),
                                   max_rows=max_rows, max_cols=max_cols)
                else:
                    _part_inspect(archive, member.filename, max_strings=max_rows * max_cols)
    except ApplicationError:
        raise
    except (SyntaxError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        logger.info("Refused workbook %s: %s", name, exc)
        raise ApplicationError(_("The workbook is damaged (its inner XML cannot be read): open it in Excel, save "
                                 "it again as .xlsx and upload it again.")) from exc
    finally:
        upload.seek(0)


def _part_inspect(archive: zipfile.ZipFile, part: str, *, max_strings: int) -> None:
    """Any other part, streamed: well-formed, no cell text longer than Excel allows, and no more shared strings
    than the sheet's allowed cells could use (openpyxl would hold every one of them in memory)."""
    strings = 0
    for _event, element in _xml_events(archive, part, events=("end",)):
        if element.text and len(element.text) > EXCEL_MAX_TEXT:
            raise ApplicationError(_("The workbook holds a text longer than Excel allows (%(limit)s characters): "
                                     "it was not made by Excel; save it again from Excel and upload it again.")
                                   % {"limit": f"{EXCEL_MAX_TEXT:,}".replace(",", ".")})
        if part == "xl/sharedStrings.xml" and _local(element.tag) == "si":
            strings += 1
            if strings > max_strings:
                raise ApplicationError(_("The workbook holds more texts than this template's cells can (at most "
                                         "%(limit)s): copy only the template's rows into a new file and upload it "
                                         "again.") % {"limit": f"{max_strings:,}".replace(",", ".")})
        element.clear()


def _sheet_inspect(archive: zipfile.ZipFile, part: str, sheet: str, *, max_rows: int, max_cols: int) -> None:
    def refuse(row: int, column: int):
        raise ApplicationError(_(
            "Sheet “%(sheet)s” reaches row %(row)s, column %(column)s; this template holds at most %(max_rows)s "
            "rows and %(max_cols)s columns. Copy only the template's rows into a new file and upload it again."
        ) % {"sheet": sheet, "row": f"{row:,}".replace(",", "."), "column": get_column_letter(max(column, 1)),
             "max_rows": f"{max_rows:,}".replace(",", "."), "max_cols": max_cols})

    rows = 0
    for event, element in _xml_events(archive, part, events=("start", "end")):
        tag = _local(element.tag)
        if event == "end":
            if element.text and len(element.text) > EXCEL_MAX_TEXT:
                raise ApplicationError(_("The workbook holds a text longer than Excel allows (%(limit)s characters): "
                                         "it was not made by Excel; save it again from Excel and upload it again.")
                                       % {"limit": f"{EXCEL_MAX_TEXT:,}".replace(",", ".")})
            if tag == "row":
                element.clear()  # the sheet's rows are counted, not kept
            continue
        if tag == "dimension":
            try:
                _min_col, _min_row, max_col, max_row = range_boundaries(element.get("ref", "A1"))
            except (ValueError, TypeError):
                continue
            if (max_row or 0) > max_rows or (max_col or 0) > max_cols:
                refuse(max_row or 0, max_col or 0)
        elif tag == "row":
            rows += 1
            try:
                number = int(element.get("r") or rows)
            except ValueError:
                number = rows
            if rows > max_rows or number > max_rows:
                refuse(max(rows, number), 0)
        elif tag == "c":
            # "AB12": split by hand, this runs once per cell (openpyxl's regex doubled the cost of a good file).
            ref = element.get("r") or ""
            letters = ref.rstrip("0123456789")
            digits = ref[len(letters):]
            if not digits or not letters.isalpha() or len(letters) > 3:
                continue
            number, column = int(digits), column_index_from_string(letters.upper())
            if number > max_rows or column > max_cols:
                refuse(number, column)


# --- the request itself ---------------------------------------------------------------------------------------


class RequestSizeLimitMiddleware:
    """Refuse a body larger than any upload may be from its Content-Length alone, before anything reads it (the
    CSRF check would otherwise read the whole multipart body). The reverse proxy's limit sits just above this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.PORTAL_REQUEST_MAX_BYTES
        if length > limit:
            logger.info("Refused a %s-byte request to %s", length, request.path)
            return render(request, "core/request_too_large.html", {
                "size": number_format(length / 2**20), "limit": number_format(limit / 2**20)}, status=413)
        return self.get_response(request)
