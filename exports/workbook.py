"""The quarterly report as an Excel workbook, in the official layout, written row by row (openpyxl write-only)."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from compliance.models import ComplianceResult, ComplianceRun, ReportingResult, Status
from compliance.selectors import conflict_text
from core.models import Conflict
from core.periods import Quarter
from core.xlsx import as_text
from plans.models import PlanTask
from targets.models import Indicator, Target
from units.models import Unit
from units.selectors import unit_ancestor_paths, units_open_filter

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
BOLD = Font(name="Times New Roman", bold=True, size=11)
NORMAL = Font(name="Times New Roman", size=11)
TITLE = Font(name="Times New Roman", bold=True, size=14)


class WorkbookResult(NamedTuple):
    """What the workbook reads of a unit's result for one indicator: its subtree's figures and verdict."""

    unit_id: int
    indicator_id: int
    target_id: int | None
    sub_numerator: int | None
    sub_denominator: int | None
    done: bool | None
    sub_value: object
    sub_status: str
    sub_expected: int
    sub_meeting: int

    @property
    def units_meeting(self) -> str:
        return f"{self.sub_meeting}/{self.sub_expected}"


@dataclass
class ExportData:
    unit: Unit
    quarter: Quarter
    run: ComplianceRun | None
    units: list[Unit]
    indicators: list[Indicator]
    results: dict[tuple[int, int], WorkbookResult]
    targets: dict
    reporting: dict
    tasks: list
    conflicts: dict = field(default_factory=dict)  # indicator id → the open conflicts the summary notes


def _open_conflicts(unit: Unit, quarter: Quarter, results: dict, targets: dict) -> dict[int, list[str]]:
    """Indicator id → the open conflicts of the unit's summary row: its target in force, and the targets of the
    unit's own plans of the quarter's year (the issuing unit answers for them even where another target holds)."""
    own = Target.objects.filter(plan__issuer=unit, conflict_status=Conflict.OPEN, plan__year_start__lte=quarter.year,
                                plan__year_end__gte=quarter.year).order_by("plan__key", "position")
    held = [targets.get(r.target_id) for key, r in results.items() if key[0] == unit.pk]
    conflicts: dict[int, list[str]] = {}
    for target in [*(t for t in held if t is not None and t.conflict_open), *own]:
        text = conflict_text(target.conflict)
        if text not in conflicts.setdefault(target.indicator_id, []):
            conflicts[target.indicator_id].append(text)
    return conflicts


def export_data(*, unit: Unit, quarter: Quarter) -> ExportData:
    """Everything the workbook shows, read in a handful of queries: the quarter's latest computed month."""
    run = (ComplianceRun.objects.filter(is_current=True, period__gte=quarter.first_day,
                                        period__lte=quarter.last_day).order_by("-period").first())
    # Units expected for at least one month of the quarter (the engine's rule); the others have nothing to report.
    open_in_quarter = units_open_filter(first_month=quarter.first_day, last_month=quarter.last_day.replace(day=1))
    units = list(Unit.objects.filter(open_in_quarter, path__startswith=unit.path).order_by("path").only(
        "id", "path", "depth", "code", "name", "kind"))
    results, reporting = {}, {}
    if run:
        rows = ComplianceResult.objects.filter(run=run, unit__path__startswith=unit.path).values_list(
            *WorkbookResult._fields)
        results = {(r.unit_id, r.indicator_id): r for r in map(WorkbookResult._make, rows.iterator(chunk_size=20000))}
        reporting = {r.unit_id: r for r in ReportingResult.objects.filter(run=run, unit__path__startswith=unit.path)}
    indicator_ids = {key[1] for key in results}
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).select_related("group")
                      .order_by("group__order", "code"))
    targets = {t.pk: t for t in Target.objects.filter(pk__in={r.target_id for r in results.values() if r.target_id})
               .select_related("plan__issuer")}
    tasks = list(PlanTask.objects.filter(plan__issuer__path__in=unit_ancestor_paths(unit))
                 .select_related("plan", "lead_unit").order_by("plan__key", "number")) + list(
        PlanTask.objects.filter(plan__issuer__path__startswith=unit.path).exclude(plan__issuer=unit)
        .select_related("plan", "lead_unit").order_by("plan__key", "number"))
    return ExportData(unit, quarter, run, units, indicators, results, targets, reporting, tasks,
                      _open_conflicts(unit, quarter, results, targets))


