"""The quarter's figures that the report body and its annexes both read, so the two can never disagree."""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.utils.translation import gettext as _

from compliance.models import ComplianceResult, ComplianceRun, ReportingResult, Status
from compliance.selectors import conflict_text
from core.collector import collector_off
from core.models import Conflict
from core.periods import Quarter
from targets.binding import TargetValue, target_values_for, unit_values_load
from targets.models import Indicator, Target
from tasks.selectors import task_quarter_rows
from units.models import Unit, UnitKind
from units.selectors import unit_ancestor_paths, units_open_filter

# The order a reader meets the verdicts in, best first.
STATUS_ORDER = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.BEHIND, Status.OVERDUE, Status.NO_DATA]


class WorkbookResult(NamedTuple):
    """What the report reads of a unit's result for one indicator: its subtree's figures and verdict."""

    unit_id: int
    indicator_id: int
    target_id: int | None
    sub_numerator: int | None
    sub_denominator: int | None
    done: bool | None
    sub_value: object
    sub_status: str
    sub_reason: str
    sub_expected: int
    sub_meeting: int
    sub_reporting: int

    @property
    def units_meeting(self) -> str:
        return f"{self.sub_meeting}/{self.sub_expected}"

    @property
    def has_data(self) -> bool:
        """Whether any figure stands behind the value: a unit without data has no 0% to show."""
        return self.sub_numerator is not None or self.done is not None or self.sub_reporting > 0


class Judged(NamedTuple):
    """A target judged at the unit whose figures it measures: one line of the summary annex."""

    indicator: Indicator
    unit: Unit
    target: Target
    result: WorkbookResult
    # What the target asks of this unit (`targets.binding.target_values_for`); None: it sets no unit a value.
    asked: TargetValue | None = None

    @property
    def target_label(self) -> str:
        """The value the target asks of the row's unit: its own, or the value it sets for the unit (or a unit above
        it), said so, since the plan's text shows the other."""
        return self.target.value_label if self.asked is None else self.asked.said

    @property
    def held_label(self) -> str:
        """`Target.held_label` (value · plan · deadline) with the value asked of the row's unit; where the target
        sets values for other units but not this one, marked as the scorecard marks it."""
        held = self.target_label + self.target.held_label.removeprefix(self.target.value_label)
        if self.asked is not None and not self.asked.set_for:
            return _("%(held)s · values set for some units") % {"held": held}
        return held


class MonthReporting(NamedTuple):
    """The reports of one month of the quarter for a unit's subtree, as that month's computation counted them."""

    month: dt.date
    own: str
    expected: int
    on_time: int
    late: int
    missing: int


@dataclass
class ExportData:
    unit: Unit
    quarter: Quarter
    run: ComplianceRun | None
    units: list[Unit]
    indicators: list[Indicator]
    results: dict[tuple[int, int], WorkbookResult]
    targets: dict
    reporting: dict  # unit id → [MonthReporting] for the quarter's computed months
    tasks: list
    conflicts: dict = field(default_factory=dict)  # indicator id → the open conflicts the summary notes
    judged: list[Judged] = field(default_factory=list)

    def months(self) -> list[dt.date]:
        return sorted({row.month for rows in self.reporting.values() for row in rows})


def _open_conflicts(unit: Unit, quarter: Quarter, results: dict, targets: dict) -> dict[int, list[str]]:
    """Indicator id → the open conflicts of the unit's summary row: its target in force, and the targets of the
    unit's own plans of the quarter's year (the issuing unit answers for them even where another target holds)."""
    own = Target.objects.issued().filter(plan__issuer=unit, conflict_status=Conflict.OPEN,
                                         plan__year_start__lte=quarter.year, plan__year_end__gte=quarter.year
                                         ).order_by("plan__key", "position")
    held = [targets.get(r.target_id) for key, r in results.items() if key[0] == unit.pk]
    conflicts: dict[int, list[str]] = {}
    for target in [*(t for t in held if t is not None and t.conflict_open), *own]:
        text = conflict_text(target.conflict)
        if text not in conflicts.setdefault(target.indicator_id, []):
            conflicts[target.indicator_id].append(text)
    return conflicts


