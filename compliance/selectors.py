import datetime as dt
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import ComplianceResult, ComplianceRun, ReportingResult, Status
from core.periods import Span, month_last_day
from plans.models import Plan
from targets.binding import (
    TargetValue,
    not_in_force_reason,
    rank,
    target_values_for,
    targets_for_unit,
    targets_in_force,
)
from targets.models import Indicator, Target, TargetUnitValue
from units.access import sees_all, units_visible_to
from units.models import Membership, Unit


def results_visible_to(*, user, period: dt.date) -> QuerySet[ComplianceResult]:
    """The current results of a month for the units the user may see."""
    return (ComplianceResult.objects.filter(run__period=period, run__is_current=True,
                                            unit__in=units_visible_to(user=user))
            .select_related("unit", "indicator"))


def reporting_visible_to(*, user, period: dt.date) -> QuerySet[ReportingResult]:
    return (ReportingResult.objects.filter(run__period=period, run__is_current=True,
                                           unit__in=units_visible_to(user=user)).select_related("unit"))


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def current_run_in(*, span: Span) -> ComplianceRun | None:
    """The latest month of the span that has current results: a quarter or a year is read at its latest month.

    Never a month that has not begun: results computed for one would be about figures nobody could have yet.
    """
    return (ComplianceRun.objects.filter(is_current=True, period__gte=span.first,
                                         period__lte=min(span.last, _this_month()))
            .order_by("-period").first())


def latest_computed_month() -> dt.date | None:
    return (ComplianceRun.objects.filter(is_current=True, period__lte=_this_month())
            .order_by("-period").values_list("period", flat=True).first())


def home_unit(*, user) -> Unit | None:
    """Where the dashboard opens: the national root for staff, else the highest unit the user reviews or views."""
    visible = units_visible_to(user=user)
    if sees_all(user):
        return visible.filter(depth=1).order_by("path").first()
    return (visible.filter(memberships__user=user).order_by("depth", "path").first())


@dataclass
class Cell:
    value: object
    status: str
    target: str
    bound: bool = False  # judged against a target
    held: str = ""  # the target in force in full: value, plan, deadline
    conflict: str = ""  # the open conflict of the target in force, in the plan's words


class TargetLabel(NamedTuple):
    """What a cell says of its target in force: the value, the whole line (value · plan · deadline), a conflict."""

    value: str
    held: str
    conflict: str


def conflict_text(conflict: str) -> str:
    """An open conflict as the marker's title and the workbook's note: the legend's words, then the plan's."""
    return _("Unresolved conflict in the plan: %(conflict)s") % {"conflict": conflict}


def target_labels(target_ids) -> dict[int, TargetLabel]:
    """Target id → its labels, for the scorecard and the workbook: one query. A target that sets values for named
    units is marked "*" (its value is not every unit's; each cell's reason names the value it was judged against)."""
    targets = Target.objects.filter(pk__in=set(target_ids)).select_related("plan__issuer").annotate(
        per_unit=Exists(TargetUnitValue.objects.filter(target=OuterRef("pk"))))
    return {t.pk: TargetLabel(f"{t.value_label}*" if t.per_unit else t.value_label,
                              _("%(held)s · values set for some units") % {"held": t.held_label} if t.per_unit
                              else t.held_label, t.conflict if t.conflict_open else "")
            for t in targets}


class SubtreeResult(NamedTuple):
    """What a scorecard cell reads of a result: the subtree's value and status against its target."""

    unit_id: int
    indicator_id: int
    target_id: int | None
    sub_value: object
    sub_status: str


class ScorecardRow(NamedTuple):
    unit: Unit
    cells: list  # Cell | None per indicator, in the scorecard's order (or their HTML, once built)


# Worst first: the order of the dashboard's sort by status.
STATUS_ORDER = (Status.BEHIND, Status.OVERDUE, Status.AT_RISK, Status.NO_DATA, Status.ON_TRACK, Status.MET)
BEHIND_STATUSES = frozenset({Status.BEHIND, Status.OVERDUE})


class ScorecardView(NamedTuple):
    """How the rows are shown: sorted by name, by status ("status") or by one indicator's status (its code);
    only the units behind; the units without any target among the rows rather than collapsed."""

    sort: str = ""
    behind: bool = False
    everything: bool = False


DEFAULT_VIEW = ScorecardView()


@dataclass
class Scorecard:
    unit: Unit
    month: dt.date
    groups: list  # [(group, [indicator, …])]
    rows: list[ScorecardRow]
    totals: list  # [Cell | None, …]
    reporting: ReportingResult | None
    overdue: list
    overdue_count: int
    untargeted: list = field(default_factory=list)  # units below with no target on the page, collapsed into one line
    shown: int = 0  # rows before the "only units behind" filter
    sort_indicator: Indicator | None = None
    labels: dict = field(default_factory=dict)  # target id → TargetLabel, of every target a cell reads
    every_row: list[ScorecardRow] = field(default_factory=list)  # every unit below by name, shown or not


