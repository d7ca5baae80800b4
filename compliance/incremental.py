"""An approval, reopening or return applied in place to a month's current results: the unit's own rows and the
totals of its ancestors, judged again by the very functions the full computation judges with.

State, not events: the unit's own standing is worked out afresh from its approved figures as they are now; its
subtree's sums are its children's stored sums plus its own; each ancestor's sums move by the difference its child on
the path made (a ratio of sums by the numerator and denominator, a share of units by the unit's change of state).
Applying a change twice, or one the current run already counts, therefore changes nothing.

What stays as the run has it: who is expected and who reported (`ReportingResult`: a report counts as sent once
submitted, whatever its reviewer then decides), the stages each unit is judged by, and each subtree's figures in its
paths' baseline months (`ComplianceResult.sub_bases`).

Where the change cannot be applied exactly, `Fallback` says why and the month is recomputed in full instead:
- the month has no current run (nothing to apply to);
- a target's deadline falls within the month so that a path may start from the month itself: the month's approved
  figures are then also a baseline, summed into every subtree's (this covers the flow indicators whose baseline is
  that month);
- the tree, a plan or a target changed since the run started (their audit rows say so), or the current run does
  not hold the rows the unit's bindings call for: the run and today's rule disagree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from compliance.computation import (
    NO_OWN,
    RESULT_COLUMNS,
    STEP,
    Month,
    OwnResult,
    Stages,
    UnitRow,
    _baseline_month,
    _baselines,
    _bind,
    _figures,
    _own_node,
    _own_result,
    _total_stages,
    bases_load,
    overdue_reason,
    result_row,
)
from compliance.engine import Node, Texts
from compliance.models import ComplianceResult, ComplianceRun, ReportingResult
from core.models import AuditEvent
from core.periods import month_last_day
from targets.binding import Bindings
from targets.models import Flow, Indicator, Target
from units.models import Unit
from units.selectors import unit_open_in_month

# The columns an applied change writes, as `result_row` gives them: every one after run, unit and indicator but the
# baseline sums, which it leaves as they are.
WRITTEN = tuple(column for column in RESULT_COLUMNS[3:] if column != "sub_bases")
OWN_COLUMNS = OwnResult._fields
# What the run's tree and bindings were read from: a change to any of them since the run started is not applied.
# (Their audit rows' object types; a value a target sets for one unit is one of them.)
BINDING_OBJECTS = ("units.unit", "plans.plan", "targets.target", "targets.targetunitvalue")


class Fallback:
    """Why a change is left to a full recomputation of the month (the cases in the module's docstring)."""

    NO_RUN = "no current run"
    BASELINE_MONTH = "the month is a baseline month"
    BINDINGS_CHANGED = "the current run disagrees with today's bindings"


@dataclass(frozen=True, slots=True)
class Applied:
    """What became of one change: the rows rewritten, or why the full recomputation was asked for instead."""

    rows: int = 0
    fallback: str = ""


@dataclass(slots=True)
class Sums:
    """A subtree's sums as its result row keeps them (the row's `sub_*` columns), without its baseline months."""

    numerator: int
    denominator: int
    expected: int
    reporting: int
    meeting: int
    has_counts: bool

    @classmethod
    def of(cls, row: ComplianceResult) -> "Sums":
        return cls(row.sub_numerator or 0, row.sub_denominator or 0, row.sub_expected, row.sub_reporting,
                   row.sub_meeting, row.sub_numerator is not None)

    def node(self, bases) -> Node:
        return Node(self.numerator, self.denominator, self.expected, self.reporting, self.meeting, self.has_counts,
                    bases)


def change_apply(*, run: ComplianceRun, unit_id: int) -> Applied:
    """Rewrite the run's rows of the unit and its ancestors for every indicator the unit is judged on.

    The caller holds the month (no full computation runs); the caller asks for a recomputation on a fallback."""
    if _baseline_month_possible(run.period):
        return Applied(fallback=Fallback.BASELINE_MONTH)
    if AuditEvent.objects.filter(object_type__in=BINDING_OBJECTS, at__gte=run.started_at).exists():
        return Applied(fallback=Fallback.BINDINGS_CHANGED)  # a unit moved, say: its old ancestors hold its figures
    path = _path_units(unit_id, month_end=month_last_day(run.period.year, run.period.month))
    if not path:
        return Applied()
    month = Month(run=run, period=run.period, month_end=month_last_day(run.period.year, run.period.month),
                  today=timezone.localtime(run.as_of).date(), texts=Texts(),
                  indicators={i.pk: i for i in Indicator.objects.all()}, units=path, bindings=Bindings(), roll=None)
    unit = path[-1]
    stages = _bind(month)  # the path's units only: each one's own stages, as the full computation binds them
    rows = {(r.unit_id, r.indicator_id): r for r in ComplianceResult.objects.filter(
        run=run, unit_id__in=[u.id for u in path])}
    indicator_ids = sorted({i for (u, i) in stages if u == unit.id}
                           | {i for (u, i), r in rows.items() if u == unit.id and r.reason})
    if not indicator_ids:
        return Applied()
    if not _rows_agree(path, indicator_ids, stages, rows):
        return Applied(fallback=Fallback.BINDINGS_CHANGED)
    judged = _path_judged(month, indicator_ids, stages)
    own_results = _unit_own(month, unit, indicator_ids, stages)
    children = _children_sums(run, unit, indicator_ids)
    changed = []
    for indicator_id in indicator_ids:
        changed += _path_rewrite(month, month.indicators[indicator_id], path, rows, judged, own_results[indicator_id],
                                 children.get(indicator_id))
    _rows_write(changed)
    return Applied(rows=len(changed))


def _baseline_month_possible(period: dt.date) -> bool:
    """Whether a stage in force in the month may start its path within it, making the month a baseline month.

    A stage's path starts the day after the stage before it fell due, so a deadline inside the month (before its
    last day, when the later stage is in force) makes it one; so does a stage clipped to its own deadline (due no
    later than the stage before it, or before its plan's first year), due from the month's second day to the first
    of the next month."""
    month_end = month_last_day(period.year, period.month)
    candidates = list(Target.objects.filter(
        superseded_by__isnull=True, due_on__gte=period, due_on__lte=month_end + dt.timedelta(days=1),
    ).select_related("plan"))
    for target in candidates:
        if target.due_on < month_end:
            return True
        if target.due_on.year < target.plan.year_start or Target.objects.filter(
                plan_id=target.plan_id, indicator_id=target.indicator_id, due_on__gte=target.due_on,
                superseded_by__isnull=True).exclude(pk=target.pk).exists():
            return True
    return False


def _path_units(unit_id: int, *, month_end: dt.date) -> list[UnitRow]:
    """The unit's ancestors from the top, then the unit: the rows an approval of its report moves."""
    unit = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if unit is None:
        return []
    paths = [unit[:end] for end in range(STEP, len(unit) + 1, STEP)]
    return [UnitRow(pk, path, depth, kind, unit_open_in_month(opened_on=opened, closed_on=closed, month_end=month_end))
            for pk, path, depth, kind, opened, closed in Unit.objects.filter(path__in=paths).order_by("path")
            .values_list("pk", "path", "depth", "kind", "opened_on", "closed_on")]


def _rows_agree(path: list[UnitRow], indicator_ids: list[int], stages: dict, rows: dict) -> bool:
    """The run holds a row for each unit of the path, and an own result exactly where a unit is bound today.

    A bound unit's own reason is never empty; an unbound unit's row (a total) has none."""
    unit = path[-1]
    for indicator_id in indicator_ids:
        if (unit.id, indicator_id) not in stages:
            return False  # judged in the run, no longer bound today
        for member in path:
            row = rows.get((member.id, indicator_id))
            if row is None or bool(row.reason) != ((member.id, indicator_id) in stages):
                return False
    return True


def _path_judged(month: Month, indicator_ids: list[int], stages: dict) -> dict[tuple[int, int], Stages]:
    """(unit, indicator) → the stages each total on the path is judged by, as `computation.Judged.total` gives them.

    A bound unit's own stages; for an unbound ancestor, the stages of the bound units below it that its scope
    reaches. Only a target scoped at or above the ancestor can reach it: when none is, it is judged by nothing;
    otherwise the whole tree is bound, as the full computation binds it, to find them."""
    judged = {key: held for key, held in stages.items() if key[1] in indicator_ids}
    scopes = [(path, {t.indicator_id for t in targets}) for path, targets in month.bindings.by_scope.items()]
    unbound = [(member, indicator_id) for member in month.units for indicator_id in indicator_ids
               if (member.id, indicator_id) not in stages]
    reachable = [(member, indicator_id) for member, indicator_id in unbound
                 if any(member.path.startswith(path) and indicator_id in held for path, held in scopes)]
    totals = _tree_totals(month) if reachable else {}
    for member, indicator_id in unbound:
        judged[(member.id, indicator_id)] = totals.get((member.id, indicator_id), ())
    return judged


# The last run's totals, kept in the process: binding the whole tree costs seconds at national scale, and every
# change of the run's month reads the same totals. Keyed by the run and its start, as ids come back after a rollback.
_totals_kept: dict[tuple, dict[tuple[int, int], Stages]] = {}


def _tree_totals(month: Month) -> dict[tuple[int, int], Stages]:
    """The stages every unbound total of the month is judged by, as the full computation finds them."""
    key = (month.run.pk, month.run.started_at)
    if key not in _totals_kept:
        tree = Month.load(month.run)
        tree.bindings = month.bindings
        _totals_kept.clear()
        _totals_kept[key] = _total_stages(tree, _bind(tree))
    return _totals_kept[key]


def _unit_own(month: Month, unit: UnitRow, indicator_ids: list[int], stages: dict) -> dict[int, tuple]:
    """Indicator → the unit's own result and the node it adds to its subtree, from its figures as they are now."""
    flow_ids = {pk for pk, i in month.indicators.items() if i.flow == Flow.FLOW}
    figures = _figures(month.period, flow_ids, unit_ids=[unit.id])
    months = {_baseline_month(stage) for indicator_id in indicator_ids for stage in stages[(unit.id, indicator_id)]}
    baselines = _baselines(months, unit_ids=[unit.id]) if months else {}
    reporting = ReportingResult.objects.filter(run=month.run, unit_id=unit.id).values_list("own", "due_on").first()
    overdue = overdue_reason(month.period, reporting[1]) if reporting and reporting[0] == ReportingResult.Own.OVERDUE \
        else None
    result = {}
    for indicator_id in indicator_ids:
        indicator = month.indicators[indicator_id]
        figure = figures.get((unit.id, indicator_id))
        # Only the months its own stages start from: the other baseline months' figures stay as the run summed them.
        bases = baselines.get((unit.id, indicator_id))
        own = _own_result(month, indicator, stages[(unit.id, indicator_id)], figure, bases, overdue)
        result[indicator_id] = (own, _own_node(indicator, own, figure, bases))
    return result


def _children_sums(run: ComplianceRun, unit: UnitRow, indicator_ids: list[int]) -> dict[int, Sums]:
    """Indicator → the sums of the unit's children's subtrees, as the run holds them."""
    rows = ComplianceResult.objects.filter(
        run=run, indicator_id__in=indicator_ids, unit__path__startswith=unit.path, unit__depth=unit.depth + 1,
    ).values("indicator_id").annotate(
        numerator=Sum("sub_numerator"), denominator=Sum("sub_denominator"), expected=Sum("sub_expected"),
        reporting=Sum("sub_reporting"), meeting=Sum("sub_meeting"), counted=Count("sub_numerator"))
    return {r["indicator_id"]: Sums(r["numerator"] or 0, r["denominator"] or 0, r["expected"] or 0,
                                    r["reporting"] or 0, r["meeting"] or 0, bool(r["counted"])) for r in rows}


def _stored_own(row: ComplianceResult) -> OwnResult:
    """A bound unit's own result as the run holds it; NO_OWN for a total, so it is judged as the computation does."""
    if not row.reason:
        return NO_OWN
    return OwnResult(*(getattr(row, name) for name in OWN_COLUMNS))


def _path_rewrite(month: Month, indicator: Indicator, path: list[UnitRow], rows: dict, judged: dict,
                  own: tuple[OwnResult, Node], children: Sums | None) -> list[ComplianceResult]:
    """The unit's row from its own figures and its children's sums; then each ancestor's, moved by its child's
    difference, judged again. Returns the rows whose columns changed."""
    unit = path[-1]
    own_result, own_node = own
    row = rows[(unit.id, indicator.pk)]
    sums = children or Sums(0, 0, 0, 0, 0, False)
    new = Sums(sums.numerator + own_node.numerator, sums.denominator + own_node.denominator,
               sums.expected + own_node.expected, sums.reporting + own_node.reporting,
               sums.meeting + own_node.meeting, sums.has_counts or own_node.has_counts)
    changed = []
    old = Sums.of(row)
    if _row_set(row, result_row(month, indicator, judged[(unit.id, indicator.pk)], new.node(bases_load(row.sub_bases)),
                                own_result)):
        changed.append(row)
    child = unit
    for member in reversed(path[:-1]):
        row = rows[(member.id, indicator.pk)]
        before = Sums.of(row)
        moved = Sums(before.numerator + new.numerator - old.numerator,
                     before.denominator + new.denominator - old.denominator,
                     before.expected + new.expected - old.expected, before.reporting + new.reporting - old.reporting,
                     before.meeting + new.meeting - old.meeting,
                     _has_counts(month.run, member, child, row, before=before.has_counts, old=old.has_counts,
                                 new=new.has_counts))
        if _row_set(row, result_row(month, indicator, judged[(member.id, indicator.pk)],
                                    moved.node(bases_load(row.sub_bases)), _stored_own(row))):
            changed.append(row)
        old, new, child = before, moved, member
    return changed


def _has_counts(run: ComplianceRun, member: UnitRow, child: UnitRow, row: ComplianceResult, *, before: bool,
                old: bool, new: bool) -> bool:
    """Whether anyone in the subtree reported counts: an "or", which a difference cannot undo. When the child on
    the path stops counting, the subtree still does if the unit itself or another child does."""
    if new or not before:
        return new or before
    if not old:
        return before
    if row.numerator is not None:
        return True
    return ComplianceResult.objects.filter(
        run=run, indicator_id=row.indicator_id, unit__path__startswith=member.path, unit__depth=member.depth + 1,
        sub_numerator__isnull=False).exclude(unit_id=child.id).exists()


def _rows_write(rows: list[ComplianceResult]) -> None:
    """One plain UPDATE per row, by its key: the ORM's bulk_update builds a CASE per column and row, which costs
    seconds in Python for a path of forty indicators."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ComplianceResult._meta.db_table)
    columns = ", ".join(f"{quote(column)} = %s" for column in WRITTEN)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE {quote('id')} = %s",  # noqa: S608
                           [(*(getattr(row, column) for column in WRITTEN), row.pk) for row in rows])


def _row_set(row: ComplianceResult, values: tuple) -> bool:
    """Set the row's written columns from a computed row (own columns, then the subtree's); True if any changed."""
    changed = False
    for name, value in zip(WRITTEN, values, strict=False):
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed
