"""Monthly figures from Excel: the template a clerk fills, and reading it back, all or nothing."""

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exceptions import ApplicationError
from core.files import xlsx_inspect
from core.formatting import number_format, parse_count
from core.models import AuditEvent
from core.services import audit_record
from core.xlsx import cell_put
from reports.models import Report
from reports.selectors import report_form_context, report_indicators
from reports.services import ValueInput, report_save, report_values_import
from targets.binding import targets_for_unit
from targets.models import Indicator
from units.access import units_visible_to, user_can_oversee
from units.models import Unit

SHEET = "Số liệu"
YES, NO = "Có", "Không"
UNIT_FIRST_ROW = 6  # the unit template: header on row 5
BULK_FIRST_ROW = 5  # the bulk template: header on row 4
INPUT = PatternFill("solid", fgColor="FFF9DB")
MAX_COLUMNS = 20  # the templates use 7 and 8 columns; room for a clerk's own remarks, not for a far cell
SPARE_ROWS = 50  # blank lines or remarks a clerk may leave below the template's rows
ERRORS_SHOWN = 200

logger = logging.getLogger(__name__)


@dataclass
class ImportError_:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class ImportRefused(Exception):
    """The file was refused; nothing was written. `errors` name sheet, row, column and reason."""

    def __init__(self, errors: list):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


def _file_error(message: str) -> ImportRefused:
    return ImportRefused([message])


# --- the templates ---------------------------------------------------------------------------------


