"""The workbook's figures as read in one query and written a row at a time: the same records the ORM would give,
only the exported unit's subtree, and the group sheets' cells exactly as the generic cell writer writes them."""

import zipfile
from decimal import Decimal

import openpyxl
import pytest

from compliance.models import ComplianceResult, Status
from core.periods import Quarter
from exports.figures import WorkbookResult, export_data
from exports.workbook import INDICATOR_COLUMNS, _Book, _Figures, _number_cells, _status_cell, write_workbook
from tests.compliance.helpers import OCT, october_computed

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(tree):
    return october_computed(tree)


def _orm_results(unit) -> dict:
    rows = ComplianceResult.objects.filter(run__is_current=True, unit__path__startswith=unit.path).values_list(
        *WorkbookResult._fields)
    return {(row.unit_id, row.indicator_id): row for row in map(WorkbookResult._make, rows)}


def test_the_figures_read_are_the_orms_and_stay_in_the_subtree(computed):
    data = export_data(unit=computed.w1, quarter=Quarter.of(OCT))
    # W1's subtree is W1 and its cell C1: nothing of the province or of W2 is read.
    assert {unit_id for unit_id, _indicator in data.results} == {computed.w1.pk, computed.c1.pk}
    assert data.results == _orm_results(computed.w1)
    signed = data.results[computed.w1.pk, computed.signed.pk]
    # W1 reported 80 of 100 itself, C1 nothing: 80/100 = 80,00%, kept as the engine keeps it (a Decimal).
    assert (signed.sub_numerator, signed.sub_denominator, signed.sub_value) == (80, 100, Decimal("80.00"))
    assert type(signed.sub_value) is Decimal
    ai = data.results[computed.w1.pk, computed.ai.pk]
    # W1 said "done" for its own AI milestone: a boolean, not SQLite's 1.
    assert ai.done is True
    silent = data.results[computed.c1.pk, computed.signed.pk]
    assert (silent.sub_numerator, silent.done, silent.sub_status) == (None, None, Status.NO_DATA)


def test_the_province_reads_every_column_as_the_orm_does(computed):
    data = export_data(unit=computed.province, quarter=Quarter.of(OCT))
    orm = _orm_results(computed.province)
    assert data.results == orm
    assert {key: [type(value) for value in row] for key, row in data.results.items()} == {
        key: [type(value) for value in row] for key, row in orm.items()}
    total = data.results[computed.province.pk, computed.signed.pk]
    # (80 + 1)/(100 + 2) = 81/102 = 79,41%
    assert (total.sub_numerator, total.sub_denominator, total.sub_value) == (81, 102, Decimal("79.41"))


def test_the_group_sheet_keeps_its_looks_and_heights(computed, tmp_path):
    data = export_data(unit=computed.province, quarter=Quarter.of(OCT))
    write_workbook(data, tmp_path / "annexes.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "annexes.xlsx")["PL2.1 Ứng dụng số"]
    columns = {cell.value: index for index, cell in enumerate(next(sheet.iter_rows(min_row=6, max_row=6)))}
    signed_at = columns[computed.signed.name]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=8)}
    silent = rows["P.W1.C1"][signed_at:signed_at + 4]
    # No figure: the cells are left blank but keep their box and number formats, so a figure typed in later
    # prints as the others do.
    assert [cell.value for cell in silent[:3]] == [None, None, None]
    assert [cell.number_format for cell in silent[:3]] == ["[$-42A]#,##0", "[$-42A]#,##0", "[$-42A]0.0%"]
    assert all(cell.border.left.style == "thin" for cell in silent)
    # "Chưa có số liệu" (no data, grey E6E6E6) in a column 9 wide, 9 × 1,1 = 9 characters a line: "Chưa có" (7),
    # then "số liệu" (7): 2 lines, so the row is 2 × 14 = 28 pt high (stored as whole pixels: 37 px = 27,75 pt).
    assert silent[3].value == "Chưa có số liệu" and silent[3].fill.fgColor.rgb == "FFE6E6E6"
    assert sheet.row_dimensions[silent[3].row].height == 27.75
    province = rows["P"][signed_at:signed_at + 4]
    # 81/102 = 79,41%, at risk (FBE8C2): "Có nguy cơ" is 10 characters: "Có nguy" (7), then "cơ": 2 lines, 28 pt.
    assert [cell.value for cell in province[:3]] == [81, 102, pytest.approx(0.7941)]
    assert province[3].value == "Có nguy cơ" and province[3].fill.fgColor.rgb == "FFFBE8C2"
    assert sheet.row_dimensions[province[3].row].height == 27.75


def _sheet_xml(path) -> bytes:
    return zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")


def test_the_group_figures_are_written_as_their_cells_would_be(computed, tmp_path):
    """The group sheets write a result's four cells without a `Cell` each (`_Figures`); the file must be the one
    the cells give: values, types, looks and heights, for a count, a share of units, no data and no result."""
    data = export_data(unit=computed.province, quarter=Quarter.of(OCT))
    results = [*data.results.values(), None]
    results += [result._replace(sub_status=status) for status in Status.values for result in results[:1]]
    assert {cell.value is None for result in results for cell in _number_cells(result)} == {True, False}
    widths = [8] + INDICATOR_COLUMNS * len(results)

    def written(path, fast: bool) -> bytes:
        book = _Book(data, OCT, lambda percent: None, path)
        ws = book.sheet(tab="PL", number="2", title="T", widths=widths, headers=[["Code"]])
        figures = _Figures(book, ws.ws)
        for _row in range(2):
            lines = ws.put([("P", "cds-text")])
            if fast:
                for index, result in enumerate(results):
                    lines = max(lines, figures.put(ws.row, 1 + 4 * index, result))
                ws.row_end(lines)
            else:
                cells = [("P", "cds-text")]
                for result in results:
                    cells += [*_number_cells(result), _status_cell(result.sub_status if result else None,
                                                                   book.status_labels)]
                ws.append(cells)
        book.wb.close()
        return _sheet_xml(path)

    assert written(tmp_path / "fast.xlsx", True) == written(tmp_path / "cells.xlsx", False)
