"""Hostile and broken workbooks, built in memory: shared by the upload tests and benchmarks/bench_bad_files.py."""

import io
import zipfile

import openpyxl

SHEET_PART = "xl/worksheets/sheet1.xml"
WORKSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def template_like(*, unit: str = "P1.X1", month: str = "2026-05", rows: int = 0, row_values=None) -> bytes:
    """A workbook laid out like the unit template ("Số liệu", B2 unit, B3 month), with `rows` extra rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws["B2"], ws["B3"] = unit, month
    values = row_values or ("khong_co", "Tên", "Nhóm", "mười", "hai", "có lẽ", "")
    for r in range(6, 6 + rows):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replace_part(xlsx: bytes, part: str, content: bytes | None = None, *, stream=None) -> bytes:
    """The same package with one part's bytes replaced (or added); `stream` yields chunks for a part too big to hold."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
        if stream is None:
            target.writestr(part, content)
        else:
            info = zipfile.ZipInfo(part)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as handle:
                for chunk in stream:
                    handle.write(chunk)
    return out.getvalue()


def bomb(*, megabytes: int = 2600) -> bytes:
    """A sheet of `megabytes` of blanks inside a file of about a hundred KB (the finding's was 121 KB → 2.6 GB)."""
    def chunks():
        yield f'<?xml version="1.0"?><worksheet xmlns="{WORKSHEET_NS}"><sheetData>'.encode()
        blank = b" " * 2**20
        for _ in range(megabytes):
            yield blank
        yield b"</sheetData></worksheet>"
    return replace_part(template_like(), SHEET_PART, stream=chunks())


def far_cell(*, keep_dimension: bool = True) -> bytes:
    """One cell at row 1,048,576: a few KB that once cost 21 s and 1.7 GB."""
    wb = openpyxl.load_workbook(io.BytesIO(template_like()))
    wb["Số liệu"].cell(row=1_048_576, column=1, value="x")
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if keep_dimension:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read(SHEET_PART).decode()
    start = sheet.index("<dimension")
    sheet = sheet[:start] + sheet[sheet.index("/>", start) + 2:]
    return replace_part(data, SHEET_PART, sheet.encode())


def many_rows(count: int = 100_000) -> bytes:
    """`count` rows of wrong figures below the template's heading, written as raw sheet XML (openpyxl takes 20 s)."""
    def cells(r: int, values) -> str:
        return "".join(f'<c r="{letter}{r}" t="inlineStr"><is><t>{value}</t></is></c>'
                       for letter, value in zip("ABCDEFG", values, strict=False))
    rows = [f'<row r="2">{cells(2, ("Mã đơn vị", "P1.X1"))}</row>',
            f'<row r="3">{cells(3, ("Tháng", "2026-05"))}</row>']
    rows += [f'<row r="{r}">{cells(r, ("ky_so", "Tên", "Nhóm", "mười", "hai", "có lẽ"))}</row>'
             for r in range(6, 6 + count)]
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{WORKSHEET_NS}"><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    return replace_part(template_like(), SHEET_PART, sheet.encode())


def malformed_xml(part: str = SHEET_PART) -> bytes:
    return replace_part(template_like(), part, b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c')


def entity_expansion() -> bytes:
    """The "billion laughs": entities that expand to gigabytes in a parser that allows them."""
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + "]>"
    laughs += f'<worksheet xmlns="{WORKSHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;' \
              '</t></is></c></row></sheetData></worksheet>'
    return replace_part(template_like(), SHEET_PART, laughs.encode())


def password_protected() -> bytes:
    """Excel saves a workbook with a password as an OLE compound file, not a zip."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096


def not_a_zip() -> bytes:
    return b"unit,indicator,numerator\nP1.X1,ky_so,1\n" * 100


def with_macros() -> bytes:
    return replace_part(template_like(), "xl/vbaProject.bin", b"\0" * 512)


def many_strings(count: int = 1_000_000) -> bytes:
    """A shared-strings table far larger than the sheet's cells could use: openpyxl would load every string."""
    table = (f'<?xml version="1.0"?><sst xmlns="{WORKSHEET_NS}" count="{count}" uniqueCount="{count}">'
             + "".join(f"<si><t>{i}</t></si>" for i in range(count)) + "</sst>")
    return replace_part(template_like(), "xl/sharedStrings.xml", table.encode())


def long_text(characters: int = 50_000_000) -> bytes:
    """One cell of 50 million characters: more than Excel can hold in a cell (32,767)."""
    sheet = (f'<?xml version="1.0"?><worksheet xmlns="{WORKSHEET_NS}"><sheetData><row r="2">'
             f'<c r="B2" t="inlineStr"><is><t>{"x" * characters}</t></is></c></row></sheetData></worksheet>')
    return replace_part(template_like(), SHEET_PART, sheet.encode())
