"""Per-unit values of a plan's target: the grid (units × value, upper value), its Excel template and import.

A value set for a unit replaces the target's own for that unit and every unit under it (the nearest named unit
wins: `targets.binding`). The grid lists the units directly under the target's scope unit (the issuer unless the
plan names another) and any unit further down that already has a value; a file may name any unit under the scope
unit. An empty value removes the unit's own: the target's holds again. All rows or none; every change audited.

Who may set them: whoever may write the plan. Until `units.access` says who authors a plan, that is a reviewer of
the issuing unit (`user_can_review`) or staff, for a plan they may see (`plans.selectors.plan_list`).
"""

import io
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection

from authoring.signals import unit_values_changed
from core.exceptions import ApplicationError
from core.files import xlsx_inspect
from core.formatting import number_format
from core.models import AuditEvent
from core.services import audit_record
from core.xlsx import cell_put
from targets.models import Comparator, Target, TargetUnitValue
from units.access import sees_all, user_can_review
from units.models import Unit

SHEET = "Giá trị theo đơn vị"
FIRST_ROW = 5  # the header on row 4
COLUMNS = 5  # unit code, unit name, kind, value, upper value
SPARE_ROWS = 50
INPUT = PatternFill("solid", fgColor="FFF9DB")
HUNDRED = Decimal(100)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UnitValueInput:
    """One row of the grid or the file: a unit's code and its value(s); no value removes the unit's own."""

    unit_code: str
    value: Decimal | None
    value_max: Decimal | None = None
    row: int = 0  # the sheet's row, or 0 from the web grid


@dataclass(frozen=True, slots=True)
class GridRow:
    unit: Unit
    value: Decimal | None  # the unit's own, or None (the target's holds)
    value_max: Decimal | None


class UnitValuesRefused(ApplicationError):
    """Nothing was written; `errors` name each row and what is wrong with it."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if len(errors) == 1 else _("%(count)s rows are wrong; nothing was saved.")
                         % {"count": len(errors)}, {"errors": errors})
        self.errors = errors


def user_may_set_unit_values(*, user, target: Target) -> bool:
    """Who may write the plan: a reviewer of its issuer (or above), or staff."""
    return sees_all(user) or user_can_review(user=user, unit=target.plan.issuer)


def _units_under(target: Target):
    scope = target.scope
    return Unit.objects.filter(path__startswith=scope.path, depth__gt=scope.depth)


def target_unit_values_grid(*, target: Target) -> list[GridRow]:
    """The units directly under the scope unit, and any further down with a value of their own, in tree order."""
    values = {v.unit_id: v for v in target.unit_values.all()}
    scope = target.scope
    units = _units_under(target).filter(depth=scope.depth + 1) | _units_under(target).filter(pk__in=list(values))
    return [GridRow(unit, values[unit.pk].value if unit.pk in values else None,
                    values[unit.pk].value_max if unit.pk in values else None)
            for unit in units.order_by("path")]


def percent_parse(raw) -> Decimal | None:
    """A percentage as people type it: 85, 85,5, 85.5 or 85%; empty → None. Raises ValueError in words."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("enter a percentage between 0 and 100."))
    text = str(raw).strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a percentage: enter a number between 0 and 100.")
                         % {"value": raw}) from None
    if not value.is_finite() or not 0 <= value <= HUNDRED:
        raise ValueError(_("“%(value)s” is not a percentage: enter a number between 0 and 100.") % {"value": raw})
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("enter at most two decimals."))
    return value.quantize(Decimal("0.01"))


def _where(row: UnitValueInput) -> str:
    return _("Row %(row)s") % {"row": row.row} if row.row else row.unit_code


def _check(target: Target, row: UnitValueInput) -> str | None:
    """What is wrong with one row, in words, or None."""
    if row.value is None:
        return _("an upper value needs the lower value too.") if row.value_max is not None else None
    if target.comparator == Comparator.RANGE:
        if row.value_max is None:
            return _("this target is a range: enter the upper value too.")
        if row.value >= row.value_max:
            return _("the lower value (%(low)s%%) must be below the upper value (%(high)s%%).") % {
                "low": number_format(row.value), "high": number_format(row.value_max)}
    elif row.value_max is not None:
        return _("only a range has an upper value; leave it empty.")
    return None


def _validate(target: Target, rows: list[UnitValueInput]) -> dict[str, Unit]:
    if target.comparator == Comparator.DONE:
        raise UnitValuesRefused([_("A milestone has no value to set per unit.")])
    units = {u.code: u for u in _units_under(target).filter(code__in={r.unit_code for r in rows})}
    errors, seen = [], {}
    for row in rows:
        problem = None
        if row.unit_code not in units:
            problem = _("no unit with code “%(code)s” under %(scope)s.") % {"code": row.unit_code,
                                                                              "scope": target.scope.name}
        elif row.unit_code in seen:
            problem = _("unit %(code)s appears twice (first at %(first)s).") % {"code": row.unit_code,
                                                                                 "first": seen[row.unit_code]}
        else:
            seen[row.unit_code] = _where(row)
            problem = _check(target, row)
        if problem:
            errors.append(f"{_where(row)}: {problem}")
    if errors:
        raise UnitValuesRefused(errors)
    return units


