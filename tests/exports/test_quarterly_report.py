"""The quarterly report on the demo data, Quý III/2026 for Đồng Nai and Hải Phòng: the annexes carry the engine's
numbers, the body quotes the annexes, and both print legibly on A4."""

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command

from compliance.models import ComplianceResult, Status
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.services import quarterly_report_files_write
from tests.exports.pdf_pages import _text_sizes, pdf_pages, smallest_text
from tests.exports.test_workbook import assert_pages_hold_whole_columns, paragraphs
from units.models import Unit

pytestmark = pytest.mark.django_db
Q3 = Quarter(2026, 3)
NO_TARGET = "Chưa có chỉ tiêu áp dụng"
LABELS = {str(label): value for value, label in Status.choices}


@pytest.fixture
def demo(demo_seeded):
    for month in (7, 8, 9):
        compliance_compute(period=dt.date(2026, month, 1))


def _files(code: str, folder: Path):
    return quarterly_report_files_write(unit=Unit.objects.get(code=code), quarter=Q3, folder=folder)


def _engine(unit: Unit) -> dict:
    rows = ComplianceResult.objects.filter(run__is_current=True, run__period=dt.date(2026, 9, 1),
                                           unit__path__startswith=unit.path).select_related("unit", "indicator")
    return {(row.unit.name, row.indicator.name): row for row in rows}


def _summary_rows(book) -> list[tuple]:
    """Phụ lục 1's indicator rows: (indicator, judged at, target, achieved, total, rate, status)."""
    return [tuple(c.value for c in row[1:8]) for row in book.worksheets[0].iter_rows(min_row=7)
            if isinstance(row[0].value, int)]


def _expected_cells(result: ComplianceResult) -> list:
    """What an annex must print for a result, read from the engine's own fields."""
    if result.sub_numerator is None and result.done is None and result.sub_reporting == 0:
        return [None, None, None]  # nobody reported: no "0,0%", no "0/1"
    top, bottom = (result.sub_numerator, result.sub_denominator) if result.sub_numerator is not None else (
        result.sub_meeting, result.sub_expected)
    return [top, bottom, pytest.approx(float(result.sub_value) / 100)]


@pytest.mark.parametrize("code", ["DN", "HP"])
def test_the_annexes_carry_the_engines_numbers(demo, code, tmp_path):
    unit = Unit.objects.get(code=code)
    book = openpyxl.load_workbook(_files(code, tmp_path).workbook)
    assert_pages_hold_whole_columns(book)  # Hải Phòng's long codes once pushed Phụ lục 3's last column over
    engine = _engine(unit)
    summary = _summary_rows(book)
    # Every indicator of the province has its target and status filled: each is judged at the unit it measures.
    assert summary and all(row[1] != NO_TARGET and row[2] != "—" and row[6] in LABELS for row in summary)
    for indicator, judged_at, _target, achieved, total, rate, status in summary:
        result = engine[(judged_at, indicator)]
        assert [achieved, total, rate] == _expected_cells(result), (judged_at, indicator)
        assert LABELS[status] == result.sub_status
    compared = 0
    for sheet in book.worksheets[1:-2]:
        header = [c.value for c in next(sheet.iter_rows(min_row=6, max_row=6))]
        names = {unit.code: unit.name for unit in Unit.objects.filter(path__startswith=unit.path)}
        for row in sheet.iter_rows(min_row=8):
            if row[0].value not in names:
                continue
            for column, indicator in enumerate(header):
                if column < 2 or not indicator:
                    continue
                result = engine.get((names[row[0].value], indicator))
                cells = [c.value for c in row[column:column + 3]]
                assert all(value is None or isinstance(value, int | float) for value in cells)  # numbers, not text
                if result is not None:
                    assert cells == _expected_cells(result), (row[0].value, indicator)
                    compared += 1
    assert compared > 50


def _number(text: str) -> float:
    """'1.421' → 1421, '87,4' → 87.4: Vietnamese format back to a number."""
    return float(text.replace(".", "").replace(",", "."))


FIGURES = re.compile(r"(?P<top>[\d.]+)/(?P<bottom>[\d.]+) \((?P<rate>[\d.,]+)%\), chỉ tiêu ")


