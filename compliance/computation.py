"""One month's compliance for every unit, computed in phases over named records and written in bulk.

`month_compute` is the whole computation for one run: bind (each unit's own stages, then the totals a target's
scope reaches) → reporting → own values → roll-up → emit. It only writes rows under its run; making the run
current is `compliance.services`' work.
"""

import csv
import datetime as dt
import io
import json
import queue
import threading
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine import Judge, Node, Texts, Verdict, own_value, rolled_value
from compliance.models import (
    ComplianceMonth,
    ComplianceResult,
    ComplianceRun,
    ExpectedReporter,
    ReportingResult,
    Status,
)
from core.formatting import date_format
from core.periods import month_last_day
from plans.selectors import report_due_date, report_due_days
from reports.models import Report, ReportValue
from targets.binding import Bindings, Stage, stages_in_force
from targets.models import Flow, Indicator, Measure, Rollup
from units.models import Unit
from units.selectors import unit_open_in_month

STEP = Unit.steplen
# Enum members compared for every row, bound once: looking a member up on its class costs more than comparing it.
OVERDUE, NO_DATA, MET = Status.OVERDUE, Status.NO_DATA, Status.MET
UNIT_SHARE, SUM_RATIO, ALL_DONE = Measure.UNIT_SHARE, Rollup.SUM_RATIO, Rollup.ALL_DONE


@dataclass
class UnitRow:
    id: int
    path: str
    depth: int
    kind: str
    open: bool


class Figure(NamedTuple):
    """A unit's sums for one indicator: approved figures, and all submitted ones (the provisional value)."""

    numerator: int | None
    denominator: int | None
    rows: int  # approved rows; 0 means nothing approved
    based_numerator: int | None  # approved numerators of the rows with a denominator above 0
    done: int | None
    all_numerator: int | None
    all_denominator: int | None


def _figures(period: dt.date, flow_ids: set[int], unit_ids: list[int] | None = None
             ) -> dict[tuple[int, int], Figure]:
    """(unit, indicator) → approved and provisional sums for the month, or year to date for flows.

    Every unit's, or only those of `unit_ids` (an approval applied in place reads its unit's alone)."""
    values = ReportValue.objects.filter(
        report__status__in=[Report.Status.APPROVED, Report.Status.SUBMITTED],
    )
    if unit_ids is not None:
        values = values.filter(report__unit_id__in=unit_ids)
    approved = Q(report__status=Report.Status.APPROVED)
    based = Q(denominator__gt=0)
    # In Figure's order. A month with a denominator of 0 (a reduction without its baseline) keeps its numerator out
    # of the year's sums: a numerator alone would pull the ratio off.
    names = ("a_num", "a_den", "a_rows", "a_based", "a_done", "p_num", "p_den")
    queries = []
    if flow_ids:
        queries.append(values.filter(
            indicator_id__in=flow_ids, report__period__gte=period.replace(month=1), report__period__lte=period,
        ).values("report__unit_id", "indicator_id").annotate(
            a_num=_whole_sum("numerator", filter=approved), a_den=_whole_sum("denominator", filter=approved),
            a_rows=Count("id", filter=approved), a_based=_whole_sum("numerator", filter=approved & based),
            a_done=Max(Case(When(approved & Q(done=True), then=1), When(approved & Q(done=False), then=0))),
            p_num=_whole_sum("numerator", filter=based), p_den=_whole_sum("denominator"),
        ).values_list("report__unit_id", "indicator_id", *names))
    # The month's one value of each level indicator (one report per unit and month, one value per indicator in it):
    # its "sums" are the value itself, read without grouping, which costs PostgreSQL more than the rest together.
    whole = BigIntegerField()
    queries.append(values.filter(report__period=period).exclude(indicator_id__in=flow_ids).annotate(
        a_num=Case(When(approved, then="numerator"), output_field=whole),
        a_den=Case(When(approved, then="denominator"), output_field=whole),
        a_rows=Case(When(approved, then=Value(1)), default=Value(0), output_field=IntegerField()),
        a_based=Case(When(approved & based, then="numerator"), output_field=whole),
        a_done=Case(When(approved & Q(done=True), then=Value(1)), When(approved & Q(done=False), then=Value(0)),
                    output_field=IntegerField()),
        p_num=Case(When(based, then="numerator"), output_field=whole), p_den=F("denominator"),
    ).values_list("report__unit_id", "indicator_id", *names))
    figures: dict[tuple[int, int], Figure] = {}
    make = partial(tuple.__new__, Figure)  # Figure's own constructor is a Python function, called 100,000s of times
    # Plain tuples straight from the cursor: the ORM's per-value converters cost more than the query here.
    with connection.cursor() as cursor:
        for query in queries:
            sql, params = query.query.sql_with_params()
            cursor.execute(sql, params)
            figures.update({(row[0], row[1]): make(row[2:]) for row in cursor.fetchall()})
    return figures


def _whole_sum(column: str, **options) -> Cast:
    """A sum of counts as a whole number: PostgreSQL sums bigints as numeric, which would arrive as Decimals; as
    ints they are divided over integers (`engine.pct`) and summed up the tree without Decimal arithmetic."""
    return Cast(Sum(column, **options), BigIntegerField())