class RowStanding(NamedTuple):
    """What arranging a row reads of its cells: each one's status, in the scorecard's order (None where the unit has
    no result for the indicator, "" where the result has no status), and whether any cell is judged against a target.
    Light enough to keep with a row's HTML, so a row rebuilt after an approval is arranged as a full build would."""

    statuses: tuple
    bound: bool


def row_standing(cells: list) -> RowStanding:
    # Interned: a national page keeps tens of thousands of statuses, pickled once each rather than once a cell.
    return RowStanding(tuple(None if cell is None else sys.intern(cell.status) for cell in cells),
                       any(cell is not None and cell.bound for cell in cells))


def _status_key(statuses: tuple) -> tuple:
    """Worst first: more cells behind, then more overdue, at risk, without data, on track, met."""
    return tuple(-statuses.count(status) for status in STATUS_ORDER)


def _one_status_key(status: str | None) -> int:
    """One indicator's status, worst first; a cell without a status, then without a result, last."""
    if status is None:
        return len(STATUS_ORDER) + 1
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


class Arranged(NamedTuple):
    """The rows to show (their positions in the rows given, by name), the units without a target (likewise), the
    count of rows before the "only units behind" filter, and the column sorted by."""

    shown: list[int]
    untargeted: list[int]
    count: int
    column: int | None


def rows_arranged(standings: list[RowStanding], codes: list[str], view: ScorecardView) -> Arranged:
    """Which rows show and in what order, from their standings (in the order of the units' names) and the view."""
    positions = list(range(len(standings)))
    untargeted = [] if view.everything else [i for i in positions if not standings[i].bound]
    if untargeted:
        positions = [i for i in positions if standings[i].bound]
    column = next((i for i, code in enumerate(codes) if code == view.sort), None)
    if column is not None:  # stable: by name within a status
        positions = sorted(positions, key=lambda i: _one_status_key(standings[i].statuses[column]))
    elif view.sort == "status":
        positions = sorted(positions, key=lambda i: _status_key(standings[i].statuses))
    count = len(positions)
    if view.behind:
        positions = [i for i in positions if any(s in BEHIND_STATUSES for s in standings[i].statuses)]
    return Arranged(positions, untargeted, count, column)


def subtree_results(*, run: ComplianceRun, unit_ids: list[int]) -> list[SubtreeResult]:
    """What the scorecard's cells read of these units' results: light records, as a province's page holds thousands
    of cells."""
    return [SubtreeResult(*row) for row in ComplianceResult.objects.filter(run=run, unit_id__in=unit_ids)
            .values_list(*SubtreeResult._fields)]


def _cell(result: SubtreeResult | None, labels: dict[int, TargetLabel]) -> Cell | None:
    if result is None:
        return None
    label = labels.get(result.target_id) or TargetLabel("", "", "")
    return Cell(result.sub_value, result.sub_status, label.value, bool(result.target_id or result.sub_status),
                label.held, label.conflict)


def scorecard_cells(results: list[SubtreeResult], *, unit_ids: list[int], indicator_ids: list[int],
                    labels: dict[int, TargetLabel]) -> dict[int, list[Cell | None]]:
    """Each unit's cells, one per indicator in the order given; the labels of any target not among them are read."""
    missing = {r.target_id for r in results if r.target_id and r.target_id not in labels}
    if missing:
        labels.update(target_labels(missing))
    by_key = {(r.unit_id, r.indicator_id): r for r in results}
    return {unit_id: [_cell(by_key.get((unit_id, i)), labels) for i in indicator_ids] for unit_id in unit_ids}


def scorecard(*, user, unit: Unit, run: ComplianceRun, plan: Plan | None = None, overdue_limit: int = 50,
              view: ScorecardView = DEFAULT_VIEW) -> Scorecard:
    """The units one level down by the indicators, each cell its subtree's value, target and status.

    Units without a target on the page are set apart (`untargeted`) unless the view asks for every unit.
    """
    month = run.period
    children = list(units_visible_to(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1)
                    .order_by("name"))
    ids = [unit.pk, *(child.pk for child in children)]
    results = subtree_results(run=run, unit_ids=ids) if run else []
    indicator_ids = {r.indicator_id for r in results}
    if plan is not None:
        indicator_ids &= set(plan.targets.values_list("indicator_id", flat=True))
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).select_related("group")
                      .order_by("group__order", "code"))
    labels: dict[int, TargetLabel] = {}
    groups: dict = {}
    for indicator in indicators:
        groups.setdefault(indicator.group, []).append(indicator)
    ordered = [i for group in groups.values() for i in group]
    cells = scorecard_cells(results, unit_ids=ids, indicator_ids=[i.pk for i in ordered], labels=labels)
    rows = [ScorecardRow(child, cells[child.pk]) for child in children]
    arranged = rows_arranged([row_standing(row.cells) for row in rows], [i.code for i in ordered], view)
    totals = cells[unit.pk]
    reporting = ReportingResult.objects.filter(run=run, unit=unit).first() if run else None
    overdue_qs = (ReportingResult.objects.filter(run=run, own=ReportingResult.Own.OVERDUE,
                                                 unit__path__startswith=unit.path)
                  .filter(unit__in=units_visible_to(user=user)).select_related("unit").order_by("due_on", "unit__name")
                  ) if run else ReportingResult.objects.none()
    overdue = list(overdue_qs[:overdue_limit])
    clerks: dict[int, list] = {}
    for membership in Membership.objects.filter(unit__in=[row.unit_id for row in overdue],
                                                role=Membership.Role.CLERK).select_related("user"):
        clerks.setdefault(membership.unit_id, []).append(membership.user)
    today = timezone.localdate()
    for row in overdue:
        row.clerks = clerks.get(row.unit_id, [])
        row.days_overdue = (today - row.due_on).days if row.due_on else None
    return Scorecard(unit, month, list(groups.items()), [rows[i] for i in arranged.shown], totals, reporting,
                     overdue, overdue_qs.count() if len(overdue) == overdue_limit else len(overdue),
                     [rows[i].unit for i in arranged.untargeted], arranged.count,
                     None if arranged.column is None else ordered[arranged.column], labels, rows)