def _quarter_reporting(unit: Unit, quarter: Quarter) -> dict[int, list[MonthReporting]]:
    """Unit id → each computed month's reporting counts: the quarter's three months, not its last one only."""
    runs = ComplianceRun.objects.filter(is_current=True, period__gte=quarter.first_day, period__lte=quarter.last_day)
    rows = ReportingResult.objects.filter(run__in=runs, unit__path__startswith=unit.path).values_list(
        "unit_id", "run__period", "own", "expected", "on_time", "late", "missing").order_by("run__period")
    reporting: dict[int, list[MonthReporting]] = {}
    for unit_id, *row in rows.iterator(chunk_size=20000):
        reporting.setdefault(unit_id, []).append(MonthReporting(*row))
    return reporting


def _judged(unit: Unit, units: list[Unit], indicators: list[Indicator], results: dict, targets: dict) -> list[Judged]:
    """The issuing unit's own total against the target binding it, and every target judged where it measures (its
    scope unit's total) in the subtree; in the catalogue's order, then the tree's (the issuing unit first)."""
    by_id = {unit.pk: unit for unit in units}
    order = {indicator.pk: number for number, indicator in enumerate(indicators)}
    # Where each target is judged: its scope unit, the issuer by default. Looked up once per target, not per row.
    judged_at = {target.pk: target.scope_unit_id or target.plan.issuer_id for target in targets.values()}
    root = unit.pk
    judged = [Judged(indicators[order[indicator_id]], by_id[unit_id], targets[result.target_id], result)
              for (unit_id, indicator_id), result in results.items()
              if result.target_id in judged_at and unit_id in by_id
              and (unit_id == root or judged_at[result.target_id] == unit_id)]
    return sorted(_asked(judged), key=lambda row: (order[row.indicator.pk], row.unit.path))


def _asked(judged: list[Judged]) -> list[Judged]:
    """Each row with what its target asks of its unit: the value set for the unit where the target sets one (the
    rule is `targets.binding`'s). Read per unit only for the few targets that set values for units at all."""
    per_unit = unit_values_load(row.target.pk for row in judged)
    rows_by_unit: dict[Unit, list[Judged]] = {}
    for row in judged:
        if row.target.pk in per_unit:
            rows_by_unit.setdefault(row.unit, []).append(row)
    asked = {}
    for unit, rows in rows_by_unit.items():
        for target_id, value in target_values_for(unit=unit, targets=[row.target for row in rows]).items():
            asked[unit.pk, target_id] = value
    return [row._replace(asked=asked.get((row.unit.pk, row.target.pk))) for row in judged]



# The run's results in a subtree: the columns `WorkbookResult` names, the subtree chosen by the query itself.
RESULTS_SQL = """
    SELECT {columns} FROM {results} r JOIN {units} u ON u.id = r.unit_id
    WHERE r.run_id = %s AND u.path LIKE %s ESCAPE '\\'
"""
RESULTS_BATCH = 20_000


def _results(run: ComplianceRun, unit: Unit) -> dict[tuple[int, int], WorkbookResult]:
    """Unit and indicator → the run's result, for the units in `unit`'s subtree (200,000 of them at a province's
    scale): one query, read in batches (a server-side cursor on PostgreSQL), each row made a record as it arrives.
    Values come converted as the ORM converts them (nothing to convert on PostgreSQL; SQLite's booleans and
    decimals)."""
    sql = RESULTS_SQL.format(columns=", ".join(f"r.{name}" for name in WorkbookResult._fields),
                             results=ComplianceResult._meta.db_table, units=Unit._meta.db_table)
    converters = _converters(WorkbookResult._fields)
    make, results = WorkbookResult._make, {}
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [run.pk, connection.ops.prep_for_like_query(unit.path) + "%"])
        while rows := cursor.fetchmany(RESULTS_BATCH):
            if converters:
                rows = [_converted(row, converters) for row in rows]
            results.update(((result.unit_id, result.indicator_id), result) for result in map(make, rows))
    return results