def _baselines(months: set[dt.date], unit_ids: list[int] | None = None
               ) -> dict[tuple[int, int], dict[dt.date, tuple[int, int]]]:
    """(unit, indicator) → {month: approved counts} in the months before stages start: the paths' baselines.

    Only counts with a denominator above 0 make a baseline; a unit's are summed into its subtree's in the roll-up.
    """
    rows = ReportValue.objects.filter(
        report__status=Report.Status.APPROVED, report__period__in=months, numerator__isnull=False,
        denominator__gt=0,
    )
    if unit_ids is not None:
        rows = rows.filter(report__unit_id__in=unit_ids)
    rows = rows.values_list("report__unit_id", "indicator_id", "report__period", "numerator", "denominator")
    baselines: dict[tuple[int, int], dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for unit_id, indicator_id, period, numerator, denominator in rows.iterator(chunk_size=5000):
        baselines[(unit_id, indicator_id)][period] = (numerator, denominator)
    return baselines


class Submission(NamedTuple):
    status: str
    first_submitted_at: dt.datetime | None
    due_on: dt.date | None  # fixed when the report was opened


def _submissions(period: dt.date, unit_ids: list[int] | None = None) -> dict[int, Submission]:
    """Unit → its report's status, first submission time and due date for the month (every unit's, or those given)."""
    reports = Report.objects.filter(period=period)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    rows = reports.annotate(
        first=Coalesce(Min("submissions__submitted_at"), "submitted_at")
    ).values_list("unit_id", "status", "first", "due_on")
    return {unit: Submission(status, first, due_on) for unit, status, first, due_on in rows}


RESULT_COLUMNS = (
    "run_id", "unit_id", "indicator_id", "target_id", "numerator", "denominator", "done", "value",
    "provisional_value", "path_value", "status", "reason", "sub_numerator", "sub_denominator", "sub_expected",
    "sub_reporting", "sub_meeting", "sub_value", "sub_status", "sub_reason", "sub_bases",
)
REPORTING_COLUMNS = ("run_id", "unit_id", "own", "due_on", "expected", "on_time", "late", "missing")


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows straight into the table: COPY on PostgreSQL, executemany elsewhere; no model objects."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = _copy_text(rows, len(columns))
            if text is not None:
                cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT text, NULL 'None')",
                                   io.StringIO(text), size=COPY_CHUNK)
                return
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(["\\N" if v is None else ("t" if v is True else "f" if v is False else v)
                                 for v in row])
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer,
                               size=COPY_CHUNK)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


COPY_CHUNK = 1 << 20  # characters handed to COPY at a time


def _copy_text(rows: list[tuple], width: int) -> str | None:
    """The rows in COPY's text format, each value as `str` gives it (None as 'None', True as 'True', which COPY reads
    with NULL 'None'); None when a value holds a tab, a line break or a backslash, which the text format would have
    to escape (the caller then writes CSV). Only a text column spelling exactly 'None' would be misread: the columns
    written are numbers, dates, booleans, statuses, sentences and JSON, none of which does. One C-level formatting
    per row: CSV's per-value conversions cost more than the COPY itself."""
    line = "\t".join(["%s"] * width) + "\n"
    text = "".join([line % row for row in rows])
    if "\\" in text or "\r" in text or text.count("\n") != len(rows) or text.count("\t") != len(rows) * (width - 1):
        return None
    return text


class RowWriter:
    """Rows written by a thread with its own connection while the computation goes on: PostgreSQL spends as long
    taking a part's rows (COPY, the unique index) as Python spends judging them, so the two overlap. Only outside a
    transaction (another connection could not see into it, nor be rolled back with it); there `_insert` writes them
    in turn. At most two batches wait, so memory stays bounded; the first error is raised to the computation."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write, name="compliance-rows", daemon=True)

    def _write(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        _insert(*batch)
                    except BaseException as exc:  # handed to the computation, which fails the run
                        self.error = exc
        finally:
            connection.close()

    def put(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((model, columns, rows))

    def close(self) -> None:
        """Every batch written (or the first error raised): nothing is written after this returns."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


