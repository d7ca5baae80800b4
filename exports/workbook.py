"""The quarterly report's annexes as an Excel workbook: numbered "Phụ lục" sheets that print legibly on A4.

Written row by row (openpyxl write-only). Nothing is shrunk to fit: a group too wide for one page is split across
pages at indicator boundaries, with the unit columns and the header rows repeated on each.
"""

import re
from collections import Counter
from collections.abc import Callable
from copy import copy

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from compliance.models import ReportingResult, Status
from core.formatting import number_format
from core.xlsx import as_text
from exports.figures import (  # noqa: F401 - export_data and its records are read here by callers of the workbook
    ANNEX_GROUPS,
    ANNEX_REPORTING,
    ANNEX_SUMMARY,
    ANNEX_TASKS,
    ExportData,
    WorkbookResult,
    annex_figures,
    annex_title,
    document_suffix,
    export_data,
    reporting_total,
)
from units.models import Unit, UnitKind

# Okabe–Ito fills, light enough to print; the status is always written out as text too.
FILLS = {
    Status.MET: "CCEBDF", Status.ON_TRACK: "CCE3F0", Status.AT_RISK: "FBE8C2", Status.BEHIND: "F6D2BF",
    Status.NO_DATA: "E6E6E6", Status.OVERDUE: "F1D9E6",
}
# [$-42A] is Vietnamese: "79,3%" and "1.234" whatever the reader's own locale.
PERCENT = "[$-42A]0.0%"
COUNT = "[$-42A]#,##0"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# 11 pt in the tables, 10 pt for the notes: printed at 100%, nothing falls below 9 pt.
BOLD = Font(name="Times New Roman", bold=True, size=11)
NORMAL = Font(name="Times New Roman", size=11)
TITLE = Font(name="Times New Roman", bold=True, size=13)
NOTE = Font(name="Times New Roman", italic=True, size=10)
# What fits across one landscape A4 page at 100%, in Excel's column-width units (LibreOffice prints one at about
# 6,9 pt; 110 of them and the 1 cm margins fill the page's 842 pt).
PAGE_WIDTH = 110
INDICATOR_COLUMNS = [7, 7, 7, 9]  # achieved, total, rate, status
LEFT_OUT_BY_CODE = 20  # more than this many left-out units are counted by kind instead of listed
HEADER_ROW = 6  # the first header row, under the four lines of the annex heading and a blank line

def _named_styles(wb: Workbook) -> None:
    """Every look the workbook uses, registered once: a cell then names its style instead of building one.

    (Building Font, Fill and Border objects per cell made a province's workbook ten times slower.)
    """
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    looks = {
        "cds-text": dict(font=NORMAL, border=BOX, alignment=Alignment(vertical="top", wrap_text=True)),
        "cds-group": dict(font=BOLD, border=BOX, fill=PatternFill("solid", fgColor="EEF1F4")),
        "cds-center": dict(font=NORMAL, border=BOX, alignment=Alignment(horizontal="center")),
        "cds-right": dict(font=NORMAL, border=BOX, alignment=Alignment(horizontal="right")),
        "cds-top": dict(font=NORMAL, border=BOX, alignment=Alignment(vertical="top", wrap_text=True)),
        "cds-percent": dict(font=NORMAL, border=BOX, number_format=PERCENT),
        "cds-count": dict(font=NORMAL, border=BOX, number_format=COUNT),
        "cds-date": dict(font=NORMAL, border=BOX, number_format="DD/MM/YYYY"),
        "cds-header": dict(font=BOLD, border=BOX, fill=PatternFill("solid", fgColor="DDE3EA"), alignment=wrap_center),
        "cds-none": dict(font=NORMAL, border=BOX, alignment=Alignment(wrap_text=True)),
    }
    for status, colour in FILLS.items():
        looks[f"cds-{status}"] = dict(font=NORMAL, border=BOX, fill=PatternFill("solid", fgColor=colour),
                                      alignment=Alignment(wrap_text=True))
    for depth in range(1, 16):
        looks[f"cds-indent-{depth}"] = dict(font=NORMAL, border=BOX,
                                            alignment=Alignment(indent=depth, vertical="top", wrap_text=True))
    for name, attributes in looks.items():
        style = NamedStyle(name=name)
        for attribute, value in attributes.items():
            setattr(style, attribute, value)
        wb.add_named_style(style)
    # Each style's ids, looked up once: naming a style on a cell searches the workbook's styles every time.
    wb.cds_styles = {style.name: style.as_tuple() for style in wb._named_styles}


def _c(ws, value, style: str = "cds-text") -> WriteOnlyCell:
    cell = as_text(WriteOnlyCell(ws, value=value))
    cell._style = copy(ws.parent.cds_styles[style])
    return cell