def _named_styles(wb: Workbook) -> None:
    """Every look the workbook uses, registered once: a cell then names its style instead of building one.

    (Building Font, Fill and Border objects per cell made a province's workbook ten times slower.)
    """
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    looks = {
        "cds-text": dict(font=NORMAL, border=BOX),
        "cds-center": dict(font=NORMAL, border=BOX, alignment=Alignment(horizontal="center")),
        "cds-right": dict(font=NORMAL, border=BOX, alignment=Alignment(horizontal="right")),
        "cds-top": dict(font=NORMAL, border=BOX, alignment=Alignment(vertical="top")),
        "cds-percent": dict(font=NORMAL, border=BOX, number_format=PERCENT),
        "cds-count": dict(font=NORMAL, border=BOX, number_format=COUNT),
        "cds-date": dict(font=NORMAL, border=BOX, number_format="DD/MM/YYYY"),
        "cds-header": dict(font=BOLD, border=BOX, fill=PatternFill("solid", fgColor="DDE3EA"), alignment=wrap_center),
        "cds-none": dict(font=NORMAL, border=BOX),
    }
    for status, colour in FILLS.items():
        looks[f"cds-{status}"] = dict(font=NORMAL, border=BOX, fill=PatternFill("solid", fgColor=colour))
    for depth in range(1, 16):
        looks[f"cds-indent-{depth}"] = dict(font=NORMAL, border=BOX, alignment=Alignment(indent=depth))
    for name, attributes in looks.items():
        style = NamedStyle(name=name)
        for attribute, value in attributes.items():
            setattr(style, attribute, value)
        wb.add_named_style(style)


def _c(ws, value, style: str = "cds-text") -> WriteOnlyCell:
    cell = as_text(WriteOnlyCell(ws, value=value))
    cell.style = style
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


def _sheet(wb: Workbook, title: str, widths: list[float], freeze: str):
    # A group's name becomes a tab's: Excel forbids []:*?/\ there and openpyxl refuses them.
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", title)[:31])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_options.horizontalCentered = True
    return ws