def unit_template(*, unit: Unit, period: dt.date) -> bytes:
    """One unit's month: its indicators listed, input cells unlocked and tinted, the rest protected."""
    report = Report.objects.filter(unit=unit, period=period).first()
    rows = report_form_context(unit=unit, period=period, report=report)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cell_put(ws, 1, 1, _("Monthly digital-transformation figures, %(month)s") % {"month": period.strftime("%m/%Y")}
             ).font = Font(bold=True, size=13)
    for column, value in enumerate([_("Unit code"), unit.code, unit.name], start=1):
        cell_put(ws, 2, column, value)
    cell_put(ws, 3, 1, _("Month"))
    cell_put(ws, 3, 2, f"{period:%Y-%m}")
    cell_put(ws, 4, 1, _("Enter counts as whole numbers (1.234 or 1234); “Done” takes Có or Không. Do not add rows."))
    headers = [_("Indicator code"), _("Indicator"), _("Group"), _("Numerator"), _("Denominator"),
               _("Done (Có/Không)"), _("Note")]
    for column, header in enumerate(headers, start=1):
        cell = cell_put(ws, 5, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    done_list = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    ws.add_data_validation(done_list)
    for offset, row in enumerate(rows):
        r = UNIT_FIRST_ROW + offset
        indicator, value = row["indicator"], row["value"]
        cell_put(ws, r, 1, indicator.code)
        cell_put(ws, r, 2, indicator.name)
        cell_put(ws, r, 3, indicator.group.name)
        inputs = [4, 5, 7] if indicator.has_counts else [6, 7]
        if value is not None:
            cell_put(ws, r, 4, value.numerator)
            cell_put(ws, r, 5, value.denominator)
            cell_put(ws, r, 6, None if value.done is None else (YES if value.done else NO))
            cell_put(ws, r, 7, value.note or None)
        for column in inputs:
            cell = ws.cell(row=r, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT
            if column in (4, 5):
                cell.number_format = "#,##0"
        if not indicator.has_counts:
            done_list.add(ws.cell(row=r, column=6))
    for column, width in zip("ABCDEFG", [24, 70, 20, 14, 14, 16, 40], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A6"
    ws.protection.sheet = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bulk_template(*, user, root: Unit, period: dt.date) -> bytes:
    """Many units, one month: a row per unit and indicator that binds it, within what the user reviews."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cell_put(ws, 1, 1, _("Monthly digital-transformation figures, %(month)s") % {"month": period.strftime("%m/%Y")}
             ).font = Font(bold=True, size=13)
    cell_put(ws, 2, 1, _("Month"))
    cell_put(ws, 2, 2, f"{period:%Y-%m}")
    headers = [_("Unit code"), _("Indicator code"), _("Numerator"), _("Denominator"), _("Done (Có/Không)"),
               _("Note"), _("Unit"), _("Indicator")]
    for column, header in enumerate(headers, start=1):
        cell_put(ws, 4, column, header).font = Font(bold=True)

    r = BULK_FIRST_ROW
    for unit in units_visible_to(user=user).filter(path__startswith=root.path).order_by("path"):
        seen = set()
        for target in targets_for_unit(unit=unit, period=period):
            if target.indicator_id in seen:
                continue
            seen.add(target.indicator_id)
            cell_put(ws, r, 1, unit.code)
            cell_put(ws, r, 2, target.indicator.code)
            cell_put(ws, r, 7, unit.name)
            cell_put(ws, r, 8, target.indicator.name)
            r += 1
    for column, width in zip("ABCDEFGH", [22, 24, 14, 14, 16, 30, 40, 60], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A5"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading a file back ---------------------------------------------------------------------------


def _open_workbook(upload, *, max_rows: int, max_cols: int = MAX_COLUMNS):
    """The workbook, or a refusal a person can act on, decided before openpyxl reads a byte: too large, not an
    xlsx, locked with a password, a zip bomb, a cell far away, more rows than the template holds, damaged XML."""
    try:
        xlsx_inspect(upload, max_rows=max_rows, max_cols=max_cols)
    except ApplicationError as exc:
        raise _file_error(exc.message) from exc
    try:
        return load_workbook(upload, data_only=False)
    except Exception as exc:
        logger.info("Unreadable workbook %s: %r", getattr(upload, "name", ""), exc)
        raise _file_error(_("The workbook cannot be read: open it in Excel, save it again as .xlsx and upload it "
                            "again.")) from exc


def _sheet(workbook):
    if SHEET not in workbook.sheetnames:
        raise _file_error(_("The workbook has no sheet “%(sheet)s”: use the template from the portal.")
                          % {"sheet": SHEET})
    ws = workbook[SHEET]
    if ws.merged_cells.ranges:
        first = sorted(str(r) for r in ws.merged_cells.ranges)[0]
        raise _file_error(_("Sheet “%(sheet)s” has merged cells (%(range)s): unmerge them and upload again.")
                          % {"sheet": SHEET, "range": first})
    return ws


def _read_value(ws, r: int, columns: dict, indicator, errors: list) -> ValueInput | None:
    """One row's figures, by the same rules as the web form; errors name the cell."""
    def cell(name):
        return ws.cell(row=r, column=columns[name])

    def fail(name, message):
        errors.append(ImportError_(SHEET, r, get_column_letter(columns[name]), message))

    read = {}
    for name in ("numerator", "denominator", "done", "note"):
        c = cell(name)
        # A formula typed in Excel is refused; text that merely begins with "=" (stored as text) is a value.
        if c.data_type == "f":
            fail(name, _("a formula is not allowed in an input cell; type the number itself."))
            return None
        read[name] = c.value
    counts = {}
    for name in ("numerator", "denominator"):
        raw = read[name]
        if isinstance(raw, float):
            if not raw.is_integer():
                fail(name, _("Enter a whole number: counts have no decimals."))
                continue
            raw = int(raw)
        try:
            counts[name] = parse_count(raw)
        except ValueError as exc:
            fail(name, str(exc))
    done_raw = (str(read["done"]).strip() if read["done"] is not None else "")
    done = {YES.lower(): True, NO.lower(): False, "": None}.get(done_raw.lower(), "bad")
    if done == "bad":
        fail("done", _("write Có or Không."))
        return None
    if len(counts) < 2:
        return None
    note = str(read["note"]).strip() if read["note"] is not None else ""
    if counts["numerator"] is None and counts["denominator"] is None and done is None and not note:
        return ValueInput(indicator.pk)  # an empty row: nothing entered for this indicator
    if indicator.has_counts:
        return ValueInput(indicator.pk, numerator=counts["numerator"], denominator=counts["denominator"], note=note)
    return ValueInput(indicator.pk, done=done, note=note)


def _service_errors(exc: ValidationError, rows: dict[str, int], columns: dict) -> list:
    """"code.field" errors from the services, placed back on the sheet's cells."""
    errors = []
    for key, messages in exc.message_dict.items():
        code, _sep, name = key.partition(".")
        column = get_column_letter(columns.get(name, columns["note"]))
        for message in messages:
            errors.append(ImportError_(SHEET, rows.get(code, 0), column, message))
    return errors


UNIT_COLUMNS = {"code": 1, "numerator": 4, "denominator": 5, "done": 6, "note": 7}
BULK_COLUMNS = {"unit": 1, "code": 2, "numerator": 3, "denominator": 4, "done": 5, "note": 6}


def unit_import(*, unit: Unit, period: dt.date, upload, by) -> Report:
    """Fill the unit's draft from its template; nothing is written if any row is wrong."""
    report = Report.objects.filter(unit=unit, period=period).first()
    indicators = {i.code: i for i in (report_indicators(report=report) if report else [
        row["indicator"] for row in report_form_context(unit=unit, period=period, report=None)])}
    ws = _sheet(_open_workbook(upload, max_rows=UNIT_FIRST_ROW + len(indicators) + SPARE_ROWS))
    errors = []
    if str(ws["B2"].value or "").strip() != unit.code:
        errors.append(ImportError_(SHEET, 2, "B", _("this template is for unit %(found)s, not %(unit)s.")
                                   % {"found": ws["B2"].value, "unit": unit.code}))
    if str(ws["B3"].value or "").strip() != f"{period:%Y-%m}":
        errors.append(ImportError_(SHEET, 3, "B", _("this template is for month %(found)s, not %(month)s.")
                                   % {"found": ws["B3"].value, "month": f"{period:%Y-%m}"}))
    values, rows, seen = [], {}, set()
    for r in range(UNIT_FIRST_ROW, ws.max_row + 1):
        code = ws.cell(row=r, column=1).value
        if code is None and all(ws.cell(row=r, column=c).value is None for c in range(1, 8)):
            continue
        code = str(code or "").strip()
        if code not in indicators:
            errors.append(ImportError_(SHEET, r, "A", _("unknown indicator code “%(code)s” for this unit.")
                                       % {"code": code}))
            continue
        if code in seen:
            errors.append(ImportError_(SHEET, r, "A", _("indicator “%(code)s” appears twice.") % {"code": code}))
            continue
        seen.add(code)
        value = _read_value(ws, r, UNIT_COLUMNS, indicators[code], errors)
        if value is not None and (value.numerator, value.denominator, value.done, value.note) != (None, None, None, ""):
            values.append(value)
            rows[code] = r
    if errors:
        raise ImportRefused(errors)
    version = report.version if report else 0
    try:
        report = report_save(unit=unit, period=period, by=by, values=values, version=version)
    except ValidationError as exc:
        raise ImportRefused(_service_errors(exc, rows, UNIT_COLUMNS)) from exc
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=report,
                 note=_("Imported from %(name)s") % {"name": getattr(upload, "name", "Excel")})
    return report


def bulk_import(*, period: dt.date, upload, by) -> int:
    """Many units' drafts for one month from one sheet, by a reviewer of all of them; all rows or none."""
    # The bulk template holds a row per unit the user sees and indicator: never more than that, nor the cap.
    most = units_visible_to(user=by).count() * Indicator.objects.filter(is_active=True).count()
    ws = _sheet(_open_workbook(upload, max_rows=min(settings.PORTAL_IMPORT_MAX_ROWS,
                                                      BULK_FIRST_ROW + most + SPARE_ROWS)))
    errors = []
    if str(ws["B2"].value or "").strip() != f"{period:%Y-%m}":
        errors.append(ImportError_(SHEET, 2, "B", _("this file is for month %(found)s, not %(month)s.")
                                   % {"found": ws["B2"].value, "month": f"{period:%Y-%m}"}))
    visible = {u.code: u for u in units_visible_to(user=by).filter(
        code__in={str(ws.cell(row=r, column=1).value or "").strip() for r in range(BULK_FIRST_ROW, ws.max_row + 1)})}
    reviewable = {code for code, unit in visible.items() if user_can_oversee(user=by, unit=unit)}
    per_unit: dict[str, list] = {}
    rows: dict[tuple, int] = {}
    indicator_cache: dict[str, dict] = {}
    for r in range(BULK_FIRST_ROW, ws.max_row + 1):
        unit_code = str(ws.cell(row=r, column=1).value or "").strip()
        code = str(ws.cell(row=r, column=2).value or "").strip()
        if not unit_code and not code:
            continue
        if unit_code not in reviewable:
            # Unknown and not yours read the same.
            errors.append(ImportError_(SHEET, r, "A", _("unknown unit code “%(code)s”.") % {"code": unit_code}))
            continue
        unit = visible[unit_code]
        if unit_code not in indicator_cache:
            indicator_cache[unit_code] = {row["indicator"].code: row["indicator"] for row in report_form_context(
                unit=unit, period=period, report=None)}
        indicators = indicator_cache[unit_code]
        if code not in indicators:
            errors.append(ImportError_(SHEET, r, "B", _("unknown indicator code “%(code)s” for this unit.")
                                       % {"code": code}))
            continue
        if (unit_code, code) in rows:
            errors.append(ImportError_(SHEET, r, "B", _("unit %(unit)s and indicator %(code)s appear twice "
                                                        "(first on row %(row)s).")
                                       % {"unit": unit_code, "code": code, "row": rows[(unit_code, code)]}))
            continue
        rows[(unit_code, code)] = r
        value = _read_value(ws, r, BULK_COLUMNS, indicators[code], errors)
        if value is not None and (value.numerator, value.denominator, value.done, value.note) != (None, None, None, ""):
            per_unit.setdefault(unit_code, []).append(value)
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        for unit_code, values in per_unit.items():
            first = min(r for (u, _c), r in rows.items() if u == unit_code)
            try:
                report_values_import(unit=visible[unit_code], period=period, values=values, by=by)
            except ApplicationError as exc:
                raise ImportRefused([ImportError_(SHEET, first, "A", exc.message)]) from exc
            except ValidationError as exc:
                unit_rows = {c: r for (u, c), r in rows.items() if u == unit_code}
                raise ImportRefused(_service_errors(exc, unit_rows, BULK_COLUMNS)) from exc
    return sum(len(v) for v in per_unit.values())


def import_refusal_messages(exc: ImportRefused) -> list[str]:
    """The first errors, then how many more: a page a person can read, not 100,000 lines."""
    shown = [str(error) for error in exc.errors[:ERRORS_SHOWN]]
    rest = len(exc.errors) - len(shown)
    if rest > 0:
        shown.append(ngettext("… and %(count)s more error.", "… and %(count)s more errors.", rest)
                     % {"count": number_format(rest)})
    return shown