@contextmanager
def rows_writing(month: "Month"):
    """The month's rows written alongside its computation where that is possible (see `RowWriter`)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    month.writer = RowWriter()
    month.writer.thread.start()
    try:
        yield
    except BaseException:
        with suppress(BaseException):  # the computation's own error is the one to report
            month.writer.close()
        raise
    else:
        month.writer.close()
    finally:
        month.writer = None


@dataclass
class Month:
    """What every phase of one computation reads: the run, its dates, the catalogue and the tree."""

    run: ComplianceRun
    period: dt.date
    month_end: dt.date
    today: dt.date
    texts: Texts
    indicators: dict[int, Indicator]
    units: list[UnitRow]
    bindings: Bindings
    roll: dict[int, dt.date | None] | None  # unit → due date: the expected reporters kept for a month that is over
    fail_after: int | None = None  # stop after writing this many result rows (proves the swap is all or nothing)
    written: int = 0  # result rows written so far
    whole: bool = True  # `units` is the whole tree (else one subtree: its figures are read alone)
    writer: RowWriter | None = None  # set while the rows are written by a thread of their own
    # (id of a stage, value, done, baseline) → its verdict. A stage's id names it only while it lives: the verdicts
    # are forgotten with each part's stages (`part_compute`); an approval applied in place makes a Month of its own.
    verdicts: dict = field(default_factory=dict)
    # id of a stages tuple `_bind` shares → those of its stages judged on each unit's own figures (forgotten with the
    # verdicts, for the same reason).
    judged_each: dict = field(default_factory=dict)
    counted: dict = field(default_factory=dict)  # (meeting, expected) → "3 of 5 units." (see `_counted`)
    judging: Judge | None = None  # judges the verdicts not yet known, with the words of each stage kept
    counting: frozenset = field(init=False, default=frozenset())  # see __post_init__

    def __post_init__(self):
        # The indicators counted with a numerator and denominator (`Indicator.has_counts`), asked for every row.
        self.counting = frozenset(pk for pk, indicator in self.indicators.items() if indicator.has_counts)

    def forget(self) -> None:
        """Drop what was kept of one part's stages and sentences (each part makes its own stages)."""
        self.verdicts, self.judged_each, self.counted, self.judging = {}, {}, {}, None

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if self.writer is None:
            _insert(model, columns, rows)
        else:
            self.writer.put(model, columns, rows)

    @classmethod
    def load(cls, run: ComplianceRun, *, units=None, fail_after: int | None = None) -> "Month":
        """The month of `run` over the whole tree, or over the units of `units` (a queryset of `Unit`)."""
        period = run.period
        month_end = month_last_day(period.year, period.month)
        units = [
            UnitRow(pk, path, depth, kind, unit_open_in_month(opened_on=opened, closed_on=closed, month_end=month_end))
            for pk, path, depth, kind, opened, closed in (Unit.objects.all() if units is None else units).order_by(
                "path").values_list("pk", "path", "depth", "kind", "opened_on", "closed_on").iterator(chunk_size=10000)
        ]
        return cls(run=run, period=period, month_end=month_end, today=timezone.localtime(run.as_of).date(),
                   texts=Texts(), indicators={i.pk: i for i in Indicator.objects.all()}, units=units,
                   bindings=Bindings(), roll=_roll_kept(period), fail_after=fail_after,
                   whole=units is None)


@dataclass(slots=True)
class Reporting:
    """A unit's own reporting for the month (who is expected, on time, late, missing), summed up the tree."""

    own: str
    due_on: dt.date | None
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def add(self, other: "Reporting") -> None:
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing

    def row(self, run_id: int, unit_id: int) -> tuple:
        return (run_id, unit_id, self.own, self.due_on, self.expected, self.on_time, self.late, self.missing)


class OwnResult(NamedTuple):
    """A unit's own standing on one indicator, in RESULT_COLUMNS order after run, unit and indicator."""

    target_id: int | None
    numerator: int | None
    denominator: int | None
    done: bool | None
    value: Decimal | None
    provisional_value: Decimal | None
    path_value: Decimal | None
    status: str
    reason: str


NO_OWN = OwnResult(None, None, None, None, None, None, None, "", "")


def month_compute(*, run: ComplianceRun, fail_after: int | None = None) -> int:
    """The whole tree, computed part by part (`region_compute`); then the month's expected reporters kept."""
    month = Month.load(run, fail_after=fail_after)
    with rows_writing(month):
        tail = region_compute(month, month.units)
    roll_keep(month, tail.expected)
    return tail.count


# Units computed at once: a larger subtree is computed child by child, each part handing its top units' sums up, so
# memory stays that of one part however large the tree (the results are the same whatever the size).
PART_UNITS = 4000


class Tail(NamedTuple):
    """What a computed part of the tree hands to the units above it; its rows are written."""

    nodes: dict[str, dict[int, Node]]  # the path of each top unit of the part → indicator → its subtree's sums
    reporting: dict[str, Reporting]  # the path of each top unit → its subtree's reporting
    above: dict[tuple[str, int], dict[int, Stage]]  # (path above the part, indicator) → the stages reaching it
    expected: dict[int, dt.date | None]  # unit → due date: who in the part is expected to report
    count: int  # result rows written


def region_compute(month: Month, units: list[UnitRow]) -> Tail:
    """Complete subtrees (`units`, in path order): at most PART_UNITS at once, else their top units alone, from the
    tails of their children's subtrees, grouped into parts of at most PART_UNITS units and computed first."""
    if len(units) <= PART_UNITS:
        return part_compute(month, units, ())
    tops, groups = _region_split(units)
    return part_compute(month, tops, [region_compute(month, group) for group in groups])


def _region_split(units: list[UnitRow]) -> tuple[list[UnitRow], list[list[UnitRow]]]:
    """The top units of the subtrees, and their children's subtrees grouped in path order (none split)."""
    tops: list[UnitRow] = []
    subtrees: list[list[UnitRow]] = []
    top_paths: set[str] = set()
    for unit in units:
        if not tops or not unit.path.startswith(tops[-1].path):
            tops.append(unit)
            top_paths.add(unit.path)
        elif unit.path[:-STEP] in top_paths:
            subtrees.append([unit])
        else:
            subtrees[-1].append(unit)
    groups: list[list[UnitRow]] = []
    for subtree in subtrees:
        if groups and len(groups[-1]) + len(subtree) <= PART_UNITS:
            groups[-1].extend(subtree)
        else:
            groups.append(list(subtree))
    return tops, groups


