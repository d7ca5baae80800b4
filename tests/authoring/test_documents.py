"""A plan document's text, from .txt, .docx and .pdf; and every upload refused with a message a person can act on."""

import datetime as dt
import io
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from authoring.documents import document_text
from authoring.extract import candidates_extract
from authoring.reading import recurrence_read
from core.exceptions import ApplicationError

PLAN = "KẾ HOẠCH chuyển đổi số năm 2026\n\n- 100% văn bản không mật được ký số.\n"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ApplicationError) as caught:
        document_text(upload(name, data))
    return caught.value.message


@pytest.mark.parametrize("data", [
    PLAN.encode("utf-8"),
    b"\xef\xbb\xbf" + PLAN.encode("utf-8"),  # UTF-8 with its byte-order mark, as Notepad saves it
    PLAN.encode("utf-16"),  # UTF-16 with its mark (little-endian here)
    "\ufeff".encode("utf-16-be") + PLAN.encode("utf-16-be"),
])
def test_text_in_utf8_or_utf16_is_read(data):
    document = document_text(upload("ke-hoach.txt", data))
    assert (document.text, document.name, document.kind) == (PLAN, "ke-hoach.txt", "txt")


def test_text_in_another_encoding_is_refused():
    message = refusal("ke-hoach.txt", PLAN.encode("cp1258", errors="replace").replace(b"?", b"\xf2"))
    assert "UTF-8" in message and "ke-hoach.txt" in message


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(body: str, *, numbering: str = "") -> bytes:
    """A minimal Word document: the three parts Word itself needs, the body given, and list definitions if any."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}>'
                                              f"<w:body>{body}</w:body></w:document>")
        if numbering:
            archive.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>'
                                                   f"{numbering}</w:numbering>")
    return buffer.getvalue()


def paragraph(text: str, *, bullet: bool = False, num: tuple[int, int] | None = None) -> str:
    """A paragraph; `bullet` puts it in list 1, `num` = (list, level) in a list numbering.xml defines."""
    list_id, level = num or ((1, 0) if bullet else (None, 0))
    numbering = (f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/></w:numPr></w:pPr>'
                 if list_id else "")
    return f"<w:p>{numbering}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>" for cell in cells) + "</w:tr>"


def test_a_word_document_gives_its_paragraphs_and_table_rows_in_order():
    body = (paragraph("KẾ HOẠCH chuyển đổi số năm 2026") + paragraph("100% văn bản được ký số.", bullet=True)
            + paragraph("PHỤ LỤC") + "<w:tbl>" + row("STT", "Nội dung", "Đơn vị chủ trì")
            + row("1", "Nâng cấp Trung tâm dữ liệu", "Phòng CĐS") + "</w:tbl>" + paragraph("Nơi nhận:"))
    document = document_text(upload("ke-hoach.docx", docx_bytes(body)))
    assert document.kind == "docx"
    # A bulleted paragraph keeps its bullet; a table row is one line, its cells separated by " | ".
    assert document.text == (
        "KẾ HOẠCH chuyển đổi số năm 2026\n\n- 100% văn bản được ký số.\n\nPHỤ LỤC\n\n"
        "STT | Nội dung | Đơn vị chủ trì\n1 | Nâng cấp Trung tâm dữ liệu | Phòng CĐS\n\nNơi nhận:\n")


LISTS = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
)


def test_word_numbering_is_written_out_so_headings_carry_their_years():
    body = (paragraph("KẾ HOẠCH chuyển đổi số giai đoạn 2025 - 2028")
            + paragraph("MỤC ĐÍCH, YÊU CẦU", num=(5, 0)) + paragraph("MỤC TIÊU", num=(5, 0))
            + paragraph("Mục tiêu cụ thể", num=(5, 1)) + paragraph("Năm 2027", num=(5, 2))
            + paragraph("70% các ứng dụng số được triển khai.", num=(6, 0)) + paragraph("Năm 2028", num=(5, 2))
            + paragraph("100% các ứng dụng số được triển khai.", num=(6, 0)))
    document = document_text(upload("ke-hoach.docx", docx_bytes(body, numbering=LISTS)))
    # Roman numerals count the top level (I, II), a new top-level item restarts the levels under it (1., a., b.).
    assert document.text == (
        "KẾ HOẠCH chuyển đổi số giai đoạn 2025 - 2028\n\nI. MỤC ĐÍCH, YÊU CẦU\n\nII. MỤC TIÊU\n\n"
        "1. Mục tiêu cụ thể\n\na. Năm 2027\n\n- 70% các ứng dụng số được triển khai.\n\nb. Năm 2028\n\n"
        "- 100% các ứng dụng số được triển khai.\n")
    found = [(c.value, c.due) for c in candidates_extract(document.text, catalogue=[])]
    assert found == [(70, dt.date(2027, 12, 31)), (100, dt.date(2028, 12, 31))]


def test_an_appendix_table_in_word_gives_its_tasks():
    body = (paragraph("PHỤ LỤC PHÂN CÔNG NHIỆM VỤ") + "<w:tbl>"
            + row("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
                  "Sản phẩm dự kiến")
            + row("1", "Chuyển đổi dữ liệu sang phần mềm mới", "Phòng CĐS - Cơ yếu", "Phòng Hành chính - Lưu trữ",
                  "Quý II/2026", "Báo cáo kết quả chuyển đổi dữ liệu.")
            + "</w:tbl>")
    document = document_text(upload("phu-luc.docx", docx_bytes(body)))
    (task,) = candidates_extract(document.text, catalogue=[])
    assert (task.kind, task.clause, task.lead, task.cooperating, task.due, task.output) == (
        "task", "Chuyển đổi dữ liệu sang phần mềm mới", "Phòng CĐS - Cơ yếu", "Phòng Hành chính - Lưu trữ",
        dt.date(2026, 6, 30), "- Báo cáo kết quả chuyển đổi dữ liệu.")  # Quý II/2026 ends 30/06/2026


def test_a_word_document_with_a_macro_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes(paragraph("x")))) as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    message = refusal("ke-hoach.docx", buffer.getvalue())
    assert "vbaProject.bin" in message


def test_an_old_word_file_is_refused_with_the_way_to_save_it():
    message = refusal("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert ".doc" in message and ".docx" in message
    # The header decides, whatever the name says.
    assert ".docx" in refusal("ke-hoach.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_an_unknown_type_and_an_empty_document_are_refused():
    assert ".docx" in refusal("bang.xlsx", b"PK\x03\x04rest")
    assert "ke-hoach.txt" in refusal("ke-hoach.txt", b"")
    assert "ke-hoach.txt" in refusal("ke-hoach.txt", b"   \n\n  ")
    assert "ke-hoach.docx" in refusal("ke-hoach.docx", docx_bytes(""))


@override_settings(PORTAL_PLAN_DOCUMENT_MAX_BYTES=1024)
def test_a_document_over_the_size_limit_is_refused_before_it_is_read():
    message = refusal("ke-hoach.pdf", b"%PDF-1.4\n" + b"x" * 2048)  # 2 KB + 9 bytes against a 1 KB limit
    assert "ke-hoach.pdf" in message and "MB" in message


def _pdf(content: bytes) -> bytes:
    """A minimal valid PDF of one page whose content stream is `content`, with a Helvetica font for its text."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_pdf_with_a_text_layer_gives_its_text():
    document = document_text(upload("plan.pdf", _pdf(b"BT /F1 12 Tf 72 700 Td (- 100% documents signed.) Tj ET")))
    assert document.kind == "pdf"
    assert "- 100% documents signed." in document.text