def _cell(ws, value, *, font=NORMAL, fill=None, fmt=None, align=None, border=BOX):
    """A one-off look, for the few heading cells."""
    cell = as_text(WriteOnlyCell(ws, value=value))
    cell.font = font
    if border:
        cell.border = border
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if fmt:
        cell.number_format = fmt
    if align:
        cell.alignment = align
    return cell


def _indent(depth: int) -> str:
    return f"cds-indent-{min(depth, 15)}" if depth > 0 else "cds-text"


def _lines(value, width: float) -> int:
    """How many lines a wrapped text takes in a column, word by word (about 1,1 characters of 11 pt Times per width
    unit): a long word moved to the next line leaves the rest of the line empty."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width * 1.1), 1)
    lines = 0
    for part in value.split("\n"):
        lines, used = lines + 1, 0
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, 0
            used += len(word) + (1 if used else 0)
            lines += max(0, -(-used // per_line) - 1) if used > per_line else 0
            used = used % per_line if used > per_line else used
    return lines


def _append(ws, cells: list, *, span: float | None = None, widths: list[float] | None = None) -> None:
    """A row, tall enough for its wrapped texts: LibreOffice keeps a row's stored height and would print
    wrapped lines over each other. `span` is the width of a line merged across the page; `widths` those of a row
    whose cells are merged in groups."""
    ws.cds_rows = getattr(ws, "cds_rows", 0) + 1  # a write-only sheet does not say which row it is on
    widths = [span] if span else widths or ws.cds_widths
    lines = max((_lines(cell.value, width) for cell, width in zip(cells, widths, strict=False)), default=1)
    if lines > 1:
        ws.row_dimensions[ws.cds_rows].height = 14 * lines
    ws.append(cells)


def _sheet(wb: Workbook, title: str, widths: list[float]):
    # A group's name becomes a tab's: Excel forbids []:*?/\ there and openpyxl refuses them.
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", title)[:31])
    ws.cds_widths = widths
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.scale = 100
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "&P/&N"
    ws.oddFooter.center.size = 10
    return ws


def _across(ws, text: str, font: Font, row: int, width: int) -> None:
    """One line of the heading, merged across the first printed page's columns so it is centred there."""
    ws.merged_cells.add(f"A{row}:{get_column_letter(width)}{row}")
    align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cells = [_cell(ws, text, font=font, border=None, align=align)] + [_cell(ws, None, border=None)
                                                                      for _ in range(width - 1)]
    _append(ws, cells, span=sum(ws.cds_widths[:width]) * 11 / font.size)


def _heading(ws, book: "_Book", number: str, title: str, width: int) -> None:
    """An annex's heading: its number, its title, the report it travels with, and what the figures are."""
    data = book.data
    _across(ws, _("Annex %(number)s") % {"number": number}, BOLD, 1, width)
    _across(ws, title.upper(), TITLE, 2, width)
    _across(ws, _("(Attached to Report No. …-BC/%(suffix)s, day … month … year %(year)s of %(unit)s)") % {
        "suffix": document_suffix(data.unit), "year": book.today.year, "unit": data.unit.name}, NOTE, 3, width)
    month = data.run.period.strftime("%m/%Y") if data.run else "—"
    _across(ws, _("Figures approved as of %(month)s; statuses computed on %(day)s.") % {
        "month": month, "day": timezone.localtime(data.run.as_of).strftime("%d/%m/%Y") if data.run else "—"},
        NOTE, 4, width)
    _append(ws, [])


def _header_row(ws, labels: list[str]) -> None:
    # A label followed by empty ones is merged over their columns: its text wraps across all of them.
    widths, last = list(ws.cds_widths[: len(labels)]), 0
    for index, label in enumerate(labels):
        if label is None and index:
            widths[last] += widths[index]
        else:
            last = index
    # Bold letters are wider: a header cell holds about a tenth fewer of them.
    _append(ws, [_c(ws, label, "cds-header") for label in labels], widths=[width * 0.9 for width in widths])


def _merged_line(ws, text: str, widths: list[float], style: str = "cds-text") -> None:
    """A note across the first printed page, under the rows it speaks of."""
    width = _first_page_columns(widths)
    row = getattr(ws, "cds_rows", 0) + 1
    ws.merged_cells.add(f"A{row}:{get_column_letter(width)}{row}")
    _append(ws, [_c(ws, text, style)] + [_c(ws, None, style) for _ in range(width - 1)], span=sum(widths[:width]))


def _status_cell(ws, status: str | None, labels: dict) -> WriteOnlyCell:
    return _c(ws, labels.get(status, "—"), f"cds-{status}" if status in FILLS else "cds-none")


