"""The quarterly report's annexes as an Excel workbook: numbered "Phụ lục" sheets that print legibly on A4.

Written row by row with XlsxWriter in its constant-memory mode: each row goes to disk once the next one begins, so a
national workbook holds one row at a time. Measured against openpyxl's write-only mode (with lxml) in
`benchmarks/bench_excel.py`: the same cells with their styles take XlsxWriter about half the time.
Nothing is shrunk to fit: a group too wide for one page is split across pages at indicator boundaries, with the unit
columns and the header rows repeated on each.

Every value is written with its typed method: text through `write_string` alone, so a unit's name or a task's title
that begins with "=" stays text, never a formula run in the reader's Excel.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import ReportingResult, Status
from core.collector import collector_off
from core.formatting import number_format
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
# 11 pt in the tables, 10 pt for the notes: printed at 100%, nothing falls below 9 pt.
FONT = {"font_name": "Times New Roman", "font_size": 11}
BOX = {**FONT, "border": 1, "border_color": "#999999"}
HEADING_SIZES = {"cds-heading": 11, "cds-title": 13, "cds-note": 10}
# What fits across one landscape A4 page at 100%, in Excel's column-width units (LibreOffice prints one at about
# 6,9 pt; 110 of them and the 1 cm margins fill the page's 842 pt).
PAGE_WIDTH = 110
INDICATOR_COLUMNS = [7, 7, 7, 9]  # achieved, total, rate, status
LEFT_OUT_BY_CODE = 20  # more than this many left-out units are counted by kind instead of listed
HEADER_ROW = 6  # the first header row, under the four lines of the annex heading and a blank line
# Excel keeps a column's width in characters of the default font, 7 pixels each plus 5 of padding; giving the
# width in pixels stores exactly the width asked for (XlsxWriter's character widths add the padding on top).
PIXELS_PER_WIDTH = 7
A4 = 9  # Excel's paper size code


class Cell(NamedTuple):
    """A value and the name of its look; the sheet writes it with the method of its type."""

    value: object
    look: str = "cds-text"


def _looks() -> dict[str, dict]:
    """Every look the workbook uses, by name: registered once as formats, each cell then names one."""
    wrap_center = {"align": "center", "valign": "vcenter", "text_wrap": True}
    looks = {
        "cds-text": {**BOX, "valign": "top", "text_wrap": True},
        "cds-group": {**BOX, "bold": True, "pattern": 1, "bg_color": "#EEF1F4"},
        "cds-center": {**BOX, "align": "center"},
        "cds-right": {**BOX, "align": "right"},
        "cds-top": {**BOX, "valign": "top", "text_wrap": True},
        "cds-percent": {**BOX, "num_format": PERCENT},
        "cds-count": {**BOX, "num_format": COUNT},
        "cds-date": {**BOX, "num_format": "DD/MM/YYYY"},
        "cds-header": {**BOX, "bold": True, "pattern": 1, "bg_color": "#DDE3EA", **wrap_center},
        "cds-none": {**BOX, "text_wrap": True},
        # The annex's heading, unboxed: its number, its title, the notes under it.
        "cds-heading": {**FONT, "bold": True, **wrap_center},
        "cds-title": {**FONT, "bold": True, "font_size": HEADING_SIZES["cds-title"], **wrap_center},
        "cds-note": {**FONT, "italic": True, "font_size": HEADING_SIZES["cds-note"], **wrap_center},
    }
    for status, colour in FILLS.items():
        looks[f"cds-{status}"] = {**BOX, "pattern": 1, "bg_color": f"#{colour}", "text_wrap": True}
    for depth in range(1, 16):
        looks[f"cds-indent-{depth}"] = {**BOX, "indent": depth, "valign": "top", "text_wrap": True}
    return looks


def _c(value, look: str = "cds-text") -> Cell:
    return Cell(value, look)


def _indent(depth: int) -> str:
    return f"cds-indent-{min(depth, 15)}" if depth > 0 else "cds-text"


@lru_cache(maxsize=16384)  # a unit's name is measured on every group sheet, a status label on every row
def _lines(value, width: float) -> int:
    """How many lines a wrapped text takes in a column, word by word (about 1,1 characters of 11 pt Times per width
    unit): a long word moved to the next line leaves the rest of the line empty."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width * 1.1), 1)
    if len(value) <= per_line and "\n" not in value:
        return 1  # a text no longer than a line cannot wrap (most cells: names, statuses)
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