def test_a_scanned_pdf_without_text_is_refused():
    message = refusal("scan.pdf", _pdf(b"0 0 1 rg 72 72 200 200 re f"))  # a filled square, no text
    assert "scan.pdf" in message and "văn bản" in message.lower()


def test_a_file_named_pdf_that_is_not_one_is_refused():
    assert "plan.pdf" in refusal("plan.pdf", b"not a pdf at all")


@pytest.mark.libreoffice
def test_a_pdf_exported_by_libreoffice_reads_back_the_plans_vietnamese(tmp_path):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(docx_bytes(paragraph("KẾ HOẠCH chuyển đổi số năm 2026")
                                  + paragraph("- 100% văn bản không mật được ký số.")))
    subprocess.run([shutil.which("libreoffice") or "libreoffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    document = document_text(upload("ke-hoach.pdf", (tmp_path / "ke-hoach.pdf").read_bytes()))
    assert document.text == "KẾ HOẠCH chuyển đổi số năm 2026\n- 100% văn bản không mật được ký số.\n"


def test_glyphs_a_pdf_cannot_name_are_dropped_rather_than_shown_as_codes():
    # Code 3 is given no character in the font's encoding: pdfminer writes it "(cid:3)"; the reading drops it.
    document = document_text(upload("plan.pdf", _pdf(b"BT /F1 12 Tf 72 700 Td (100% ky\\003so) Tj ET")))
    assert "(cid:" not in document.text


def test_a_pdf_whose_font_names_few_of_its_letters_is_refused_rather_than_read_wrong():
    # "C\003n c\003 Ngh\003 \003nh s\003 " ×10: 5 × 10 = 50 unnamed glyphs and 9 × 10 = 90 letters, 50 / 140 = 35,7%
    # missing, shown "36%": the reading would propose from "Cn c Ngh nh s", so the upload is refused.
    line = b"C\\003n c\\003 Ngh\\003 \\003nh s\\003 " * 10
    message = refusal("ke-hoach.pdf", _pdf(b"BT /F1 12 Tf 72 700 Td (" + line + b") Tj ET"))
    assert "ke-hoach.pdf" in message and "thiếu 36% số chữ" in message and ".docx" in message


@pytest.mark.parametrize(("words", "recurrence"), [
    ("trước ngày 15 hằng tháng", "monthly"),
    ("trước ngày 15 hàng tháng", "monthly"),
    ("định kỳ mỗi tháng", "monthly"),
    ("BÁO CÁO HẰNG THÁNG", "monthly"),
    (unicodedata.normalize("NFD", "trước ngày 20 hằng tháng"), "monthly"),  # diacritics as separate marks
    ("truoc ngay 15 hang thang", "monthly"),  # typed without diacritics
    ("trước ngày 20 hằng quý", "quarterly"),
    ("Thực hiện thường xuyên, báo cáo hàng quý", "quarterly"),
    ("mỗi quý một lần", "quarterly"),
    ("trước ngày 30/11 hằng năm", ""),  # yearly: no recurrence in the model, a first deadline instead
    ("Hằng năm", ""),
    ("Thường xuyên", ""),
    ("Quý II/2026", ""),
    ("tháng 12/2026", ""),
    ("mặt hàng thiết yếu", ""),
    ("", ""),
])
def test_the_recurrence_a_deadlines_words_name(words, recurrence):
    assert recurrence_read(words) == recurrence


def test_a_tables_number_cell_numbered_by_word_gives_its_number_and_a_person_may_be_the_lead():
    numbered = '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="5"/></w:numPr></w:pPr></w:p>'  # empty: "1."

    def task_row(task: str, person: str) -> str:
        return f"<w:tr><w:tc>{numbered}</w:tc><w:tc>{paragraph(task)}</w:tc><w:tc>{paragraph(person)}</w:tc></w:tr>"

    body = (paragraph("KẾ HOẠCH kiểm tra năm 2026") + paragraph("PHỤ LỤC") + "<w:tbl>"
            + row("TT", "Nhiệm vụ thực hiện", "Người thực hiện")
            + task_row("Xây dựng bài kiểm tra, đáp án", "Vũ Việt Linh")
            + task_row("Tổ chức chấm bài", "Đỗ Mạnh Cường") + "</w:tbl>")
    document = document_text(upload("ke-hoach.docx", docx_bytes(body, numbering=LISTS)))
    # Word shows "1." and "2." in the empty numbered cells; the rows read as tasks, the person who does each its lead.
    assert "1. | Xây dựng bài kiểm tra, đáp án | Vũ Việt Linh" in document.text
    assert "2. | Tổ chức chấm bài | Đỗ Mạnh Cường" in document.text
    found = [(c.kind, c.clause, c.lead) for c in candidates_extract(document.text, catalogue=[])]
    assert found == [("task", "Xây dựng bài kiểm tra, đáp án", "Vũ Việt Linh"),
                     ("task", "Tổ chức chấm bài", "Đỗ Mạnh Cường")]


# --- a PDF's tables ------------------------------------------------------------------------------------------------


def _text_at(x: int, y: int, text: str) -> bytes:
    return b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (x, y, text.encode("latin-1"))


def _ruled_line(x0: int, y0: int, x1: int, y1: int, *, thin_rectangles: bool) -> bytes:
    """A border as a stroked line (LibreOffice) or as a thin filled rectangle (Word)."""
    if thin_rectangles:
        return b"%.1f %.1f %.1f %.1f re f" % (x0 - 0.25, y0 - 0.25, x1 - x0 + 0.5, y1 - y0 + 0.5)
    return b"%d %d m %d %d l S" % (x0, y0, x1, y1)


def _table_page(*, thin_rectangles: bool) -> bytes:
    """A heading, a table and a paragraph below it. Column lines at x 72, 120, 300, 450; row lines at y 740, 710, 680,
    650. The "1" cell spans rows 2 and 3 (no border under it at y 680); row 3's "Trien khai" spans columns 2 and 3
    (no border between them at x 300 below y 680). The content cell wraps over two lines."""
    borders = [(72, 740, 450, 740), (72, 710, 450, 710), (120, 680, 450, 680), (72, 650, 450, 650),  # rows
               (72, 650, 72, 740), (120, 650, 120, 740), (300, 680, 300, 740), (450, 650, 450, 740)]  # columns
    text = [_text_at(72, 780, "PHU LUC"),
            _text_at(76, 722, "TT"), _text_at(124, 722, "Noi dung"), _text_at(304, 722, "Chu tri"),
            _text_at(76, 677, "1"), _text_at(124, 698, "Lap ke hoach"), _text_at(124, 686, "so hoa"),
            _text_at(304, 692, "Van phong"), _text_at(124, 662, "Trien khai"),
            _text_at(72, 600, "Noi nhan:")]
    drawing = [_ruled_line(*border, thin_rectangles=thin_rectangles) for border in borders]
    return _pdf(b"\n".join(drawing + text))


@pytest.mark.parametrize("thin_rectangles", [False, True])
def test_a_pdf_table_gives_a_row_a_line_with_merged_cells_once(thin_rectangles):
    document = document_text(upload("phu-luc.pdf", _table_page(thin_rectangles=thin_rectangles)))
    # The heading above, the table a row a line, the paragraph below; the wrapped cell's two lines joined by a space;
    # the "1" spanning rows 2-3 given in row 2 and "-" in row 3, as a Word table's merged cell reads; "Trien khai"
    # spanning the last two columns given once, so row 3 has two cells.
    assert document.text == ("PHU LUC\n\nTT | Noi dung | Chu tri\n1 | Lap ke hoach so hoa | Van phong\n- | Trien khai"
                             "\n\nNoi nhan:\n")


def test_a_framed_paragraph_is_no_table_and_reads_as_before():
    # One column only (a box around a paragraph, or a page's frame): its lines stay lines.
    frame = b"72 640 m 450 640 l S 72 740 m 450 740 l S 72 640 m 72 740 l S 450 640 m 450 740 l S"
    document = document_text(upload("khung.pdf", _pdf(frame + b"\n" + _text_at(80, 720, "Noi dung mot")
                                                      + b"\n" + _text_at(80, 708, "Noi dung hai"))))
    assert document.text == "Noi dung mot\nNoi dung hai\n"


APPENDIX_HTML = """<html><head><meta charset="utf-8"></head><body>
<p>KẾ HOẠCH chuyển đổi số năm 2026</p>
<p>Các cơ quan, đơn vị triển khai các nhiệm vụ tại Phụ lục kèm theo.</p>
<p>PHỤ LỤC</p><p>CÁC NHIỆM VỤ</p>
<table border="1" width="100%">
<tr><td width="5%">TT</td><td width="43%">Nhiệm vụ</td><td width="18%">Cơ quan chủ trì</td>
<td width="17%">Cơ quan phối hợp</td><td width="17%">Thời gian thực hiện</td></tr>
<tr><td>1</td><td>Xây dựng, ban hành Kế hoạch hoặc Chương trình hành động của Ủy ban nhân dân tỉnh để triển khai thực
hiện Chương trình hành động này</td><td>Đảng ủy Ủy ban nhân dân tỉnh</td><td>Các sở, ngành</td>
<td>Trước ngày 15/10/2026</td></tr>
<tr><td>2</td><td>Rà soát, hoàn thành đầu tư hạ tầng cơ sở xử lý chất thải rắn sinh hoạt</td><td>Văn phòng Tỉnh ủy</td>
<td>Ban Tổ chức Tỉnh ủy</td><td>Quý IV/2026</td></tr>
<tr><td>3</td><td>Số hóa hồ sơ đảng viên</td><td>Ban Tổ chức Tỉnh ủy</td><td>Văn phòng Tỉnh ủy</td>
<td>Trước ngày 30/6/2027</td></tr>
</table>
<p>Nơi nhận: Như trên.</p>
</body></html>
"""


@pytest.mark.libreoffice
def test_an_appendix_table_in_a_pdf_exported_by_libreoffice_reads_a_row_a_line_and_gives_its_tasks(tmp_path):
    source = tmp_path / "phu-luc.html"
    source.write_text(APPENDIX_HTML, encoding="utf-8")
    # Writer's own HTML filter, so the page is laid out as a document: the content cell wraps over five lines, the
    # number cells are centred between the row's borders.
    subprocess.run([shutil.which("libreoffice") or "libreoffice", "--headless", "--infilter=HTML (StarWriter)",
                    "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    document = document_text(upload("phu-luc.pdf", (tmp_path / "phu-luc.pdf").read_bytes()))
    assert document.kind == "pdf"
    assert document.text == (
        "KẾ HOẠCH chuyển đổi số năm 2026\n\nCác cơ quan, đơn vị triển khai các nhiệm vụ tại Phụ lục kèm theo.\n\n"
        "PHỤ LỤC\n\nCÁC NHIỆM VỤ\n\n"
        "TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện\n"
        "1 | Xây dựng, ban hành Kế hoạch hoặc Chương trình hành động của Ủy ban nhân dân tỉnh để triển khai thực hiện "
        "Chương trình hành động này | Đảng ủy Ủy ban nhân dân tỉnh | Các sở, ngành | Trước ngày 15/10/2026\n"
        "2 | Rà soát, hoàn thành đầu tư hạ tầng cơ sở xử lý chất thải rắn sinh hoạt | Văn phòng Tỉnh ủy | "
        "Ban Tổ chức Tỉnh ủy | Quý IV/2026\n"
        "3 | Số hóa hồ sơ đảng viên | Ban Tổ chức Tỉnh ủy | Văn phòng Tỉnh ủy | Trước ngày 30/6/2027\n\n"
        "Nơi nhận: Như trên.\n")
    tasks = [(c.kind, c.clause, c.lead, c.cooperating, c.due) for c in candidates_extract(document.text, catalogue=[])]
    assert tasks == [
        ("task", "Xây dựng, ban hành Kế hoạch hoặc Chương trình hành động của Ủy ban nhân dân tỉnh để triển khai thực "
                 "hiện Chương trình hành động này", "Đảng ủy Ủy ban nhân dân tỉnh", "Các sở, ngành",
         dt.date(2026, 10, 14)),  # "Trước ngày 15/10/2026": done by the day before, 14/10/2026
        ("task", "Rà soát, hoàn thành đầu tư hạ tầng cơ sở xử lý chất thải rắn sinh hoạt", "Văn phòng Tỉnh ủy",
         "Ban Tổ chức Tỉnh ủy", dt.date(2026, 12, 31)),  # Quý IV/2026 ends 31/12/2026
        ("task", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy",
         dt.date(2027, 6, 29)),  # "Trước ngày 30/6/2027": 29/06/2027
    ]


def _boxed_row(top: int, left: str, right: str) -> list[bytes]:
    """A table of one row and two columns, its borders 30 points apart, between x 72 and 400 (column line at 200)."""
    bottom = top - 30
    borders = [(72, top, 400, top), (72, bottom, 400, bottom),
               (72, bottom, 72, top), (200, bottom, 200, top), (400, bottom, 400, top)]
    return ([_ruled_line(*border, thin_rectangles=False) for border in borders]
            + [_text_at(76, top - 20, left), _text_at(204, top - 20, right)])


def test_two_tables_on_a_page_keep_the_paragraph_between_them_in_its_place():
    content = (_boxed_row(760, "Bang mot", "A") + [_text_at(72, 700, "Giua hai bang")]
               + _boxed_row(660, "Bang hai", "B") + [_text_at(72, 600, "Cuoi trang")])
    document = document_text(upload("hai-bang.pdf", _pdf(b"\n".join(content))))
    # Each table's grid is its own (the paragraph between is no row of either), each in its place on the page.
    assert document.text == "Bang mot | A\n\nGiua hai bang\n\nBang hai | B\n\nCuoi trang\n"
