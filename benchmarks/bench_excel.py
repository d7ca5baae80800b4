"""The quarterly workbook at 5,000 units × 40 indicators beside openpyxl's bare write-only floor; a 5,000-row import."""

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from benchmarks.bench_compliance import _seed
from benchmarks.conftest import record, seconds_and_peak_mib
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.workbook import export_data, write_workbook
from reports.imports import SHEET, bulk_import
from reports.models import Report
from tests.factories import UserFactory
from units.models import Membership, Unit

SIZE = 5_000


def _floor(data, path: Path) -> None:
    """The same cells, values only, with openpyxl's write-only mode: the cost of the file itself."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("floor")
    for unit in data.units:
        row = [unit.code, unit.name]
        for indicator in data.indicators:
            result = data.results.get((unit.pk, indicator.pk))
            row += [None, None, None] if result is None else [
                f"{result[3]}/{result[4]}", float(result[6]) / 100 if result[6] is not None else None, result[7]]
        ws.append(row)
    wb.save(path)


def test_export_and_import_at_province_scale():
    period = _seed(SIZE)
    compliance_compute(period=period)
    province = Unit.objects.get(code="SYN")
    quarter = Quarter.of(period)
    folder = Path(tempfile.mkdtemp())
    data = export_data(unit=province, quarter=quarter)
    export_s, export_mb = seconds_and_peak_mib(lambda: write_workbook(export_data(unit=province, quarter=quarter),
                                                          folder / "report.xlsx"))
    floor_s, floor_mb = seconds_and_peak_mib(lambda: _floor(data, folder / "floor.xlsx"))
    cells = len(data.units) * len(data.indicators) * 3
    print(f"\nQuarterly workbook, {len(data.units):,} units × {len(data.indicators)} indicators ({cells:,} cells)")
    print(f"  portal export:           {export_s:6.2f} s, peak {export_mb:6.1f} MiB of Python objects "
          f"(aim ≤ 10 s, ≤ 500 MB, within 2× of the floor) → {export_s / floor_s:.1f}×")
    print(f"  write-only floor:        {floor_s:6.2f} s, peak {floor_mb:6.1f} MiB")
    print(f"  file size:               {(folder / 'report.xlsx').stat().st_size / 2**20:.1f} MiB")
    record("quarterly workbook, 5000 units", export_s, "s", floor=floor_s, aim=2 * floor_s)
    record("quarterly workbook peak memory", export_mb, "MiB", floor=floor_mb, aim=500)

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