@pytest.mark.parametrize("code", ["DN", "HP"])
def test_every_figure_of_the_body_is_the_annexes(demo, code, tmp_path):
    files = _files(code, tmp_path)
    text, book = paragraphs(files.document), openpyxl.load_workbook(files.workbook)
    summary = {(row[0], row[1]): row for row in _summary_rows(book)}
    statuses = Counter(row[6].lower() for row in summary.values())

    overall = next(line for line in text if line.startswith("Trong quý, có "))
    count, listed = re.match(r"Trong quý, có ([\d.]+) chỉ tiêu .*; trong đó: (.*)\.$", overall).groups()
    assert _number(count) == len(summary)
    said = {label: _number(n) for label, n in (part.rsplit(" ", 1) for part in listed.split("; "))}
    assert said == {label: n for label, n in statuses.items()}

    quoted, behind_unit = Counter(), None  # in section 4 each unit heads its own lines
    for line in text:
        if line.startswith("4. "):
            behind_unit = ""
        heading = re.match(r"- (?P<unit>.+): [\d.]+ chỉ tiêu chậm tiến độ\.$", line)
        if heading and behind_unit is not None:
            behind_unit = heading["unit"]
        if behind_unit:
            match = re.match(r"\+ (?P<indicator>.+?): [\d.]+/", line)
            key = (match["indicator"], behind_unit) if match else None
        else:
            match = re.match(r"\+ (?P<indicator>.+) \((?P<unit>[^()]+)\): ", line)
            key = (match["indicator"], match["unit"]) if match else None
        figures = FIGURES.search(line)
        if key and figures:
            row = summary[key]
            if behind_unit:
                assert row[6] in ("Chậm", "Quá hạn báo cáo")
            assert (_number(figures["top"]), _number(figures["bottom"])) == (row[3], row[4])
            assert _number(figures["rate"]) == _shown(row[5])
            quoted["section 4" if behind_unit else "section 1"] += 1
    # Section 1 quotes every target not met or on track; section 4 every one behind, each with Phụ lục 1's figures.
    behind = sum(1 for row in summary.values() if row[6] in ("Chậm", "Quá hạn báo cáo") and row[3] is not None)
    assert quoted["section 1"] > 0 and quoted["section 4"] == behind

    reporting = next(row for row in book.worksheets[-2].iter_rows(min_row=7) if row[0].value == code)
    expected, on_time, late, missing, share = (c.value for c in reporting[-5:])
    assert (f"Trong các tháng của quý, có {_format(expected)} lượt báo cáo tháng phải nộp; đã nộp đúng hạn "
            f"{_format(on_time)} ({_format(_shown(share))}%), nộp trễ hạn {_format(late)}, chưa nộp "
            f"{_format(missing)}.") in text
    tasks = [row for row in book.worksheets[-1].iter_rows(min_row=7) if row[2].value]
    if tasks:
        assert any(line.startswith(f"Các kế hoạch giao {len(tasks)} nhiệm vụ") for line in text)
    for number in ("1", "2", "3", "4"):
        assert any(f"Phụ lục {number}" in line for line in text)
    assert [sheet.cell(row=1, column=1).value for sheet in book.worksheets[:2]] == ["Phụ lục 1", "Phụ lục 2.1"]


def _shown(fraction: float) -> float:
    """A rate as the annex displays it: a percent with one decimal, halves rounded up (0,7635 → 76,4)."""
    return float(Decimal(repr(round(fraction * 100, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _format(value) -> str:
    whole = int(value) == value
    text = f"{int(value):,}" if whole else f"{value:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def test_the_printed_size_of_text_follows_the_page_and_text_matrices():
    # 11 pt drawn in a page scaled by 0,5 prints at 5,5 pt; 14 pt with a text matrix of 1 prints at 14 pt.
    assert _text_sizes(b"q 0.5 0 0 0.5 0 0 cm BT /F1 11 Tf 1 0 0 1 10 10 Tm <0041> Tj ET Q") == [5.5]
    assert _text_sizes(b"BT /F2 14 Tf 72 700 Td (B) Tj ET") == [14.0]


@pytest.mark.libreoffice
def test_libreoffice_prints_both_legibly_on_a4(demo, tmp_path, capsys):
    artifacts = Path(settings.BASE_DIR) / "artifacts"
    artifacts.mkdir(exist_ok=True)
    counts = {}
    for code in ("DN", "HP"):
        out = tmp_path / code
        call_command("export_quarterly_report", "--unit", code, "--quarter", "2026-Q3", "--output-dir", str(out))
        body, annexes = (out / f"{kind}-cds-{code.lower()}-2026-q3.pdf" for kind in ("bao-cao", "phu-luc"))
        body_pages, annex_pages = pdf_pages(body.read_bytes()), pdf_pages(annexes.read_bytes())
        # A4 portrait for the body, A4 landscape for the annexes (595 × 842 pt).
        assert {(round(p.width), round(p.height)) for p in body_pages} == {(595, 842)}
        assert {(round(p.width), round(p.height)) for p in annex_pages} == {(842, 595)}
        # Body 14 pt, the list of recipients 12 pt; nothing in the annexes below 9 pt (tables 11, notes 10).
        assert smallest_text(body_pages) >= 12
        assert Counter(round(s) for p in body_pages for s in p.text_sizes).most_common(1)[0][0] == 14
        assert smallest_text(annex_pages) >= 9
        counts[code] = (len(body_pages), len(annex_pages), smallest_text(annex_pages))
        if code == "DN" and shutil.which("pdftoppm"):
            for pdf, name in ((body, "report-body-p1"), (annexes, "annex-p1")):
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                                str(artifacts / name)], check=True, timeout=120)
    with capsys.disabled():
        for code, (body, annexes, smallest) in counts.items():
            print(f"\n{code} Quý III/2026: body {body} pages, annexes {annexes} pages, "
                  f"smallest annex text {smallest} pt")
    assert all(body <= 10 for body, _annexes, _smallest in counts.values())