def write_workbook(data: ExportData, path, *, progress: Callable[[int], None] | None = None,
                   today=None) -> None:
    """The four annexes in order: summary, a sheet per indicator group, report submission, tasks."""
    book = _Book(data, today or timezone.localdate(), progress or (lambda percent: None))
    _summary_sheet(book)
    book.progress(10)
    _group_sheets(book)
    _reporting_sheet(book)
    book.progress(90)
    _tasks_sheet(book)
    book.wb.save(path)
    book.progress(100)


class _Book:
    """The workbook being written, with what every sheet needs: the data, the date, the status labels."""

    def __init__(self, data: ExportData, today, progress: Callable[[int], None]):
        self.data, self.today, self.progress = data, today, progress
        self.wb = Workbook(write_only=True)
        _named_styles(self.wb)
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.base_depth = data.unit.depth
        self.code_width = max([len(unit.code) for unit in data.units] + [8]) + 2

    def sheet(self, *, tab: str, number: str, title: str, widths: list[float], headers: list[list]) -> Worksheet:
        """An annex sheet: its heading across the first page, then header rows repeated on every printed page."""
        ws = _sheet(self.wb, tab, widths)
        last_header = HEADER_ROW + len(headers) - 1
        # Before the first row: a write-only sheet writes its view (the frozen panes) as the rows begin.
        ws.freeze_panes = f"C{last_header + 1}" if widths[0] == self.code_width else f"A{last_header + 1}"
        ws.print_title_rows = f"{HEADER_ROW}:{last_header}"
        _heading(ws, self, number, title, _first_page_columns(widths))
        for labels in headers:
            _header_row(ws, labels)
        return ws

    def unit_cells(self, ws, unit: Unit) -> list:
        return [_c(ws, unit.code), _c(ws, unit.name, _indent(unit.depth - self.base_depth))]


def _first_page_columns(widths: list[float]) -> int:
    total, count = 0.0, 0
    for width in widths:
        if total + width > PAGE_WIDTH:
            break
        total, count = total + width, count + 1
    return max(count, 1)


def _number_cells(ws, result: WorkbookResult | None) -> list:
    top, bottom, share = annex_figures(result)
    return [_c(ws, top, "cds-count"), _c(ws, bottom, "cds-count"), _c(ws, share, "cds-percent")]


def _summary_sheet(book: _Book) -> None:
    """Phụ lục 1: every target where it is judged (its scope unit's total), grouped as the catalogue groups them;
    an indicator no target binds in the subtree keeps one line with its total."""
    data = book.data
    widths = [5, 30, 18, 18, 8, 8, 7, 12]
    ws = book.sheet(tab=_("Annex 1 Summary"), number=str(ANNEX_SUMMARY), title=annex_title(ANNEX_SUMMARY, data.quarter),
                    widths=widths, headers=[[
                        _("No."), _("Indicator"), _("Judged at"), _("Target"), _("Achieved"), _("Total"), _("Rate"),
                        _("Status")]])
    judged: dict[int, list] = {}
    for row in data.judged:
        judged.setdefault(row.indicator.pk, []).append(row)
    group, number = None, 0
    for indicator in data.indicators:
        if indicator.group != group:
            group = indicator.group
            _merged_line(ws, group.name, widths, style="cds-group")
        conflicts = "\n".join(data.conflicts.get(indicator.pk, ())) or None
        for row in judged.get(indicator.pk) or [None]:
            number += 1
            result = row.result if row else data.results.get((data.unit.pk, indicator.pk))
            _append(ws, [
                _c(ws, number, "cds-center"), _c(ws, indicator.name),
                _c(ws, row.unit.name if row else _("No target in force")),
                _c(ws, row.target.held_label if row else "—"), *_number_cells(ws, result),
                _status_cell(ws, row.result.sub_status if row else None, book.status_labels),
            ])
        if conflicts:
            _merged_line(ws, conflicts, widths)  # each conflict's text names itself ("Mâu thuẫn chưa xử lý: …")


