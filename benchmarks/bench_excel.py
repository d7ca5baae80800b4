"""The quarterly workbook at 5,000 units × 40 indicators beside both writers' write-only floors; a 5,000-row import.

The floors are measured in the same run as the workbook (the machine is shared, figures are noisy): openpyxl's
write-only mode with lxml (values only, as the floor has always been measured) and XlsxWriter's constant-memory mode
(the same cells, each with its style, from as many registered styles as the workbook uses). The workbook is written
with XlsxWriter and is recorded against XlsxWriter's floor; openpyxl's floor is its own figure.
"""

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

import openpyxl
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import LXML, Workbook

from benchmarks.bench_compliance import _seed
from benchmarks.conftest import record, seconds_and_peak_mib
from compliance.models import Status
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.figures import annex_figures
from exports.workbook import export_data, write_workbook
from reports.imports import SHEET, bulk_import
from reports.models import Report
from tests.factories import UserFactory
from units.models import Membership, Unit

SIZE = 5_000
STYLES = 34  # the workbook registers 34 looks: 13 plain, 6 status fills, 15 indents


def _rows(data):
    """The group sheets' cells: code, name, then achieved, total, rate and status for each indicator."""
    for unit in data.units:
        row = [unit.code, unit.name]
        for indicator in data.indicators:
            result = data.results.get((unit.pk, indicator.pk))
            row += [*annex_figures(result), result.sub_status if result else "—"]
        yield unit, row


def _openpyxl_floor(data, path: Path) -> None:
    """The same cells, values only, with openpyxl's write-only mode (lxml's xmlfile underneath): the file's cost."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("floor")
    for _unit, row in _rows(data):
        ws.append(row)
    wb.save(path)


def _xlsxwriter_floor(data, path: Path) -> None:
    """The same cells with XlsxWriter's constant-memory mode, each through its typed method and with a style: text
    boxed, counts, rates, the status's fill, the name's indent. Nothing else: no heading, merge, height or page."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1, "border_color": "#999999"}
    text, count, rate = (wb.add_format({**base, **extra}) for extra in (
        {"text_wrap": True}, {"num_format": "[$-42A]#,##0"}, {"num_format": "[$-42A]0.0%"}))
    fills = {status: wb.add_format({**base, "pattern": 1, "bg_color": f"#{index * 40:02X}E0E0"})
             for index, status in enumerate(Status.values)}
    indents = [wb.add_format({**base, "indent": depth}) for depth in range(STYLES - 3 - len(fills))]
    ws = wb.add_worksheet("floor")
    string, number, blank = ws.write_string, ws.write_number, ws.write_blank
    base_depth = data.unit.depth
    for r, (unit, row) in enumerate(_rows(data)):
        string(r, 0, row[0], text)
        string(r, 1, row[1], indents[min(unit.depth - base_depth, len(indents) - 1)])
        for c in range(2, len(row), 4):
            for offset, look in ((0, count), (1, count), (2, rate)):
                if row[c + offset] is None:
                    blank(r, c + offset, None, look)
                else:
                    number(r, c + offset, row[c + offset], look)
            string(r, c + 3, row[c + 3], fills.get(row[c + 3], text))
    wb.close()


def test_export_and_import_at_province_scale():
    period = _seed(SIZE)
    compliance_compute(period=period)
    province = Unit.objects.get(code="SYN")
    quarter = Quarter.of(period)
    folder = Path(tempfile.mkdtemp())
    data = export_data(unit=province, quarter=quarter)
    export_s, export_mb = seconds_and_peak_mib(lambda: write_workbook(export_data(unit=province, quarter=quarter),
                                                          folder / "report.xlsx"))
    xlsxwriter_s, xlsxwriter_mb = seconds_and_peak_mib(lambda: _xlsxwriter_floor(data, folder / "floor-x.xlsx"))
    openpyxl_s, openpyxl_mb = seconds_and_peak_mib(lambda: _openpyxl_floor(data, folder / "floor-o.xlsx"))
    cells = len(data.units) * (2 + len(data.indicators) * 4)
    print(f"\nQuarterly workbook, {len(data.units):,} units × {len(data.indicators)} indicators ({cells:,} cells)")
    print(f"  portal export (XlsxWriter): {export_s:6.2f} s, peak {export_mb:6.1f} MiB of Python objects "
          f"(aim ≤ 10 s, ≤ 500 MB, within 2× of its floor) → {export_s / xlsxwriter_s:.1f}×")
    print(f"  XlsxWriter constant-memory floor: {xlsxwriter_s:6.2f} s, peak {xlsxwriter_mb:6.1f} MiB")
    print(f"  openpyxl write-only floor (lxml {'on' if LXML else 'OFF'}): {openpyxl_s:6.2f} s, "
          f"peak {openpyxl_mb:6.1f} MiB → the export is {export_s / openpyxl_s:.1f}× it")
    print(f"  file size:               {(folder / 'report.xlsx').stat().st_size / 2**20:.1f} MiB")
    record("quarterly workbook, 5000 units", export_s, "s", floor=xlsxwriter_s, aim=2 * xlsxwriter_s)
    record("quarterly workbook peak memory", export_mb, "MiB", floor=xlsxwriter_mb, aim=500)
    record("quarterly workbook floor, openpyxl write-only with lxml", openpyxl_s, "s")
    record("quarterly workbook floor, openpyxl write-only with lxml, peak memory", openpyxl_mb, "MiB")

    # Import: 5,000 rows (125 units × 40 indicators) from one sheet, by a reviewer of the province.
    reviewer = UserFactory()
    Membership.objects.create(user=reviewer, unit=province, role=Membership.Role.REVIEWER)
    month = dt.date(2026, 11, 1)
    units = list(Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1)[:125])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["B2"] = f"{month:%Y-%m}"
    r = 5
    for unit in units:
        for indicator in data.indicators:
            ws.cell(row=r, column=1, value=unit.code)
            ws.cell(row=r, column=2, value=indicator.code)
            if indicator.has_counts:
                # 400/400: at or above any approved running total of the synthetic units (at most 400)
                ws.cell(row=r, column=3, value=400)
                ws.cell(row=r, column=4, value=400)
            else:
                ws.cell(row=r, column=5, value="Có")
            r += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("nhap.xlsx", buffer.getvalue())
    start = time.perf_counter()
    count = bulk_import(period=month, upload=upload, by=reviewer)
    import_s = time.perf_counter() - start
    assert count == r - 5 and Report.objects.filter(period=month).count() == len(units)
    print(f"  import of {count:,} rows:    {import_s:6.2f} s (aim ≤ 15 s), {len(units)} units' drafts written")