def _converters(names: tuple[str, ...]) -> list[tuple[int, list, object]]:
    """(position, converters, column) for each column the database returns otherwise than the field's Python value,
    as Django's query compiler finds them."""
    found = []
    for position, name in enumerate(names):
        column = ComplianceResult._meta.get_field(name).get_col(ComplianceResult._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((position, converters, column))
    return found


def _converted(row: tuple, converters: list) -> tuple:
    values = list(row)
    for position, functions, column in converters:
        for function in functions:
            values[position] = function(values[position], column, connection)
    return tuple(values)


def export_data(*, unit: Unit, quarter: Quarter) -> ExportData:
    """Everything the report shows, read in a handful of queries: the quarter's latest computed month."""
    with collector_off():
        return _export_data(unit, quarter)


def _export_data(unit: Unit, quarter: Quarter) -> ExportData:
    run = (ComplianceRun.objects.filter(is_current=True, period__gte=quarter.first_day,
                                        period__lte=quarter.last_day).order_by("-period").first())
    # Units expected for at least one month of the quarter (the engine's rule); the others have nothing to report.
    open_in_quarter = units_open_filter(first_month=quarter.first_day, last_month=quarter.last_day.replace(day=1))
    units = list(Unit.objects.filter(open_in_quarter, path__startswith=unit.path).order_by("path").only(
        "id", "path", "depth", "code", "name", "kind"))
    results = _results(run, unit) if run else {}
    indicator_ids = {key[1] for key in results}
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).select_related("group")
                      .order_by("group__order", "code"))
    targets = {t.pk: t for t in Target.objects.filter(pk__in={r.target_id for r in results.values() if r.target_id})
               .select_related("plan__issuer")}
    # The tasks led within the unit's subtree, each with its computed status as it stood at the quarter's end.
    tasks = task_quarter_rows(unit=unit, quarter=quarter)
    return ExportData(unit, quarter, run, units, indicators, results, targets, _quarter_reporting(unit, quarter),
                      tasks, _open_conflicts(unit, quarter, results, targets),
                      _judged(unit, units, indicators, results, targets))


def _fraction(value) -> float | None:
    return None if value is None else float(value) / 100


def annex_figures(result: WorkbookResult | None) -> tuple[int | None, int | None, float | None]:
    """Numerator, denominator and share (0–1) as the annexes print them and the body quotes them: counts where the
    indicator counts, units done where it is a milestone or a share of units; nothing at all (not 0%) where no
    unit has reported."""
    if result is None or not result.has_data:
        return None, None, None
    if result.sub_numerator is not None:
        return result.sub_numerator, result.sub_denominator, _fraction(result.sub_value)
    if result.sub_expected:
        return result.sub_meeting, result.sub_expected, _fraction(result.sub_value)
    return None, None, _fraction(result.sub_value)


class ReportingTotal(NamedTuple):
    expected: int
    on_time: int
    late: int
    missing: int

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


def reporting_total(rows: list[MonthReporting]) -> ReportingTotal:
    """A unit's reports over the quarter's computed months: each month's counts added up."""
    return ReportingTotal(sum(r.expected for r in rows), sum(r.on_time for r in rows), sum(r.late for r in rows),
                          sum(r.missing for r in rows))


def status_counts(judged: list[Judged]) -> Counter:
    return Counter(row.result.sub_status for row in judged)


def task_counts(tasks: list) -> Counter:
    """Status code → how many tasks stand there (codes of `tasks.status.Status`)."""
    return Counter(task.status for task in tasks)


# The annexes, numbered once: the body refers to them by these numbers and the workbook titles its sheets with them.
ANNEX_SUMMARY, ANNEX_GROUPS, ANNEX_REPORTING, ANNEX_TASKS = 1, 2, 3, 4


def annex_title(number: int, quarter: Quarter) -> str:
    """The annex's title as the body cites it; its own heading prints it in capitals."""
    titles = {
        ANNEX_SUMMARY: _("Results of the digital transformation targets, %(quarter)s"),
        ANNEX_GROUPS: _("Results by unit and indicator group, %(quarter)s"),
        ANNEX_REPORTING: _("Submission of the monthly reports, %(quarter)s"),
        ANNEX_TASKS: _("Assigned tasks and their progress, %(quarter)s"),
    }
    return titles[number] % {"quarter": quarter}


def document_suffix(unit: Unit) -> str:
    """The issuer's part of the number ("…-BC/TU"), as Party committees abbreviate themselves."""
    name = unit.name.casefold()
    for prefix, suffix in (("tỉnh ủy", "TU"), ("thành ủy", "ThU"), ("văn phòng tỉnh ủy", "VPTU"),
                           ("văn phòng thành ủy", "VPThU"), ("đảng ủy", "ĐU"), ("chi bộ", "CB")):
        if name.startswith(prefix):
            return suffix
    return "…"


def place_name(unit: Unit) -> str:
    """Where the document is issued: the province or city the unit belongs to, as the date line names it."""
    province = unit if unit.kind == UnitKind.PROVINCE else Unit.objects.filter(
        kind=UnitKind.PROVINCE, path__in=unit_ancestor_paths(unit)).first()
    if province is None:
        return ""
    return re.sub(r"^(tỉnh ủy|thành ủy|đảng bộ tỉnh|đảng bộ thành phố)\s+", "", province.name, flags=re.IGNORECASE)