def _group_sheets(book: _Book) -> None:
    """Phụ lục 2.x: one sheet per indicator group, units indented by the tree, four columns per indicator, two
    indicators to a printed page where they fit; units no target of the group binds are summed up in one line."""
    groups: dict = {}
    for indicator in book.data.indicators:
        groups.setdefault(indicator.group, []).append(indicator)
    for done, (group, indicators) in enumerate(groups.items(), start=1):
        _group_sheet(book, f"{ANNEX_GROUPS}.{done}", group, indicators)
        book.progress(10 + 70 * done // len(groups))


def _group_sheet(book: _Book, number: str, group, indicators: list) -> None:
    data = book.data
    widths = [book.code_width, 24] + INDICATOR_COLUMNS * len(indicators)
    per_page = max(1, int((PAGE_WIDTH - sum(widths[:2])) // sum(INDICATOR_COLUMNS)))
    names = [_("Code"), _("Unit")]
    for indicator in indicators:
        names += [indicator.name, None, None, None]
    ws = book.sheet(tab=_("Annex %(number)s %(group)s") % {"number": number, "group": group.name}, number=number,
                    title=f"{annex_title(ANNEX_GROUPS, data.quarter)}: {group.name}", widths=widths,
                    headers=[names, ["", ""] + [_("Achieved"), _("Total"), _("Rate"), _("Status")] * len(indicators)])
    for index in range(len(indicators)):
        first = 3 + 4 * index
        ws.merged_cells.add(f"{get_column_letter(first)}{HEADER_ROW}:{get_column_letter(first + 3)}{HEADER_ROW}")
        if index and index % per_page == 0:
            ws.col_breaks.append(Break(id=first - 1))
    ws.print_title_cols = "A:B"
    left_out = []
    for unit in data.units:
        results = [data.results.get((unit.pk, indicator.pk)) for indicator in indicators]
        if unit != data.unit and not any(r is not None and r.target_id for r in results):
            left_out.append(unit)
            continue
        cells = book.unit_cells(ws, unit)
        for result in results:
            cells += [*_number_cells(ws, result), _status_cell(ws, result.sub_status if result else None,
                                                                book.status_labels)]
        _append(ws, cells)
    if left_out:
        _merged_line(ws, _("%(count)s units bound by no target of this group: %(codes)s") % {
            "count": len(left_out), "codes": _left_out_words(left_out)}, widths)


def _left_out_words(units: list[Unit]) -> str:
    """The units a group's sheet leaves out, by code while they fit a few lines, else counted by kind."""
    if len(units) <= LEFT_OUT_BY_CODE:
        return ", ".join(unit.code for unit in units)
    kinds = Counter(unit.kind for unit in units)
    return ", ".join(f"{number_format(count)} {label.lower()}" for value, label in UnitKind.choices
                     if (count := kinds.get(value)))


def _reporting_sheet(book: _Book) -> None:
    """Phụ lục 3: the monthly reports over the quarter's three months, each month counted as it was computed."""
    data = book.data
    months = data.months()
    counts = [8] * len(months) + [8, 8, 8, 8, 9]
    widths = [book.code_width, max(16, PAGE_WIDTH - book.code_width - sum(counts))] + counts
    ws = book.sheet(tab=_("Annex 3 Reporting"), number=str(ANNEX_REPORTING),
                    title=annex_title(ANNEX_REPORTING, data.quarter), widths=widths, headers=[
                        [_("Code"), _("Unit"), *(_("Own report %(month)s") % {"month": m.strftime("%m/%Y")}
                                                 for m in months),
                         _("Expected"), _("On time"), _("Late"), _("Missing"), _("On time (%)")]])
    own_labels = {value: str(label) for value, label in ReportingResult.Own.choices}
    for unit in data.units:
        rows = data.reporting.get(unit.pk)
        if not rows:
            continue
        total, own = reporting_total(rows), {row.month: row.own for row in rows}
        _append(ws, [
            *book.unit_cells(ws, unit), *(_c(ws, own_labels.get(own.get(m), "—")) for m in months),
            _c(ws, total.expected, "cds-count"), _c(ws, total.on_time, "cds-count"), _c(ws, total.late, "cds-count"),
            _c(ws, total.missing, "cds-count"), _c(ws, total.on_time_share, "cds-percent"),
        ])


def _tasks_sheet(book: _Book) -> None:
    """Phụ lục 4: the plans' assigned tasks, with the deadline in the plan's own words."""
    ws = book.sheet(tab=_("Annex 4 Tasks"), number=str(ANNEX_TASKS), title=annex_title(ANNEX_TASKS, book.data.quarter),
                    widths=[10, 4, 21, 11, 10, 10, 10, 13, 12, 9], headers=[[
                        _("Plan"), _("No."), _("Task"), _("Lead unit"), _("Cooperating units"), _("Due"),
                        _("Status"), _("Why"), _("Product"), _("Done / accepted")]])
    for task in book.data.tasks:
        dates = " / ".join(day.strftime("%d/%m/%Y") for day in (task.done_on, task.accepted_on) if day)
        _append(ws, [_c(ws, value, "cds-top") for value in (
            task.plan, task.number, task.title, task.lead_unit, task.cooperating, task.due_text, task.status_label,
            task.status_reason, task.product, dates)])