@transaction.atomic
def target_unit_values_set(*, by, target: Target, rows: list[UnitValueInput]) -> int:
    """Set, change or remove the values of the units named; all rows or none. Returns how many changed."""
    if not user_may_set_unit_values(user=by, target=target):
        raise ApplicationError(_("You may not change this plan's targets."))
    units = _validate(target, rows)
    current = {v.unit_id: v for v in TargetUnitValue.objects.select_for_update().filter(
        target=target, unit__in=list(units.values()))}
    changed = 0
    for row in rows:
        unit = units[row.unit_code]
        held = current.get(unit.pk)
        if row.value is None:
            if held is not None:
                audit_record(actor=by, action=AuditEvent.Action.DELETE, instance=held, changes={
                    "value": [_text(held.value), None], "value_max": [_text(held.value_max), None]},
                    note=unit.code)
                held.delete()
                changed += 1
            continue
        if held is None:
            held = TargetUnitValue(target=target, unit=unit, value=row.value, value_max=row.value_max)
            held.full_clean()
            held.save()
            audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=held, changes={
                "value": [None, _text(row.value)], "value_max": [None, _text(row.value_max)]}, note=unit.code)
            changed += 1
        elif (held.value, held.value_max) != (row.value, row.value_max):
            changes = {"value": [_text(held.value), _text(row.value)],
                       "value_max": [_text(held.value_max), _text(row.value_max)]}
            held.value, held.value_max = row.value, row.value_max
            held.full_clean()
            held.save(update_fields=["value", "value_max"])
            audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=held, changes=changes, note=unit.code)
            changed += 1
    if changed:
        unit_values_changed.send(sender=Target, target=target)
    return changed


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


# --- the Excel template and its import ---------------------------------------------------------------------------


def target_unit_values_template(*, target: Target) -> bytes:
    """The grid as a workbook: the units listed, value cells unlocked and tinted, no formula anywhere."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cell_put(ws, 1, 1, _("Values per unit: %(target)s") % {"target": f"{target.indicator.name} "
                                                                     f"{target.value_label} "
                                                                     f"({target.plan.short_label})"}
             ).font = Font(bold=True, size=13)
    cell_put(ws, 2, 1, _("Target"))
    cell_put(ws, 2, 2, str(target.pk))
    cell_put(ws, 3, 1, _("Enter percentages (85 or 85,5); leave empty to use the target's own value. "
                         "The upper value is for a range only. Do not add columns."))
    headers = [_("Unit code"), _("Unit"), _("Kind"), _("Value (%)"), _("Upper value (%)")]
    for column, header in enumerate(headers, start=1):
        cell_put(ws, 4, column, header).font = Font(bold=True)
    for offset, row in enumerate(target_unit_values_grid(target=target)):
        r = FIRST_ROW + offset
        cell_put(ws, r, 1, row.unit.code)
        cell_put(ws, r, 2, row.unit.name)
        cell_put(ws, r, 3, str(row.unit.get_kind_display()))
        cell_put(ws, r, 4, float(row.value) if row.value is not None else None)
        cell_put(ws, r, 5, float(row.value_max) if row.value_max is not None else None)
        for column in (4, 5):
            cell = ws.cell(row=r, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT
    for column, width in zip("ABCDE", [24, 50, 30, 14, 16], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet(target: Target, upload):
    """The template's sheet, or a refusal a person can act on, decided before openpyxl reads the file."""
    most = _units_under(target).count()
    xlsx_inspect(upload, max_rows=FIRST_ROW + most + SPARE_ROWS, max_cols=COLUMNS + 5)
    try:
        workbook = load_workbook(upload, data_only=False)
    except Exception as exc:
        logger.info("Unreadable workbook %s: %r", getattr(upload, "name", ""), exc)
        raise ApplicationError(_("The workbook cannot be read: open it in Excel, save it again as .xlsx and upload "
                                 "it again.")) from exc
    if SHEET not in workbook.sheetnames:
        raise ApplicationError(_("The workbook has no sheet “%(sheet)s”: use the template from the portal.")
                               % {"sheet": SHEET})
    ws = workbook[SHEET]
    if str(ws["B2"].value or "").strip() != str(target.pk):
        raise UnitValuesRefused([_("Row 2: this template is for another target; download this target's template.")])
    return ws


def _read_rows(ws) -> tuple[list[UnitValueInput], list[str]]:
    rows, errors = [], []
    for r in range(FIRST_ROW, ws.max_row + 1):
        cells = [ws.cell(row=r, column=c).value for c in range(1, COLUMNS + 1)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if any(isinstance(v, str) and v.startswith("=") for v in cells[3:]) or \
                any(ws.cell(row=r, column=c).data_type == "f" for c in (4, 5)):
            errors.append(_("Row %(row)s: enter the value itself, not a formula.") % {"row": r})
            continue
        try:
            value, value_max = percent_parse(cells[3]), percent_parse(cells[4])
        except ValueError as exc:
            errors.append(_("Row %(row)s: %(error)s") % {"row": r, "error": str(exc)})
            continue
        rows.append(UnitValueInput(str(cells[0] or "").strip(), value, value_max, r))
    return rows, errors


def target_unit_values_import(*, by, target: Target, upload) -> int:
    """The template filled in, read back: all rows or none, errors by row. Returns how many values changed."""
    if not user_may_set_unit_values(user=by, target=target):
        raise ApplicationError(_("You may not change this plan's targets."))
    rows, errors = _read_rows(_sheet(target, upload))
    if errors:
        raise UnitValuesRefused(errors)
    return target_unit_values_set(by=by, target=target, rows=rows)