def _heading(ws, data: ExportData, width: int, today: dt.date) -> None:
    """The official heading: issuing unit left, Party name right, the date line, then the title."""
    across = Alignment(horizontal="centerContinuous", vertical="center", wrap_text=False)
    half = max(2, width // 2)
    left = [_cell(ws, data.unit.name.upper(), font=BOLD, border=None, align=across)] + [
        _cell(ws, None, border=None, align=across) for _ in range(half - 1)]
    right = [_cell(ws, _("COMMUNIST PARTY OF VIETNAM"), font=BOLD, border=None, align=across)] + [
        _cell(ws, None, border=None, align=across) for _ in range(width - half - 1)]
    ws.append(left + right)
    place = [_cell(ws, None, border=None) for _ in range(half)] + [
        _cell(ws, _("day %(day)s month %(month)s year %(year)s") % {
            "day": f"{today.day:02d}", "month": f"{today.month:02d}", "year": today.year},
            font=Font(name="Times New Roman", italic=True, size=11), border=None, align=across)] + [
        _cell(ws, None, border=None, align=across) for _ in range(width - half - 1)]
    ws.append(place)
    ws.append([])
    title = _("REPORT ON THE RESULTS OF DIGITAL TRANSFORMATION, %(quarter)s") % {
        "quarter": str(data.quarter).upper()}
    ws.append([_cell(ws, title, font=TITLE, border=None, align=across)] + [
        _cell(ws, None, border=None, align=across) for _ in range(width - 1)])
    month = data.run.period.strftime("%m/%Y") if data.run else "—"
    ws.append([_cell(ws, _("Figures approved as of %(month)s; statuses computed on %(day)s.") % {
        "month": month, "day": timezone.localtime(data.run.as_of).strftime("%d/%m/%Y") if data.run else "—"},
        font=Font(name="Times New Roman", italic=True, size=10), border=None, align=across)] + [
        _cell(ws, None, border=None, align=across) for _ in range(width - 1)])
    ws.append([])


def _header_row(ws, labels: list[str]) -> None:
    ws.append([_c(ws, label, "cds-header") for label in labels])


def _status_cell(ws, status: str | None, labels: dict) -> WriteOnlyCell:
    return _c(ws, labels.get(status, "—"), f"cds-{status}" if status in FILLS else "cds-none")


def _fraction(value) -> float | None:
    return None if value is None else float(value) / 100


def write_workbook(data: ExportData, path, *, progress: Callable[[int], None] | None = None,
                   today: dt.date | None = None) -> None:
    """The four parts in order: summary, a sheet per indicator group, timeliness, tasks."""
    book = _Book(data, today or timezone.localdate(), progress or (lambda percent: None))
    _summary_sheet(book)
    book.progress(10)
    _group_sheets(book)
    _timeliness_sheet(book)
    book.progress(90)
    _tasks_sheet(book)
    book.wb.save(path)
    book.progress(100)


class _Book:
    """The workbook being written, with what every sheet needs: the data, the date, the status labels."""

    def __init__(self, data: ExportData, today: dt.date, progress: Callable[[int], None]):
        self.data, self.today, self.progress = data, today, progress
        self.wb = Workbook(write_only=True)
        _named_styles(self.wb)
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.base_depth = data.unit.depth

    def sheet(self, title: str, widths: list[float], freeze: str, headers: list) -> Worksheet:
        ws = _sheet(self.wb, title, widths, freeze)
        _heading(ws, self.data, len(widths), self.today)
        _header_row(ws, headers)
        return ws

    def unit_cells(self, ws, unit: Unit) -> list:
        return [_c(ws, unit.code), _c(ws, unit.name, _indent(unit.depth - self.base_depth))]


def _summary_sheet(book: _Book) -> None:
    """One row per indicator, for the chosen unit's whole subtree: the target in force with its plan and deadline,
    and its open conflict, if any."""
    data = book.data
    ws = book.sheet(_("Summary"), [6, 90, 18, 30, 14, 16, 16, 50], "A8", [
        _("No."), _("Indicator"), _("Group"), _("Target"), _("Actual at the quarter's end"), _("Status"),
        _("Units meeting it / expected"), _("Unresolved conflict in the plan")])
    for number, indicator in enumerate(data.indicators, start=1):
        result = data.results.get((data.unit.pk, indicator.pk))
        target = data.targets.get(result.target_id) if result else None
        ws.append([
            _c(ws, number, "cds-center"),
            _c(ws, indicator.name),
            _c(ws, indicator.group.name),
            _c(ws, target.held_label if target else "—"),
            _c(ws, _fraction(result.sub_value) if result else None, "cds-percent"),
            _status_cell(ws, result.sub_status if result else None, book.status_labels),
            _c(ws, result.units_meeting if result else "—", "cds-center"),
            _c(ws, "\n".join(data.conflicts.get(indicator.pk, ())) or None),
        ])


def _group_sheets(book: _Book) -> None:
    """One sheet per indicator group: units indented by the tree, three columns per indicator."""
    groups: dict = {}
    for indicator in book.data.indicators:
        groups.setdefault(indicator.group, []).append(indicator)
    for done, (group, indicators) in enumerate(groups.items(), start=1):
        labels = [_("Code"), _("Unit")]
        for indicator in indicators:
            labels += [indicator.name, None, None]
        ws = book.sheet(group.name, [14, 44] + [12, 9, 14] * len(indicators), "C9", labels)
        _header_row(ws, ["", ""] + [_("Figures"), "%", _("Status")] * len(indicators))
        for unit in book.data.units:
            cells = book.unit_cells(ws, unit)
            for indicator in indicators:
                cells += _result_cells(ws, book.data.results.get((unit.pk, indicator.pk)), book.status_labels)
            ws.append(cells)
        book.progress(10 + 70 * done // len(groups))


def _result_cells(ws, result: WorkbookResult | None, status_labels: dict) -> list:
    if result is None:
        return [_c(ws, None), _c(ws, None), _c(ws, None)]
    if result.sub_numerator is not None:
        figures = f"{result.sub_numerator:,}/{result.sub_denominator:,}".replace(",", ".")
    else:
        figures = result.units_meeting if result.sub_expected else None
    return [_c(ws, figures, "cds-right"), _c(ws, _fraction(result.sub_value), "cds-percent"),
            _status_cell(ws, result.sub_status, status_labels)]


def _timeliness_sheet(book: _Book) -> None:
    ws = book.sheet(_("Timeliness"), [14, 44, 16, 12, 12, 12, 12, 12, 12], "C8", [
        _("Code"), _("Unit"), _("Own report"), _("Due"), _("Expected"), _("On time"), _("Late"), _("Missing"),
        _("On time (%)")])
    own_labels = {value: str(label) for value, label in ReportingResult.Own.choices}
    for unit in book.data.units:
        row = book.data.reporting.get(unit.pk)
        if row is None:
            continue
        ws.append([
            *book.unit_cells(ws, unit),
            _c(ws, own_labels[row.own]), _c(ws, row.due_on, "cds-date"),
            _c(ws, row.expected, "cds-count"), _c(ws, row.on_time, "cds-count"), _c(ws, row.late, "cds-count"),
            _c(ws, row.missing, "cds-count"),
            _c(ws, row.on_time / row.expected if row.expected else None, "cds-percent"),
        ])


def _tasks_sheet(book: _Book) -> None:
    """The plans' assigned tasks."""
    ws = book.sheet(_("Tasks"), [30, 6, 90, 24, 30, 18, 70, 16], "A8", [
        _("Plan"), _("No."), _("Task"), _("Lead unit"), _("Cooperating units"), _("Due"), _("Expected output"),
        _("Status")])
    for task in book.data.tasks:
        ws.append([_c(ws, value, "cds-top") for value in (
            task.plan.short_label, task.number, task.title, task.lead_text, task.cooperating_text, task.due_label,
            " ".join(task.expected_output.split()), task.get_status_display())])