class _Sheet:
    """One annex sheet being written, row after row: XlsxWriter's constant-memory mode takes no row twice."""

    def __init__(self, ws, formats: dict, widths: list[float]):
        self.ws, self.formats, self.widths = ws, formats, widths
        self.row = 0  # the next row, counted from 0 as XlsxWriter counts
        # Each type's own method: text is never written with write(), which would make "=…" a live formula.
        self.text = ws.write_string
        self.writers = {str: self.text, int: ws.write_number, float: ws.write_number, type(None): ws.write_blank,
                        bool: ws.write_boolean}

    def append(self, cells: list[Cell], *, span: float | None = None, widths: list[float] | None = None) -> None:
        """A row, tall enough for its wrapped texts: LibreOffice keeps a row's stored height and would print
        wrapped lines over each other. `span` is the width of a line merged across the page; `widths` those of a row
        whose cells are merged in groups."""
        self.row_end(self.put(cells, span=span, widths=widths))

    def put(self, cells: list[Cell], *, span: float | None = None, widths: list[float] | None = None) -> int:
        """The cells of the current row from its first column; returns how many lines its tallest text takes."""
        widths = [span] if span else widths or self.widths
        lines, row, formats, writers, text = 1, self.row, self.formats, self.writers, self.text
        for column, (value, look) in enumerate(cells):
            write = writers.get(type(value))
            if write is None:
                write, value = self._typed(value)
            if write is text and column < len(widths):
                lines = max(lines, _lines(value, widths[column]))  # only text wraps
            write(row, column, value, formats[look])
        return lines

    def row_end(self, lines: int) -> None:
        """The current row done, as tall as `lines` of text; the next one begins."""
        if lines > 1:
            self.ws.set_row(self.row, 14 * lines)
        self.row += 1

    def _typed(self, value) -> tuple[Callable, object]:
        if isinstance(value, Decimal):
            return self.ws.write_number, float(value)
        if isinstance(value, dt.date):
            return self.ws.write_datetime, value
        return self.text, str(value)  # a lazy translation, or anything else: as text

    def merge(self, first: int, last: int, look: str) -> None:
        """Merge columns `first`–`last` (from 0) of the row about to be appended; its cells are written after."""
        if last > first:
            self.ws.merge_range(self.row, first, self.row, last, "", self.formats[look])


def _sheet(book: "_Book", title: str, widths: list[float]) -> _Sheet:
    # A group's name becomes a tab's: Excel forbids []:*?/\ there, and a leading or trailing apostrophe.
    ws = book.wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip("'"))
    for index, width in enumerate(widths):
        ws.set_column_pixels(index, index, width * PIXELS_PER_WIDTH)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.set_print_scale(100)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("", margin=0.3)
    ws.set_footer("&C&10&P/&N", margin=0.3)
    return _Sheet(ws, book.formats, widths)


def _across(ws: _Sheet, text: str, look: str, width: int) -> None:
    """One line of the heading, merged across the first printed page's columns so it is centred there."""
    ws.merge(0, width - 1, look)
    _append(ws, [_c(text, look)] + [_c(None, look) for _ in range(width - 1)],
            span=sum(ws.widths[:width]) * 11 / HEADING_SIZES[look])


def _append(ws: _Sheet, cells: list[Cell], *, span: float | None = None, widths: list[float] | None = None) -> None:
    ws.append(cells, span=span, widths=widths)


def _heading(ws: _Sheet, book: "_Book", number: str, title: str, width: int) -> None:
    """An annex's heading: its number, its title, the report it travels with, and what the figures are."""
    data = book.data
    _across(ws, _("Annex %(number)s") % {"number": number}, "cds-heading", width)
    _across(ws, title.upper(), "cds-title", width)
    _across(ws, _("(Attached to Report No. …-BC/%(suffix)s, day … month … year %(year)s of %(unit)s)") % {
        "suffix": document_suffix(data.unit), "year": book.today.year, "unit": data.unit.name}, "cds-note", width)
    month = data.run.period.strftime("%m/%Y") if data.run else "—"
    _across(ws, _("Figures approved as of %(month)s; statuses computed on %(day)s.") % {
        "month": month, "day": timezone.localtime(data.run.as_of).strftime("%d/%m/%Y") if data.run else "—"},
        "cds-note", width)
    _append(ws, [])