def part_compute(month: Month, units: list[UnitRow], tails) -> Tail:
    """The phases over one part (complete subtrees, less the parts below it whose `tails` it adds): bind, totals,
    reporting, own values, roll-up, emit. Returns what its top units hand up."""
    month.forget()
    by_path = {unit.path: unit.id for unit in units}
    unit_ids = None if month.whole and len(units) == len(month.units) else list(by_path.values())
    stages = _bind(month, units)
    reached, above = _reached(month, stages, units)
    for tail in tails:
        for (path, indicator_id), found in tail.above.items():
            unit_id = by_path.get(path)
            if unit_id is None:
                for stage in found.values():
                    stage_reach(above[(path, indicator_id)], stage)
            elif (unit_id, indicator_id) not in stages:
                for stage in found.values():
                    stage_reach(reached[(unit_id, indicator_id)], stage)
    reporting = _reporting(month, units, unit_ids)
    expected = {unit_id: r.due_on for unit_id, r in reporting.items()}
    judged = Judged(stages, _sorted_stages(reached))
    # A unit with nothing under it in the part, nor a part below, is its own subtree: its row is written at once.
    parents = {unit.path[:-STEP] for unit in units} | {path[:-STEP] for tail in tails for path in tail.nodes}
    leaves = {unit.id for unit in units if unit.path not in parents}
    rows = ResultRows(month)
    own_results, nodes = _own_values(month, stages, reporting, unit_ids, judged=judged, leaves=leaves, rows=rows)
    for tail in tails:
        expected.update(tail.expected)
        _tail_add(by_path, tail, reporting, nodes)
    tops = _roll_up(units, reporting, nodes)
    count = _emit(month, judged, own_results, nodes, reporting, leaves=leaves, rows=rows)
    return Tail({unit.path: nodes.get(unit.id, {}) for unit in tops},
                {unit.path: reporting[unit.id] for unit in tops if unit.id in reporting}, above, expected,
                count + sum(tail.count for tail in tails))


def _tail_add(by_path: dict[str, int], tail: Tail, reporting: dict[int, "Reporting"],
              nodes: dict[int, dict[int, Node]]) -> None:
    """A part below adds its top units' sums and reporting to their parents, as the roll-up adds a child's."""
    for path, child in tail.reporting.items():
        parent_id = by_path[path[:-STEP]]
        if parent_id not in reporting:
            reporting[parent_id] = Reporting(ReportingResult.Own.NOT_EXPECTED, None)
        reporting[parent_id].add(child)
    for path, children in tail.nodes.items():
        parent_nodes = nodes[by_path[path[:-STEP]]]
        for indicator_id, node in children.items():
            parent_node = parent_nodes.get(indicator_id)
            if parent_node is None:
                parent_node = parent_nodes[indicator_id] = Node()
            parent_node.add(node)


def _roll_kept(period: dt.date) -> dict[int, dt.date | None] | None:
    """The expected reporters recorded for the month, once it is over; None while they are still worked out."""
    if not ComplianceMonth.objects.filter(period=period, roll_kept_at__isnull=False).exists():
        return None
    return dict(ExpectedReporter.objects.filter(period=period).values_list("unit_id", "due_on"))


def roll_keep(month: Month, expected: dict[int, dt.date | None]) -> None:
    """After the month's last day, the first computation records who was expected; later ones read it back."""
    if month.roll is not None or month.today <= month.month_end:
        return
    with transaction.atomic():
        if not ComplianceMonth.objects.filter(period=month.period, roll_kept_at__isnull=True).update(
                roll_kept_at=timezone.now()):
            return
        ExpectedReporter.objects.filter(period=month.period).delete()
        # Plain rows (COPY on PostgreSQL): a model object each would cost more than the writing.
        _insert(ExpectedReporter, ("period", "unit_id", "due_on"),
                [(month.period, unit_id, due_on) for unit_id, due_on in expected.items()])


Stages = tuple[Stage, ...]  # the stages in force for one unit and indicator: one per series of the nearest plan


def _bind(month: Month, units: list[UnitRow] | None = None) -> dict[tuple[int, int], Stages]:
    """(unit, indicator) → the stages in force, for the month's units or those given; units in the same position in
    the tree share the work."""
    stages: dict[tuple[int, int], Stages] = {}
    stage_cache: dict[tuple, Stages] = {}
    # Without values set for named units, the units of one position (`Bindings.for_unit` hands them one dict) are
    # bound alike: id of that dict → (the dict, its stages by indicator).
    positions: dict[int, tuple[dict, list[tuple[int, Stages]]]] = {}
    for unit in month.units if units is None else units:
        if not unit.open:
            continue
        bound = month.bindings.for_unit(unit, month.period)
        if month.bindings.unit_values:
            found = _unit_stages(month, unit, bound, stage_cache)
        else:
            kept = positions.get(id(bound))
            if kept is None:
                kept = positions[id(bound)] = (bound, _unit_stages(month, unit, bound, stage_cache))
            found = kept[1]
        for indicator_id, held in found:
            stages[(unit.id, indicator_id)] = held
    return stages


def _unit_stages(month: Month, unit: UnitRow, bound: dict[int, list], cache: dict[tuple, Stages]
                 ) -> list[tuple[int, Stages]]:
    """The stages in force for each indicator binding the unit, the same tuple for the same targets and values."""
    found = []
    for indicator_id, targets in bound.items():
        # A value a target sets for the unit or a unit above it replaces the target's own (nearest wins).
        overrides = month.bindings.overrides(unit.path, targets)
        key = (tuple(t.pk for t in targets), *sorted(overrides.items()))
        if key not in cache:
            cache[key] = stages_in_force(targets, month.month_end, overrides)
        found.append((indicator_id, cache[key]))
    return found


class Judged(NamedTuple):
    """The stages a month judges with: each bound unit's own, and the totals only a target's scope reaches."""

    own: dict[tuple[int, int], Stages]  # (unit, indicator) → the stages binding the unit itself
    totals: dict[tuple[int, int], Stages]  # (unit, indicator) → the stages its total is judged by, when not its own

    def total(self, key: tuple[int, int]) -> Stages:
        """The unit's own stages win; failing them, the stages its scope's total is judged by."""
        return self.own.get(key) or self.totals.get(key) or ()


def _total_stages(month: Month, stages: dict[tuple[int, int], Stages]) -> dict[tuple[int, int], Stages]:
    """(unit, indicator) → the stages a total is judged by where the unit itself is not bound for the indicator.

    Every unit between a target's scope unit and a unit it binds, the scope unit included, has that unit in its
    total, so its total is judged against the target ("100% chi bộ" of a xã judges the xã's total of its chi bộ;
    the Văn phòng's "80% cơ quan, đơn vị thuộc Tỉnh ủy" judges the province's total). Nothing above the scope unit
    is judged by it. When targets of several plans reach one total, the nearest plan's win (`targets.binding.rank`);
    the series of that plan are all judged. Each (ancestor, indicator, stage) is walked once: a walk stops where an
    earlier one with the same stage went on from.
    """
    reached, _above = _reached(month, stages, month.units)
    return _sorted_stages(reached)


Reached = dict[tuple, dict[int, Stage]]  # (unit or path above, indicator) → target → the stage reaching that total


def _reached(month: Month, stages: dict[tuple[int, int], Stages], units: list[UnitRow]) -> tuple[Reached, Reached]:
    """The stages reaching each total of `units` ((unit, indicator) keys), and those reaching units above them
    ((path, indicator) keys), which the part above merges in (`stage_reach`)."""
    by_path = {unit.path: unit.id for unit in units}
    paths = {unit.id: unit.path for unit in units}
    reached: Reached = defaultdict(dict)
    above: Reached = defaultdict(dict)
    # Stages are shared between the units `_bind` found in one position, so their ids name them cheaply.
    walked: set[tuple[str, int, int]] = set()
    for (unit_id, indicator_id), held in stages.items():
        for stage in held:
            floor = len(stage.scope)
            path = paths[unit_id][:-STEP]
            while len(path) >= floor:
                while stage.base is not None and len(path) < len(stage.valued_at):
                    stage = stage.base  # above the named unit whose value it carries, the value above it holds
                if (path, indicator_id, id(stage)) in walked:
                    break
                walked.add((path, indicator_id, id(stage)))
                ancestor = by_path.get(path)
                if ancestor is None:
                    stage_reach(above[(path, indicator_id)], stage)
                elif (ancestor, indicator_id) not in stages:
                    stage_reach(reached[(ancestor, indicator_id)], stage)
                path = path[:-STEP]
    return reached, above


def stage_reach(found: dict[int, Stage], stage: Stage) -> None:
    """A stage reaching a total: the nearest plan's stages hold (`targets.binding.rank`), every series of it."""
    nearest = max((s.rank for s in found.values()), default=stage.rank)
    if stage.rank > nearest:
        found.clear()
    if stage.rank >= nearest:
        found[stage.target_id] = stage


def _sorted_stages(reached: Reached) -> dict[tuple[int, int], Stages]:
    return {key: tuple(sorted(found.values(), key=lambda s: (s.due_on, s.target_id))) for key, found in reached.items()}


def _reporting(month: Month, units: list[UnitRow], unit_ids: list[int] | None = None) -> dict[int, Reporting]:
    """Every open unit bound by a target is expected to report, or, for a month that is over, every unit recorded
    as expected then; lateness is judged against its report's due date. (`unit_ids`: those of `units`, or None
    for the whole tree.)"""
    submissions = _submissions(month.period, unit_ids)
    due_days = report_due_days()
    reporting: dict[int, Reporting] = {}
    for unit in units:
        if month.roll is not None:
            if unit.id not in month.roll:
                continue
        elif not unit.open or not month.bindings.for_unit(unit, month.period):
            continue
        submission = submissions.get(unit.id)
        kept = month.roll.get(unit.id) if month.roll is not None else None
        due_on = (submission and submission.due_on) or kept or report_due_date(path=unit.path, period=month.period,
                                                                               days=due_days)
        if submission and submission.first_submitted_at and submission.status != Report.Status.DRAFT:
            on_time = timezone.localtime(submission.first_submitted_at).date() <= due_on
            own = ReportingResult.Own.ON_TIME if on_time else ReportingResult.Own.LATE
        else:
            own = ReportingResult.Own.OVERDUE if month.today > due_on else ReportingResult.Own.MISSING
        reporting[unit.id] = Reporting(
            own, due_on, expected=1, on_time=int(own == ReportingResult.Own.ON_TIME),
            late=int(own == ReportingResult.Own.LATE),
            missing=int(own in (ReportingResult.Own.MISSING, ReportingResult.Own.OVERDUE)))
    return reporting


def _own_values(month: Month, stages: dict, reporting: dict[int, Reporting], unit_ids: list[int] | None = None, *,
                judged: "Judged", leaves: set[int], rows: "ResultRows"
                ) -> tuple[dict[tuple[int, int], OwnResult], dict[int, dict[int, Node]]]:
    """Each unit's own value, provisional value and verdict, and the node it adds to the roll-up. The rows of the
    `leaves` (units with nothing under them) are complete with it: they are written here, the others' results kept
    for `_emit`."""
    # The tuples of stages are shared between the units of one position: each is looked at once.
    baseline_months = {_baseline_month(stage) for held in {id(held): held for held in stages.values()}.values()
                       for stage in held}
    baselines = _baselines(baseline_months, unit_ids) if baseline_months else {}
    flow_ids = {pk for pk, i in month.indicators.items() if i.flow == Flow.FLOW}
    figures = _figures(month.period, flow_ids, unit_ids)
    indicators, run_id, total = month.indicators, month.run.pk, judged.total
    own_results: dict[tuple[int, int], OwnResult] = {}
    nodes: dict[int, dict[int, Node]] = defaultdict(dict)
    current = overdue = unit_nodes = leaf = None
    out, limit = rows.rows, rows.limit
    for key, held in stages.items():  # a unit's indicators one after the other, as `_bind` found them
        unit_id, indicator_id = key
        if unit_id != current:
            current, unit_nodes, leaf = unit_id, nodes[unit_id], unit_id in leaves
            expected = reporting.get(unit_id)
            # A unit bound now but not recorded as expected for a month that is over is judged, never overdue.
            overdue = overdue_reason(month.period, expected.due_on) \
                if expected and expected.own == ReportingResult.Own.OVERDUE else None
        indicator = indicators[indicator_id]
        figure = figures.get(key)
        bases = baselines.get(key) if baselines else None
        own = _own_result(month, indicator, held, figure, bases, overdue)
        node = unit_nodes[indicator_id] = _own_node(indicator, own, figure, bases)
        if not leaf:
            own_results[key] = own
            continue
        # A bound unit's own stages are those its total is judged by (`Judged.total`).
        out.append((run_id, unit_id, indicator_id, *result_row(month, indicator, held or total(key), node, own)))
        if len(out) >= limit:
            rows.flush()
            out, limit = rows.rows, rows.limit
    return own_results, nodes


def overdue_reason(period: dt.date, due_on: dt.date) -> str:
    return _("No report for %(month)s; it was due by %(due)s.") % {
        "month": period.strftime("%m/%Y"), "due": date_format(due_on)}


def _own_node(indicator: Indicator, own: OwnResult, figure: Figure | None, bases: dict | None) -> Node:
    """What a bound unit adds to its subtree's sums: its counted figures, itself as expected, reporting, meeting."""
    # A zero denominator (0/0, or a reduction without its baseline) stays out of the subtree's sums.
    numerator, denominator = own.numerator, own.denominator
    counted = numerator is not None and denominator
    # Node's fields in order: numerator, denominator, expected, reporting, meeting, has_counts, bases.
    return Node(numerator if counted else 0, denominator if counted else 0, 1,
                1 if figure is not None and figure.rows else 0,
                1 if _unit_meets(indicator, done=own.done, value=own.value, status=own.status) else 0,
                numerator is not None, dict(bases) if bases else None)


def _baseline_month(stage: Stage) -> dt.date:
    """A path starts from the approved figures of the month before its stage starts."""
    return (stage.starts_on - dt.timedelta(days=1)).replace(day=1)


# How bad a verdict is, when a unit is judged against two series at once: the worse one is shown.
SEVERITY = {Status.MET: 0, Status.ON_TRACK: 1, "": 1, Status.NO_DATA: 2, Status.AT_RISK: 3, Status.BEHIND: 4}


def _worst(verdicts: list[tuple[Stage, Verdict]]) -> tuple[Stage, Verdict]:
    """Of the verdicts against each series in force, the worst; the series due first on a tie."""
    return max(verdicts, key=lambda pair: (SEVERITY[pair[1].status], -pair[0].due_on.toordinal()))


def _judge_all(month: Month, indicator: Indicator, stages: Stages, *, value, done, bases) -> tuple[Stage, Verdict]:
    """The value against every stage in force, each from its own baseline month; the worst verdict stands."""
    if len(stages) == 1:
        return stages[0], _verdict(month, indicator, stages[0], value, done, bases)
    return _worst([(stage, _verdict(month, indicator, stage, value, done, bases)) for stage in stages])


def _verdict(month: Month, indicator: Indicator, stage: Stage, value, done, bases) -> Verdict:
    """The value against one stage, from the stage's baseline month."""
    figure = bases.get(_baseline_month(stage)) if bases else None
    baseline = None if figure is None else own_value(measure=indicator.measure, numerator=figure[0],
                                                     denominator=figure[1])
    # Units of one position with the same value are judged alike: judged once per part (see `Month.verdicts`).
    key = (id(stage), value, done, baseline)
    verdict = month.verdicts.get(key)
    if verdict is None:
        if month.judging is None:
            month.judging = Judge(month_end=month.month_end, texts=month.texts)
        verdict = month.verdicts[key] = month.judging(stage, value, done, baseline)
    return verdict


def _judged_each(month: Month, stages: Stages) -> Stages:
    """Of the stages in force, those judged on each unit's own figures (not on the totals only)."""
    kept = month.judged_each.get(id(stages))
    if kept is None:
        # The tuple is kept beside its id, so the id cannot name another tuple while the entry lives.
        kept = month.judged_each[id(stages)] = (stages, tuple(stage for stage in stages if stage.judged_each))
    return kept[1]


def _counted(month: Month, meeting: int, expected: int) -> str:
    """"3 of 5 units.": the same few sentences for most rows, written once each per part."""
    said = month.counted.get((meeting, expected))
    if said is None:
        said = month.counted[(meeting, expected)] = month.texts.counted % {"meeting": meeting, "expected": expected}
    return said


def _own_result(month: Month, indicator: Indicator, stages: Stages, figure: Figure | None, bases: dict | None,
                overdue_reason: str | None) -> OwnResult:
    approved = figure is not None and figure.rows > 0
    has_counts = indicator.id in month.counting
    counts = approved and has_counts
    denominator = figure.denominator if counts else None
    # The year's numerator over the months that had a denominator; a lone 0/0 or 3/0 is shown as it was entered.
    numerator = (figure.based_numerator if denominator else figure.numerator) if counts else None
    done = bool(figure.done) if approved and figure.done is not None else None
    value = provisional = path = None
    if has_counts:
        value = own_value(measure=indicator.measure, numerator=numerator, denominator=denominator)
        if figure is not None:
            if figure.all_numerator == numerator and figure.all_denominator == denominator:
                provisional = value
            else:
                provisional = own_value(measure=indicator.measure, numerator=figure.all_numerator,
                                        denominator=figure.all_denominator)
    judged = _judged_each(month, stages)
    target_id = (judged or stages)[0].target_id
    if overdue_reason is not None:
        status, reason = OVERDUE, overdue_reason
    elif numerator is not None and denominator == 0:
        status, reason = NO_DATA, _zero_denominator_reason(indicator, month.texts)
    elif indicator.measure == UNIT_SHARE or not judged:
        status, reason = _unjudged_own(month.texts, indicator, done=done, judged=bool(judged))
    else:
        stage, verdict = _judge_all(month, indicator, judged, value=value, done=done, bases=bases)
        target_id, status, reason, path = stage.target_id, verdict.status, verdict.reason, verdict.path
    return OwnResult(target_id, numerator, denominator, done, value, provisional, path, status, reason[:400])


def _unjudged_own(texts: Texts, indicator: Indicator, *, done: bool | None, judged: bool) -> tuple[str, str]:
    """A unit whose own figure is not held against the target: a unit's share (it says done or not, the target is
    on the share of units), or a target judged on the total only. It is counted, and says how."""
    if indicator.measure == Measure.UNIT_SHARE:
        reason = texts.unit_done if done else (texts.no_figures if done is None else texts.unit_not_done)
        if not judged:
            return "", f"{reason} {texts.total_only}"
        return (Status.MET if done else (Status.NO_DATA if done is None else "")), reason
    return "", texts.total_only


def _zero_denominator_reason(indicator: Indicator, texts: Texts) -> str:
    """Figures approved but nothing to divide by: for a reduction the baseline is missing, otherwise the month was
    empty (0/0). Both differ from "no approved figures", which means nobody's report was approved."""
    return texts.no_baseline if indicator.measure == Measure.REDUCTION else texts.zero_denominator


def _roll_up(units: list[UnitRow], reporting: dict[int, Reporting], nodes: dict[int, dict[int, Node]]
             ) -> list[UnitRow]:
    """Deepest units first, each adding its sums (and its baseline months' sums) to its parent, counted once.
    Returns the top units, whose parents are not among `units`."""
    by_path = {u.path: u for u in units}
    tops = []
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = by_path.get(unit.path[:-STEP]) if unit.depth > 1 else None
        if parent is None:
            tops.append(unit)
            continue
        if unit.id in reporting:
            if parent.id not in reporting:
                reporting[parent.id] = Reporting(ReportingResult.Own.NOT_EXPECTED, None)
            reporting[parent.id].add(reporting[unit.id])
        children = nodes.get(unit.id)
        if children:
            parent_nodes = nodes[parent.id]
            for indicator_id, node in children.items():
                parent_node = parent_nodes.get(indicator_id)
                if parent_node is None:
                    parent_node = parent_nodes[indicator_id] = Node()
                parent_node.add(node)
    return tops


def _subtree_verdict(month: Month, indicator: Indicator, stages: Stages, node: Node, own: OwnResult,
                     sub_value: Decimal | None) -> tuple[str, str]:
    texts = month.texts
    counted = _counted(month, node.meeting, node.expected)
    alone = node.expected == 1 and own is not NO_OWN
    if alone and stages and not _judged_each(month, stages):
        # A target judged on totals only, over a subtree where the unit alone counts: nothing more to judge.
        said = own.reason if texts.total_only in own.reason else f"{own.reason} {texts.total_only}"
        return "", f"{counted} {said}"
    if node.reporting == 0:
        # Without a target the total is not judged, not even as lacking figures.
        return (NO_DATA if stages else ""), texts.no_subtree_figures
    if alone and indicator.measure != UNIT_SHARE:
        # A unit alone in its subtree: the subtree's verdict is its own.
        return own.status, f"{counted} {own.reason}"
    if stages:
        if indicator.rollup == SUM_RATIO and sub_value is None and node.has_counts:
            return NO_DATA, f"{counted} {_zero_denominator_reason(indicator, texts)}"
        done = (node.meeting == node.expected) if indicator.rollup == ALL_DONE else None
        # The total's path starts from the subtree's own baseline month, as each unit's row does.
        bases = node.bases if indicator.rollup == SUM_RATIO else None
        _stage, verdict = _judge_all(month, indicator, stages, value=sub_value, done=done, bases=bases)
        return verdict.status, f"{counted} {verdict.reason}"
    return "", counted


def _emit(month: Month, judged: Judged, own_results: dict[tuple[int, int], OwnResult],
          nodes: dict[int, dict[int, Node]], reporting: dict[int, Reporting], *, leaves: set[int],
          rows: "ResultRows") -> int:
    """One result row per unit and indicator but the `leaves`' (written with their own values), then the reporting
    rows. Returns the part's result rows."""
    run_id = month.run.pk
    indicators, total, own_of = month.indicators, judged.total, own_results.get
    out, limit = rows.rows, rows.limit
    for unit_id, by_indicator in nodes.items():
        if unit_id in leaves:
            continue
        for indicator_id, node in by_indicator.items():
            key = (unit_id, indicator_id)
            out.append((run_id, unit_id, indicator_id, *result_row(
                month, indicators[indicator_id], total(key), node, own_of(key, NO_OWN))))
            if len(out) >= limit:
                rows.flush()
                out, limit = rows.rows, rows.limit
    rows.flush()
    month.write(ReportingResult, REPORTING_COLUMNS, [r.row(run_id, unit_id) for unit_id, r in reporting.items()])
    return rows.count


ROWS_AT_ONCE = 50000  # result rows handed to the writer at a time


class ResultRows:
    """A part's result rows on their way to the table, handed over ROWS_AT_ONCE at a time. The phases append to
    `rows` and call `flush` once it holds `limit` (which a new list replaces: the one handed over is the writer's).
    With the month's `fail_after`, the computation stops once that many rows are written."""

    def __init__(self, month: Month):
        self.month = month
        self.rows: list[tuple] = []
        self.count = 0
        self.limit = self._limit()

    def _limit(self) -> int:
        month = self.month
        return ROWS_AT_ONCE if month.fail_after is None else max(1, min(ROWS_AT_ONCE, month.fail_after - month.written))

    def flush(self) -> None:
        month, rows = self.month, self.rows
        if month.fail_after is not None and month.written + len(rows) >= month.fail_after:
            month.write(ComplianceResult, RESULT_COLUMNS, rows[:max(0, month.fail_after - month.written)])
            raise RuntimeError("compliance computation stopped on purpose (fail_after)")
        month.write(ComplianceResult, RESULT_COLUMNS, rows)
        month.written += len(rows)
        self.count += len(rows)
        self.rows, self.limit = [], self._limit()


def result_row(month: Month, indicator: Indicator, stages: Stages, node: Node, own: OwnResult) -> tuple:
    """One result row after run, unit and indicator: the unit's own columns (naming the target a total is judged
    by), then its subtree's, judged here. The full computation and an approval applied in place both write it."""
    sub_value = rolled_value(node, rollup=indicator.rollup, measure=indicator.measure)
    sub_status, sub_reason = _subtree_verdict(month, indicator, stages, node, own, sub_value)
    # A total judged only through its scope names the target it is judged by, as a bound unit's row does.
    named = own._replace(target_id=stages[0].target_id) if own.target_id is None and stages else own
    # In RESULT_COLUMNS order: a plain tuple, as the emit phase writes millions of them.
    counts = node.has_counts
    return (*named, node.numerator if counts else None, node.denominator if counts else None,
            node.expected, node.reporting, node.meeting, sub_value, sub_status, sub_reason[:400],
            bases_dump(node.bases) if node.bases else None)


def bases_dump(bases: dict[dt.date, tuple[int, int]] | None) -> str | None:
    """A subtree's baseline sums as JSON text, for COPY and for the column alike; None when it has none."""
    if not bases:
        return None
    return json.dumps({month.isoformat(): list(figure) for month, figure in sorted(bases.items())})


def bases_load(stored: dict | str | None) -> dict[dt.date, tuple[int, int]] | None:
    """The subtree's baseline sums read back from its row."""
    if stored is None:
        return None
    if isinstance(stored, str):
        stored = json.loads(stored)
    return {dt.date.fromisoformat(month): (figure[0], figure[1]) for month, figure in stored.items()} or None


SAYS_DONE = frozenset({Measure.MILESTONE, Measure.UNIT_SHARE})  # measures where a unit meets its target by being done


def _unit_meets(indicator: Indicator, *, done, value, status) -> bool:
    if indicator.measure in SAYS_DONE:
        return bool(done)
    if indicator.unit_threshold is not None and value is not None:
        return value >= indicator.unit_threshold
    return status == MET
