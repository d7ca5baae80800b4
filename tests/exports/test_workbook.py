import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl.utils import column_index_from_string

from compliance.models import ComplianceResult
from core.periods import Quarter
from exports.document import document_xml
from exports.models import ExportJob
from exports.workbook import export_data
from plans.models import Plan, PlanTask
from tests.compliance.helpers import OCT, october_computed
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def computed(tree):
    PlanTask.objects.create(plan=Plan.objects.get(issuer=tree.province), number=1, title="Số hóa hồ sơ lưu trữ",
                            lead_text="Văn phòng", due_text="Quý III và Quý IV/2026", expected_output="Kho số")
    return october_computed(tree)


def _files(tmp_path, tree) -> tuple[Path, Path]:
    call_command("export_quarterly_report", "--unit", tree.province.code, "--quarter", "2026-Q4", "--output-dir",
                 str(tmp_path / "out"), "--no-pdf")
    return (tmp_path / "out" / "bao-cao-cds-p-2026-q4.docx", tmp_path / "out" / "phu-luc-cds-p-2026-q4.xlsx")


def paragraphs(docx: Path) -> list[str]:
    root = ElementTree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_the_annexes_are_numbered_and_carry_the_engines_numbers(computed, tmp_path):
    book = openpyxl.load_workbook(_files(tmp_path, computed)[1])
    assert book.sheetnames == ["PL1 Tổng hợp", "PL2.1 Ứng dụng số", "PL3 Nộp báo cáo", "PL4 Nhiệm vụ"]
    summary = book["PL1 Tổng hợp"]
    heading = [summary.cell(row=row, column=1).value for row in range(1, 5)]
    assert heading[:2] == ["Phụ lục 1", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ QUÝ IV/2026"]
    assert heading[2].startswith("(Kèm theo Báo cáo số …-BC/")
    # Every annex repeats its header row on each printed page, at 100%: nothing is shrunk to fit.
    assert summary.print_title_rows == "$6:$6" and summary.freeze_panes == "A7"
    assert summary.page_setup.orientation == "landscape" and int(summary.page_setup.paperSize) == 9
    # No scale stored is 100% (the standard's default); LibreOffice's print test checks the printed sizes.
    assert not summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.scale in (None, 100)
    rows = {row[1].value: row for row in summary.iter_rows(min_row=7) if row[1].value and row[2].value}
    signed = rows[computed.signed.name]
    total = ComplianceResult.objects.get(run__is_current=True, unit=computed.province, indicator=computed.signed)
    # The province's plan binds wards and cells; its target is judged on the province's total:
    # (80 + 1)/(100 + 2) = 81/102 = 79,41%, C1 silent; the path on 31/10 needs 100×303/364 = 83,24%;
    # 3,83 short → at risk.
    assert (total.sub_numerator, total.sub_denominator, total.sub_status) == (81, 102, "at_risk")
    assert [c.value for c in signed[2:6]] == [computed.province.name, total.target.held_label, 81, 102]
    # The rate as the engine keeps it (two decimals of a percent): 81/102 = 79,41% → 0.7941.
    assert signed[6].value == pytest.approx(0.7941) and signed[6].number_format == "[$-42A]0.0%"
    assert signed[4].number_format == "[$-42A]#,##0" and signed[7].value == "Có nguy cơ"
    # What the eye checks: the status coloured (at risk: FBE8C2), Times New Roman, a bold header on its grey fill,
    # the heading merged across the first page (5+30+18+18+8+8+7+12 = 106 width units ≤ 110: all eight columns),
    # each column as wide as it was drawn, the page number in the footer.
    assert signed[7].fill.fgColor.rgb == "FFFBE8C2" and signed[1].font.name == "Times New Roman"
    header = summary.cell(row=6, column=2)
    assert header.font.b and header.fill.fgColor.rgb == "FFDDE3EA" and header.alignment.wrap_text
    assert {"A1:H1", "A2:H2", "A3:H3", "A4:H4"} <= {str(merged) for merged in summary.merged_cells.ranges}
    assert column_widths(summary) == [5, 30, 18, 18, 8, 8, 7, 12]
    assert summary.oddFooter.center.text == "&P/&N" and summary.oddFooter.center.size == 10
    # Numbers stay numbers, text stays text.
    assert [signed[index].data_type for index in (0, 1, 4, 5, 6)] == ["n", "s", "n", "n", "n"]
    ai = rows[computed.ai.name]
    ai_total = ComplianceResult.objects.get(run__is_current=True, unit=computed.province, indicator=computed.ai)
    assert [c.value for c in ai[4:6]] == [ai_total.sub_meeting, ai_total.sub_expected]

    group = book["PL2.1 Ứng dụng số"]
    assert group.freeze_panes == "C8" and group.print_title_rows == "$6:$7" and group.print_title_cols == "$A:$B"
    codes = [row[0].value for row in group.iter_rows(min_row=8) if row[0].value]
    # The ward closed in 2025 is left out; the one opened in December has no target yet: one line, not an empty row.
    assert codes[:4] == ["P", "P.W1", "P.W1.C1", "P.W2"]
    assert codes[4] == "1 đơn vị không có chỉ tiêu nào của nhóm này: P.NEW"
    # Each indicator's name is merged over its four columns (C6:F6, G6:J6), its columns 7, 7, 7 and 9 wide.
    assert {"C6:F6", "G6:J6"} <= {str(merged) for merged in group.merged_cells.ranges}
    assert column_widths(group)[2:6] == [7, 7, 7, 9]
    by_code = {row[0].value: row for row in group.iter_rows(min_row=8)}
    assert by_code["P.W1.C1"][1].alignment.indent == 2  # a cell two levels below the province
    columns = {cell.value: index for index, cell in enumerate(next(group.iter_rows(min_row=6, max_row=6)))}
    signed_at = columns[computed.signed.name]
    assert [c.value for c in by_code["P.W1"][signed_at:signed_at + 3]] == [80, 100, pytest.approx(0.8)]  # 80/100
    # The cell reported nothing: no "0,0%" and no "0/1", its status says so.
    assert [c.value for c in by_code["P.W1.C1"][signed_at:signed_at + 4]] == [None, None, None, "Chưa có số liệu"]

    reporting = book["PL3 Nộp báo cáo"]
    province = next(row for row in reporting.iter_rows(min_row=7) if row[0].value == computed.province.code)
    # October only is computed: 3 expected (W1, W2, C1), W1 and W2 on time, C1 missing; 2/3 = 66,7% on time.
    assert [c.value for c in province[3:8]] == [3, 2, 0, 1, pytest.approx(2 / 3)]

    tasks = book["PL4 Nhiệm vụ"]
    task = [c.value for c in next(tasks.iter_rows(min_row=7))]
    assert task[1:3] == [1, "Số hóa hồ sơ lưu trữ"] and task[5] == "Quý III và Quý IV/2026"
    assert task[6] == "Đúng tiến độ"  # computed by tasks.status: no dated deadline, nothing reported yet


def test_the_body_has_the_party_layout_and_quotes_the_annexes(computed, tmp_path):
    docx, _xlsx = _files(tmp_path, computed)
    text = paragraphs(docx)
    for element in ("ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số …-BC/…", "BÁO CÁO",
                    "kết quả thực hiện chuyển đổi số Quý IV/2026", "I. KẾT QUẢ THỰC HIỆN",
                    "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ I/2027", "Nơi nhận:",
                    "T/M BAN THƯỜNG VỤ"):
        assert element in text, element
    assert f"{computed.province.name}, ngày … tháng … năm 2026" in text  # the place, then the date left open
    assert "[Văn phòng bổ sung: những tồn tại, hạn chế và nguyên nhân.]" in text
    # 81/102 → 79,4%, at risk, quoted with the province's figures (the same as Phụ lục 1).
    assert any(line.startswith(f"+ {computed.signed.name} ({computed.province.name}): 81/102 (79,4%), chỉ tiêu ≥ 100%")
               for line in text)
    # 3 reports expected over the quarter, 2 on time (2/3 = 66,7%), none late, 1 missing (as Phụ lục 3).
    assert ("Trong các tháng của quý, có 3 lượt báo cáo tháng phải nộp; đã nộp đúng hạn 2 (66,7%), nộp trễ hạn 0, "
            "chưa nộp 1.") in text
    # The task has no dated deadline and nothing reported: computed as on track (tasks.status), as Phụ lục 4 says.
    assert "Các kế hoạch giao 1 nhiệm vụ; trong đó: đúng tiến độ 1." in text
    assert "- Phụ lục 1: Kết quả thực hiện các chỉ tiêu chuyển đổi số Quý IV/2026." in text
    # Page numbers at the top, from the second page on; A4 with margins 20/20/30/15 mm.
    package = zipfile.ZipFile(docx)
    assert " PAGE " in package.read("word/header1.xml").decode()
    section = ElementTree.fromstring(package.read("word/document.xml")).find(f"{W}body/{W}sectPr")
    assert section.find(f"{W}titlePg") is not None
    size, margins = section.find(f"{W}pgSz").attrib, section.find(f"{W}pgMar").attrib
    assert (size[f"{W}w"], size[f"{W}h"]) == ("11906", "16838")  # 210 × 297 mm in twentieths of a point
    # 20 mm = 1134, 30 mm = 1701, 15 mm = 850 twentieths of a point (56,7 a millimetre).
    assert [margins[f"{W}{side}"] for side in ("top", "bottom", "left", "right")] == ["1134", "1134", "1701", "850"]


def test_a_lower_committee_names_its_superior_above_itself(computed):
    xml = document_xml(export_data(unit=computed.w1, quarter=Quarter(2026, 4)), OCT)
    root = ElementTree.fromstring(xml)
    first_cell = next(root.iter(f"{W}tc"))
    lines = ["".join(t.text for t in p.iter(f"{W}t")) for p in first_cell.iter(f"{W}p")]
    assert lines == [computed.province.name.upper(), computed.w1.name.upper(), "*"]


def test_a_reviewer_queues_the_export_and_downloads_both_files(client, computed, django_capture_on_commit_callbacks):
    reviewer = MembershipFactory(unit=computed.province, role=Membership.Role.REVIEWER).user
    clerk = MembershipFactory(unit=computed.w1, role=Membership.Role.CLERK).user
    client.force_login(clerk)
    response = client.post(reverse("exports:create"), {"unit": computed.w1.code, "quarter": "2026-Q4"},
                           follow=True)
    assert "Chỉ người duyệt" in response.content.decode() and not ExportJob.objects.exists()

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:create"),
                               {"unit": computed.province.code, "quarter": "2026-Q4"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job", kwargs={"pk": job.pk})
    assert job.state == ExportJob.State.DONE and job.progress == 100
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Tải báo cáo (.docx)" in page and "Tải phụ lục (.xlsx)" in page and "every 2s" not in page
    annexes = client.get(reverse("exports:file", kwargs={"pk": job.pk}))
    assert annexes.status_code == 200 and b"".join(annexes.streaming_content)[:2] == b"PK"
    body = client.get(reverse("exports:document", kwargs={"pk": job.pk}))
    assert body.status_code == 200 and body["Content-Disposition"].endswith('.docx"')
    assert b"".join(body.streaming_content)[:2] == b"PK"
    client.force_login(clerk)
    assert client.get(reverse("exports:file", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(reverse("exports:document", kwargs={"pk": job.pk})).status_code == 404


def test_every_printed_page_holds_whole_columns_at_100_percent(computed, tmp_path):
    """LibreOffice prints 110 width units across a landscape A4 page at 100%: each annex's columns fit, a group's
    indicators are split between pages only where a column break says so."""
    assert_pages_hold_whole_columns(openpyxl.load_workbook(_files(tmp_path, computed)[1]))


def column_widths(sheet) -> list[float]:
    """Each column's width, in order: neighbouring columns of one width are stored once, as a range (min–max)."""
    return [dimension.width for letter in sorted(sheet.column_dimensions, key=column_index_from_string)
            for dimension in [sheet.column_dimensions[letter]]
            for _column in range(dimension.min or 1, (dimension.max or dimension.min or 1) + 1)]


def assert_pages_hold_whole_columns(book) -> None:
    for sheet in book.worksheets:
        widths = column_widths(sheet)
        breaks = [0, *(brk.id for brk in sheet.col_breaks.brk), len(widths)]
        # After a break the code and unit columns print again (print titles A:B).
        strips = [sum(widths[:2]) * (start > 0) + sum(widths[start:end]) for start, end in
                  zip(breaks, breaks[1:], strict=False)]
        assert max(strips) <= 110, (sheet.title, strips)


def test_many_units_left_out_are_counted_by_kind():
    from exports.workbook import _left_out_words
    from units.models import Unit, UnitKind

    # 15 communes and 6 wards: 21 units, over the 20 listed by code.
    units = [Unit(code=f"X{n}", kind=UnitKind.COMMUNE) for n in range(15)] + [
        Unit(code=f"Y{n}", kind=UnitKind.WARD) for n in range(6)]
    assert _left_out_words(units) == "15 đảng ủy xã, 6 đảng ủy phường"
    assert _left_out_words(units[:2]) == "X0, X1"