def _header_row(ws: _Sheet, labels: list[str | None], merges: list[tuple[int, int]] = ()) -> None:
    # A label followed by empty ones is merged over their columns: its text wraps across all of them.
    widths, last = list(ws.widths[: len(labels)]), 0
    for index, label in enumerate(labels):
        if label is None and index:
            widths[last] += widths[index]
        else:
            last = index
    for first, final in merges:
        ws.merge(first, final, "cds-header")
    # Bold letters are wider: a header cell holds about a tenth fewer of them.
    _append(ws, [_c(label, "cds-header") for label in labels], widths=[width * 0.9 for width in widths])


def _merged_line(ws: _Sheet, text: str, widths: list[float], style: str = "cds-text") -> None:
    """A note across the first printed page, under the rows it speaks of."""
    width = _first_page_columns(widths)
    ws.merge(0, width - 1, style)
    _append(ws, [_c(text, style)] + [_c(None, style) for _ in range(width - 1)], span=sum(widths[:width]))


def _status_cell(status: str | None, labels: dict) -> Cell:
    return Cell(labels.get(status, "—"), f"cds-{status}" if status in FILLS else "cds-none")


def write_workbook(data: ExportData, path, *, progress: Callable[[int], None] | None = None,
                   today=None) -> None:
    """The four annexes in order: summary, a sheet per indicator group, report submission, tasks."""
    book = _Book(data, today or timezone.localdate(), progress or (lambda percent: None), path)
    with collector_off():  # a million cells' short-lived objects beside the figures, and no cycles among them
        _summary_sheet(book)
        book.progress(10)
        _group_sheets(book)
        _reporting_sheet(book)
        book.progress(90)
        _tasks_sheet(book)
        book.wb.close()
    book.progress(100)


def workbook_open(path) -> xlsxwriter.Workbook:
    """A workbook written as the annexes are: a row at a time, and text kept as text (no formulas, no links, no
    numbers read out of strings)."""
    return xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})


class _Book:
    """The workbook being written, with what every sheet needs: the data, the date, the status labels."""

    def __init__(self, data: ExportData, today, progress: Callable[[int], None], path):
        self.data, self.today, self.progress = data, today, progress
        self.wb = workbook_open(path)
        self.formats = {name: self.wb.add_format(properties) for name, properties in _looks().items()}
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.base_depth = data.unit.depth
        self.code_width = max([len(unit.code) for unit in data.units] + [8]) + 2

    def sheet(self, *, tab: str, number: str, title: str, widths: list[float], headers: list[list],
              merges: list[tuple[int, int]] = ()) -> _Sheet:
        """An annex sheet: its heading across the first page, then header rows repeated on every printed page;
        `merges` are the first header row's merged columns."""
        ws = _sheet(self, tab, widths)
        last_header = HEADER_ROW + len(headers) - 1
        ws.ws.freeze_panes(last_header, 2 if widths[0] == self.code_width else 0)
        ws.ws.repeat_rows(HEADER_ROW - 1, last_header - 1)
        _heading(ws, self, number, title, _first_page_columns(widths))
        for index, labels in enumerate(headers):
            _header_row(ws, labels, merges if index == 0 else ())
        return ws

    def unit_cells(self, unit: Unit) -> list[Cell]:
        return [Cell(unit.code), Cell(unit.name, _indent(unit.depth - self.base_depth))]