class TrendPoint(NamedTuple):
    """One month of an indicator's trend for a unit, with what its target asks of that unit (its own value, or the
    value the target sets for the unit or a unit above it)."""

    result: ComplianceResult
    asked: TargetValue | None

    @property
    def target_value(self) -> Decimal | None:
        return self.asked.value if self.asked else None

    @property
    def held_label(self) -> str:
        """`Target.held_label` (value · plan · deadline) with the value asked of this unit."""
        target = self.result.target
        if target is None:
            return ""
        return self.asked.said + target.held_label.removeprefix(target.value_label)


def indicator_trend(*, unit: Unit, indicator: Indicator, year: int) -> list[TrendPoint]:
    results = list(ComplianceResult.objects.filter(run__is_current=True, run__period__year=year, unit=unit,
                                                   indicator=indicator).select_related("run", "target__plan__issuer")
                   .order_by("run__period"))
    asked = target_values_for(unit=unit, targets={r.target for r in results if r.target})
    return [TrendPoint(r, asked.get(r.target_id)) for r in results]


def indicator_spread(*, user, unit: Unit, indicator: Indicator, month: dt.date) -> list[ComplianceResult]:
    return list(ComplianceResult.objects.filter(
        run__is_current=True, run__period=month, indicator=indicator,
        unit__in=units_visible_to(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1),
    ).select_related("unit").order_by("sub_value"))


def units_behind(*, user, unit: Unit, indicator: Indicator, month: dt.date, limit: int = 100):
    return list(ComplianceResult.objects.filter(
        run__is_current=True, run__period=month, indicator=indicator,
        status__in=[Status.BEHIND, Status.AT_RISK, Status.OVERDUE],
        unit__in=units_visible_to(user=user).filter(path__startswith=unit.path),
    ).select_related("unit").order_by("value", "unit__name")[:limit])


class NotInForce(NamedTuple):
    """A target that binds the unit for an indicator but does not hold this month, and why."""

    target: Target
    reason: str


class UnitResult(NamedTuple):
    """One indicator on the unit page: the result (its target is the one in force) and the other binding targets."""

    result: ComplianceResult
    others: list[NotInForce]
    own: bool  # the unit itself is bound; otherwise the target judges only its subtree's total
    asked: str = ""  # what the target in force asks of this unit: a value set for it, or the target's own


def _why_not_held(target: Target, held: list[Target]) -> str:
    """Why another target binding the unit is not the one this row was judged by (the rule: targets.binding)."""
    if target in held:
        return _("Also in force, judged side by side; the row shows the one furthest behind")
    return not_in_force_reason(target, held)


def unit_results(*, unit: Unit, month: dt.date) -> list[UnitResult]:
    """The unit's results of the month, each with the targets that also bind it for the indicator but do not hold."""
    results = list(ComplianceResult.objects.filter(run__is_current=True, run__period=month, unit=unit)
                   .select_related("indicator__group", "target__plan__issuer", "target__scope_unit")
                   .order_by("indicator__group__order", "indicator__code"))
    bound: dict[int, list[Target]] = {}
    for target in targets_for_unit(unit=unit, period=month):
        bound.setdefault(target.indicator_id, []).append(target)
    month_end = month_last_day(month.year, month.month)
    # The targets read for the unit carry its own values; a total judged from above reads them in one query.
    read = {t.pk: t for targets in bound.values() for t in targets}
    asked = target_values_for(unit=unit, targets=[t for t in read.values()])
    asked.update(target_values_for(unit=unit, targets=[r.target for r in results
                                                       if r.target_id and r.target_id not in read]))
    rows = []
    for result in results:
        targets = bound.get(result.indicator_id, [])
        held = targets_in_force(targets, month_end)
        others = sorted((t for t in targets if t.pk != result.target_id),
                        key=lambda t: (tuple(-r for r in rank(t)), t.due_on or dt.date.max, t.position))
        rows.append(UnitResult(result, [NotInForce(t, _why_not_held(t, held)) for t in others],
                               result.indicator_id in bound,
                               asked[result.target_id].label if result.target_id in asked else ""))
    return rows