class _Figures:
    """The four cells an indicator's result fills in a group sheet's row (achieved, total, rate, status), written
    with their typed methods and looks as `_number_cells` and `_status_cell` give them, but without a `Cell` each:
    the group sheets hold nine in ten of the workbook's cells. Each status's label, look and lines are found once."""

    def __init__(self, book: "_Book", ws):
        formats = book.formats
        self.count, self.percent = formats["cds-count"], formats["cds-percent"]
        self.formats, self.labels = formats, book.status_labels
        self.number, self.blank, self.text = ws.write_number, ws.write_blank, ws.write_string
        self.statuses: dict = {}

    def status(self, status: str | None) -> tuple[str, object, int]:
        found = self.statuses.get(status)
        if found is None:
            cell = _status_cell(status, self.labels)
            found = self.statuses[status] = (cell.value, self.formats[cell.look],
                                             _lines(cell.value, INDICATOR_COLUMNS[3]))
        return found

    def put(self, row: int, column: int, result: WorkbookResult | None) -> int:
        """The result's four cells from `column`; returns the lines its status takes."""
        top, bottom, share = annex_figures(result)
        count, number, blank = self.count, self.number, self.blank
        if top is None:
            blank(row, column, None, count)
        else:
            number(row, column, top, count)
        if bottom is None:
            blank(row, column + 1, None, count)
        else:
            number(row, column + 1, bottom, count)
        if share is None:
            blank(row, column + 2, None, self.percent)
        else:
            number(row, column + 2, share, self.percent)
        label, look, lines = self.status(result.sub_status if result else None)
        self.text(row, column + 3, label, look)
        return lines


def _first_page_columns(widths: list[float]) -> int:
    total, count = 0.0, 0
    for width in widths:
        if total + width > PAGE_WIDTH:
            break
        total, count = total + width, count + 1
    return max(count, 1)


def _number_cells(result: WorkbookResult | None) -> list[Cell]:
    top, bottom, share = annex_figures(result)
    return [_c(top, "cds-count"), _c(bottom, "cds-count"), _c(share, "cds-percent")]


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
                _c(number, "cds-center"), _c(indicator.name),
                _c(row.unit.name if row else _("No target in force")),
                _c(row.held_label if row else "—"), *_number_cells(result),
                _status_cell(row.result.sub_status if row else None, book.status_labels),
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
    firsts = [2 + 4 * index for index in range(len(indicators))]  # each indicator's first column, from 0
    ws = book.sheet(tab=_("Annex %(number)s %(group)s") % {"number": number, "group": group.name}, number=number,
                    title=f"{annex_title(ANNEX_GROUPS, data.quarter)}: {group.name}", widths=widths,
                    headers=[names, ["", ""] + [_("Achieved"), _("Total"), _("Rate"), _("Status")] * len(indicators)],
                    merges=[(first, first + 3) for first in firsts])
    # A page break before an indicator's columns where the page is full; the code and unit print on every page.
    ws.ws.set_v_pagebreaks([first for index, first in enumerate(firsts) if index and index % per_page == 0])
    ws.ws.repeat_columns(0, 1)
    left_out, figures, found = [], _Figures(book, ws.ws), data.results.get
    columns = list(zip(firsts, [indicator.pk for indicator in indicators], strict=True))
    for unit in data.units:
        unit_id = unit.pk
        results = [(first, found((unit_id, indicator_id))) for first, indicator_id in columns]
        if unit != data.unit and not any(r is not None and r.target_id for _first, r in results):
            left_out.append(unit)
            continue
        lines, row = ws.put(book.unit_cells(unit)), ws.row
        for first, result in results:
            lines = max(lines, figures.put(row, first, result))
        ws.row_end(lines)
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
            *book.unit_cells(unit), *(_c(own_labels.get(own.get(m), "—")) for m in months),
            _c(total.expected, "cds-count"), _c(total.on_time, "cds-count"), _c(total.late, "cds-count"),
            _c(total.missing, "cds-count"), _c(total.on_time_share, "cds-percent"),
        ])


def _tasks_sheet(book: _Book) -> None:
    """Phụ lục 4: the plans' assigned tasks, with the deadline in the plan's own words."""
    ws = book.sheet(tab=_("Annex 4 Tasks"), number=str(ANNEX_TASKS), title=annex_title(ANNEX_TASKS, book.data.quarter),
                    widths=[10, 4, 21, 11, 10, 10, 10, 13, 12, 9], headers=[[
                        _("Plan"), _("No."), _("Task"), _("Lead unit"), _("Cooperating units"), _("Due"),
                        _("Status"), _("Why"), _("Product"), _("Done / accepted")]])
    for task in book.data.tasks:
        dates = " / ".join(day.strftime("%d/%m/%Y") for day in (task.done_on, task.accepted_on) if day)
        _append(ws, [_c(value, "cds-top") for value in (
            task.plan, task.number, task.title, task.lead_unit, task.cooperating, task.due_text, task.status_label,
            task.status_reason, task.product, dates)])
