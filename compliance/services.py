"""Computing a month's compliance for every unit, and swapping it in whole."""

import csv
import datetime as dt
import gc
import io
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Case, Count, Max, Min, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine import (
    Node,
    Texts,
    judge,
    own_value,
    rolled_value,
)
from compliance.models import ComplianceMonth, ComplianceResult, ComplianceRun, ReportingResult, Status
from core.formatting import date_format
from core.periods import month_last_day
from plans.selectors import report_due_date, report_due_days
from reports.models import Report, ReportValue
from targets.binding import Bindings, Stage, stages_in_force
from targets.models import Flow, Indicator, Measure, Rollup
from units.models import Unit

logger = logging.getLogger(__name__)
STEP = Unit.steplen


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
    done: int | None
    all_numerator: int | None
    all_denominator: int | None


def _figures(period: dt.date, flow_ids: set[int]) -> dict[tuple[int, int], Figure]:
    """(unit, indicator) → approved and provisional sums for the month, or year to date for flows."""
    year_start = period.replace(month=1)
    values = ReportValue.objects.filter(
        report__status__in=[Report.Status.APPROVED, Report.Status.SUBMITTED],
    ).filter(
        Q(indicator_id__in=flow_ids, report__period__gte=year_start, report__period__lte=period)
        | (~Q(indicator_id__in=flow_ids) & Q(report__period=period))
    )
    approved = Q(report__status=Report.Status.APPROVED)
    names = ("a_num", "a_den", "a_rows", "a_done", "p_num", "p_den")  # the tuple's order, after unit and indicator
    rows = values.values("report__unit_id", "indicator_id").annotate(
        a_num=Sum("numerator", filter=approved), a_den=Sum("denominator", filter=approved),
        a_rows=Count("id", filter=approved),
        a_done=Max(Case(When(approved & Q(done=True), then=1), When(approved & Q(done=False), then=0))),
        p_num=Sum("numerator"), p_den=Sum("denominator"),
    ).values_list("report__unit_id", "indicator_id", *names)
    # Plain tuples straight from the cursor: the ORM's per-value converters cost more than the query here.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): Figure(*row[2:]) for row in cursor.fetchall()}


def _baselines(months: set[dt.date]) -> dict[tuple, dict]:
    """(unit, indicator, month) → approved figures in the months before stages start: the paths' baselines."""
    rows = ReportValue.objects.filter(report__status=Report.Status.APPROVED, report__period__in=months).values_list(
        "report__unit_id", "indicator_id", "report__period", "numerator", "denominator")
    return {(u, i, p): (n, d) for u, i, p, n, d in rows.iterator(chunk_size=5000)}


class Submission(NamedTuple):
    status: str
    first_submitted_at: dt.datetime | None
    due_on: dt.date | None  # fixed when the report was opened


def _submissions(period: dt.date) -> dict[int, Submission]:
    """Unit → its report's status, first submission time and due date for the month."""
    rows = Report.objects.filter(period=period).annotate(
        first=Coalesce(Min("submissions__submitted_at"), "submitted_at")
    ).values_list("unit_id", "status", "first", "due_on")
    return {unit: Submission(status, first, due_on) for unit, status, first, due_on in rows}


RESULT_COLUMNS = (
    "run_id", "unit_id", "indicator_id", "target_id", "numerator", "denominator", "done", "value",
    "provisional_value", "path_value", "status", "reason", "sub_numerator", "sub_denominator", "sub_expected",
    "sub_reporting", "sub_meeting", "sub_value", "sub_status", "sub_reason",
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
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(["\\N" if v is None else ("t" if v is True else "f" if v is False else v)
                                 for v in row])
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


class _LeaseBusy(Exception):
    """Another computation of the month holds the lease: undo the run just created."""


def _lease_seconds() -> int:
    return settings.PORTAL_COMPLIANCE_LEASE_SECONDS


def _month_ensure(period: dt.date) -> None:
    if ComplianceMonth.objects.filter(period=period).exists():
        return
    try:
        with transaction.atomic():
            ComplianceMonth.objects.create(period=period)
    except IntegrityError:
        pass  # created meanwhile by a concurrent request: the row is all that is needed


def _lease_take(*, period: dt.date, as_of: dt.datetime) -> ComplianceRun | None:
    """A new run holding the month's lease, or None when a live computation holds it.

    The run and the lease are committed together, so no run ever exists as "running" without the lease."""
    try:
        with transaction.atomic():
            run = ComplianceRun.objects.create(period=period, as_of=as_of)
            now = timezone.now()
            taken = ComplianceMonth.objects.filter(period=period).filter(
                Q(holder__isnull=True) | Q(lease_until__lt=now)
            ).update(holder=run, lease_until=now + dt.timedelta(seconds=_lease_seconds()), wanted_at=None)
            if not taken:
                raise _LeaseBusy
    except _LeaseBusy:
        return None
    return run


def _lease_renew(run: ComplianceRun) -> bool:
    return bool(ComplianceMonth.objects.filter(period=run.period, holder=run).update(
        lease_until=timezone.now() + dt.timedelta(seconds=_lease_seconds())))


def _wish_record(*, period: dt.date) -> bool:
    """Ask the live holder for one more computation; False when the lease came free meanwhile (take it then)."""
    return bool(ComplianceMonth.objects.filter(period=period, holder__isnull=False,
                                               lease_until__gte=timezone.now()).update(wanted_at=timezone.now()))


def _lease_pass_on(run: ComplianceRun) -> ComplianceRun | None:
    """Give the lease back, or, when a computation was asked for during this one, hand it to a follow-up run."""
    if ComplianceMonth.objects.filter(period=run.period, holder=run, wanted_at__isnull=True).update(
            holder=None, lease_until=None):
        return None
    with transaction.atomic():
        follow = ComplianceRun.objects.create(period=run.period, as_of=timezone.now())
        handed = ComplianceMonth.objects.filter(period=run.period, holder=run).update(
            holder=follow, lease_until=timezone.now() + dt.timedelta(seconds=_lease_seconds()), wanted_at=None)
        if not handed:
            # The lease expired and another run took it: that run already sees everything asked for.
            transaction.set_rollback(True)
            return None
    return follow


def _lease_release(run: ComplianceRun) -> None:
    ComplianceMonth.objects.filter(period=run.period, holder=run).update(holder=None, lease_until=None)


def _rows_delete(run_ids) -> None:
    ComplianceResult.objects.filter(run_id__in=run_ids).delete()
    ReportingResult.objects.filter(run_id__in=run_ids).delete()


def _dead_runs_bury(*, period: dt.date, keep: ComplianceRun) -> list[int]:
    """Runs of the month still marked running that do not hold the lease: their worker died (or lost the lease
    and will discard its work itself). Mark them failed and drop what they wrote."""
    dead = list(ComplianceRun.objects.filter(period=period, state=ComplianceRun.State.RUNNING)
                .exclude(pk=keep.pk).values_list("pk", flat=True))
    if dead:
        logger.warning("Compliance runs %s for %s stopped without finishing; marked failed", dead, period)
        ComplianceRun.objects.filter(pk__in=dead, state=ComplianceRun.State.RUNNING).update(
            state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now())
        _rows_delete(dead)
    return dead


DEAD_RUN_ERROR = "The computation stopped without finishing (its worker was stopped or lost the lease)."


class _Heartbeat:
    """Renews the lease while the computation runs, from a thread with its own database connection."""

    def __init__(self, run: ComplianceRun):
        self.run = run
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"compliance-lease-{run.pk}", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(max(1.0, _lease_seconds() / 4)):
                try:
                    if not _lease_renew(self.run):
                        return  # the lease was taken over: the swap will notice and discard this run
                except DatabaseError:
                    logger.warning("Could not renew the lease of compliance run %s", self.run.pk, exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        # Inside a caller's transaction the lease row stays locked until that transaction ends, so nobody can
        # take it over, and a renewal from another connection would wait on that lock forever.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()


def compliance_compute(*, period: dt.date, as_of: dt.datetime | None = None, fail_after: int | None = None
                       ) -> ComplianceRun | None:
    """Compute one month for every unit, then make it the current result in one transaction.

    One computation of a month at a time: when another one is running, this request is recorded on the month
    and that computation runs once more when it finishes (any number of such requests make one more run); None
    is returned then. Until the swap, readers keep seeing the previous run; if anything fails, the new run is
    discarded. `fail_after` stops the computation after that many result rows (used to prove the swap is all
    or nothing).
    """
    period = period.replace(day=1)
    as_of = as_of or timezone.now()
    _month_ensure(period)
    while (run := _lease_take(period=period, as_of=as_of)) is None:
        if _wish_record(period=period):
            logger.info("Compliance for %s is being computed; one more computation will follow", period)
            return None
    _dead_runs_bury(period=period, keep=run)
    while True:
        if not _run_compute(run=run, fail_after=fail_after):
            return None  # superseded: a newer computation took the month over and its result stands
        follow = _lease_pass_on(run)
        if follow is None:
            return run
        run, fail_after = follow, None


def _run_compute(*, run: ComplianceRun, fail_after: int | None) -> bool:
    """Compute and swap in one run; False when it lost the lease meanwhile and its work was discarded."""
    period = run.period
    collecting = gc.isenabled()
    try:
        with _Heartbeat(run):
            # Millions of short-lived rows and no reference cycles: the cyclic collector would only rescan them.
            gc.disable()
            try:
                count = _compute(run=run, fail_after=fail_after)
            finally:
                if collecting:
                    gc.enable()
        with transaction.atomic():
            # Only the lease holder swaps: a run whose lease was taken over is older than the one that took it.
            # The UPDATE also locks the month's row until the swap commits, so no one takes the lease meanwhile.
            superseded = not _lease_renew(run)
            if not superseded:
                ComplianceRun.objects.filter(period=period, is_current=True).update(is_current=False)
                ComplianceRun.objects.filter(pk=run.pk).update(
                    is_current=True, state=ComplianceRun.State.DONE, finished_at=timezone.now(), results=count)
    except Exception as exc:
        logger.exception("Compliance run %s for %s failed", run.pk, period)
        ComplianceRun.objects.filter(pk=run.pk).update(state=ComplianceRun.State.FAILED, error=str(exc)[:2000],
                                                       finished_at=timezone.now())
        _rows_delete([run.pk])
        _lease_release(run)
        raise
    if superseded:
        # Older than the run that took the lease over: its result would replace a newer one, so it is dropped.
        logger.warning("Compliance run %s for %s lost its lease to a newer one; discarded", run.pk, period)
        ComplianceRun.objects.filter(pk=run.pk).update(state=ComplianceRun.State.FAILED, error=SUPERSEDED_ERROR,
                                                       finished_at=timezone.now())
        _rows_delete([run.pk])
        return False
    # Finished runs of the month are no longer read; removing them is housekeeping, outside the swap. Runs
    # still computing are left alone, and failed ones stay (without rows) as the record of what went wrong.
    old = list(ComplianceRun.objects.filter(period=period, is_current=False, state=ComplianceRun.State.DONE)
               .values_list("pk", flat=True))
    if old:
        _rows_delete(old)
        ComplianceRun.objects.filter(pk__in=old).delete()
    run.refresh_from_db()
    return True


SUPERSEDED_ERROR = "A newer computation of the month took over; this one was discarded."


def compliance_runs_reap() -> list[dt.date]:
    """Months whose computation died (its lease ran out): free the lease, mark the run failed, drop its rows.

    Returns those months, which still need computing: the request that started the dead run was never met."""
    months = []
    for month in ComplianceMonth.objects.filter(holder__isnull=False, lease_until__lt=timezone.now()):
        with transaction.atomic():
            freed = ComplianceMonth.objects.filter(pk=month.pk, holder_id=month.holder_id,
                                                   lease_until__lt=timezone.now()).update(holder=None,
                                                                                         lease_until=None)
            if not freed:
                continue  # renewed or taken meanwhile: alive
        dead = ComplianceRun.objects.filter(pk=month.holder_id, state=ComplianceRun.State.RUNNING)
        if dead.update(state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now()):
            logger.warning("Compliance run %s for %s stopped without finishing; marked failed",
                           month.holder_id, month.period)
        _rows_delete([month.holder_id])
        months.append(month.period)
    # Runs left "running" without a lease (stopped before leases existed, or a lost lease whose worker then
    # died): nothing will ever finish them.
    stale = ComplianceRun.objects.filter(
        state=ComplianceRun.State.RUNNING,
        started_at__lt=timezone.now() - dt.timedelta(seconds=_lease_seconds()),
    ).exclude(pk__in=ComplianceMonth.objects.filter(holder__isnull=False).values("holder_id"))
    for run_id, period in stale.values_list("pk", "period"):
        if ComplianceRun.objects.filter(pk=run_id, state=ComplianceRun.State.RUNNING).update(
                state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now()):
            logger.warning("Compliance run %s for %s was left running without a lease; marked failed", run_id,
                           period)
            _rows_delete([run_id])
            if period not in months:
                months.append(period)
    return months


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

    @classmethod
    def load(cls, run: ComplianceRun) -> "Month":
        period = run.period
        month_end = month_last_day(period.year, period.month)
        units = [
            UnitRow(pk, path, depth, kind,
                    (opened is None or opened <= month_end) and (closed is None or closed >= period))
            for pk, path, depth, kind, opened, closed in Unit.objects.order_by("path").values_list(
                "pk", "path", "depth", "kind", "opened_on", "closed_on").iterator(chunk_size=10000)
        ]
        return cls(run=run, period=period, month_end=month_end, today=timezone.localtime(run.as_of).date(),
                   texts=Texts(), indicators={i.pk: i for i in Indicator.objects.all()}, units=units,
                   bindings=Bindings())


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


def _compute(*, run: ComplianceRun, fail_after: int | None) -> int:
    """The phases, each over named records: bind, reporting, own values, roll-up, emit."""
    month = Month.load(run)
    stages = _bind(month)
    reporting = _reporting(month)
    own_results, nodes = _own_values(month, stages, reporting)
    _roll_up(month, reporting, nodes)
    return _emit(month, stages, own_results, nodes, reporting, fail_after=fail_after)


def _bind(month: Month) -> dict[tuple[int, int], Stage | None]:
    """(unit, indicator) → the stage in force; units in the same position in the tree share the work."""
    stages: dict[tuple[int, int], Stage | None] = {}
    stage_cache: dict[tuple, Stage | None] = {}
    for unit in month.units:
        if not unit.open:
            continue
        for indicator_id, targets in month.bindings.for_unit(unit).items():
            key = tuple(t.pk for t in targets)
            if key not in stage_cache:
                stage_cache[key] = stages_in_force(targets, month.month_end)
            stages[(unit.id, indicator_id)] = stage_cache[key]
    return stages


def _reporting(month: Month) -> dict[int, Reporting]:
    """Every open unit bound by a target is expected to report; lateness is judged against its report's due date."""
    submissions = _submissions(month.period)
    due_days = report_due_days()
    reporting: dict[int, Reporting] = {}
    for unit in month.units:
        if not unit.open or not month.bindings.for_unit(unit):
            continue
        submission = submissions.get(unit.id)
        due_on = (submission and submission.due_on) or report_due_date(path=unit.path, period=month.period,
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


def _own_values(month: Month, stages: dict, reporting: dict[int, Reporting]
                ) -> tuple[dict[tuple[int, int], OwnResult], dict[int, dict[int, Node]]]:
    """Each unit's own value, provisional value and verdict, and the node it adds to the roll-up."""
    baseline_months = {_baseline_month(s) for s in set(stages.values()) if s}
    baselines = _baselines(baseline_months)
    flow_ids = {pk for pk, i in month.indicators.items() if i.flow == Flow.FLOW}
    figures = _figures(month.period, flow_ids)
    overdue_reasons: dict[int, str] = {}
    own_results: dict[tuple[int, int], OwnResult] = {}
    nodes: dict[int, dict[int, Node]] = defaultdict(dict)
    for (unit_id, indicator_id), stage in stages.items():
        indicator = month.indicators[indicator_id]
        figure = figures.get((unit_id, indicator_id))
        baseline = baselines.get((unit_id, indicator_id, _baseline_month(stage))) if stage else None
        if reporting[unit_id].own == ReportingResult.Own.OVERDUE and unit_id not in overdue_reasons:
            overdue_reasons[unit_id] = _("No report for %(month)s; it was due by %(due)s.") % {
                "month": month.period.strftime("%m/%Y"), "due": date_format(reporting[unit_id].due_on)}
        own = _own_result(month, indicator, stage, figure, baseline, overdue_reasons.get(unit_id))
        own_results[(unit_id, indicator_id)] = own
        nodes[unit_id][indicator_id] = Node(
            numerator=own.numerator or 0, denominator=own.denominator or 0, expected=1,
            reporting=int(bool(figure and figure.rows)),
            meeting=int(_unit_meets(indicator, done=own.done, value=own.value, status=own.status)),
            has_counts=own.numerator is not None)
    return own_results, nodes


def _baseline_month(stage: Stage) -> dt.date:
    """A path starts from the approved figures of the month before its stage starts."""
    return (stage.starts_on - dt.timedelta(days=1)).replace(day=1)


def _own_result(month: Month, indicator: Indicator, stage: Stage | None, figure: Figure | None,
                baseline_figure: tuple | None, overdue_reason: str | None) -> OwnResult:
    approved = bool(figure and figure.rows)
    counts = approved and indicator.has_counts
    numerator = figure.numerator if counts else None
    denominator = figure.denominator if counts else None
    done = bool(figure.done) if approved and figure.done is not None else None
    value = provisional = baseline = path = None
    if indicator.has_counts:
        value = own_value(measure=indicator.measure, numerator=numerator, denominator=denominator)
        if figure and (figure.all_numerator, figure.all_denominator) == (numerator, denominator):
            provisional = value
        elif figure:
            provisional = own_value(measure=indicator.measure, numerator=figure.all_numerator,
                                    denominator=figure.all_denominator)
        if baseline_figure:
            baseline = own_value(measure=indicator.measure, numerator=baseline_figure[0],
                                 denominator=baseline_figure[1])
    if overdue_reason is not None:
        status, reason = Status.OVERDUE, overdue_reason
    elif indicator.measure == Measure.UNIT_SHARE:
        # Each unit says done or not; the target is on the share of units, judged on the subtree.
        texts = month.texts
        status = Status.MET if done else (Status.NO_DATA if done is None else "")
        reason = texts.unit_done if done else (texts.no_figures if done is None else texts.unit_not_done)
    else:
        verdict = judge(stage=stage, value=value, done=done, month_end=month.month_end, baseline=baseline,
                        texts=month.texts)
        status, reason, path = verdict.status, verdict.reason, verdict.path
    return OwnResult(stage.target_id if stage else None, numerator, denominator, done, value, provisional, path,
                     status, reason[:400])


def _roll_up(month: Month, reporting: dict[int, Reporting], nodes: dict[int, dict[int, Node]]) -> None:
    """Deepest units first, each adding its sums to its parent, so a subtree is counted once."""
    by_path = {u.path: u for u in month.units}
    for unit in sorted(month.units, key=lambda u: -u.depth):
        parent = by_path.get(unit.path[:-STEP]) if unit.depth > 1 else None
        if parent is None:
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


def _subtree_verdict(month: Month, indicator: Indicator, stage: Stage | None, node: Node, own: OwnResult,
                     sub_value: Decimal | None) -> tuple[str, str]:
    texts = month.texts
    counted = texts.counted % {"meeting": node.meeting, "expected": node.expected}
    if node.reporting == 0:
        return Status.NO_DATA, texts.no_subtree_figures
    if node.expected == 1 and own is not NO_OWN and indicator.measure != Measure.UNIT_SHARE:
        # A unit alone in its subtree: the subtree's verdict is its own.
        return own.status, f"{counted} {own.reason}"
    if stage is not None:
        done = (node.meeting == node.expected) if indicator.rollup == Rollup.ALL_DONE else None
        verdict = judge(stage=stage, value=sub_value, done=done, month_end=month.month_end, texts=texts)
        return verdict.status, f"{counted} {verdict.reason}"
    return "", counted


def _emit(month: Month, stages: dict, own_results: dict[tuple[int, int], OwnResult],
          nodes: dict[int, dict[int, Node]], reporting: dict[int, Reporting], *, fail_after: int | None) -> int:
    """One result row per unit and indicator, written in batches; then the reporting rows."""
    run_id = month.run.pk
    rows, count = [], 0
    for unit_id, by_indicator in nodes.items():
        for indicator_id, node in by_indicator.items():
            indicator = month.indicators[indicator_id]
            sub_value = rolled_value(node, rollup=indicator.rollup, measure=indicator.measure)
            own = own_results.get((unit_id, indicator_id), NO_OWN)
            sub_status, sub_reason = _subtree_verdict(month, indicator, stages.get((unit_id, indicator_id)), node,
                                                      own, sub_value)
            rows.append((run_id, unit_id, indicator_id, *own,
                         node.numerator if node.has_counts else None, node.denominator if node.has_counts else None,
                         node.expected, node.reporting, node.meeting, sub_value, sub_status, sub_reason[:400]))
            count += 1
            if fail_after is not None and count >= fail_after:
                _insert(ComplianceResult, RESULT_COLUMNS, rows)
                raise RuntimeError("compliance computation stopped on purpose (fail_after)")
            if len(rows) >= 50000:
                _insert(ComplianceResult, RESULT_COLUMNS, rows)
                rows = []
    _insert(ComplianceResult, RESULT_COLUMNS, rows)
    _insert(ReportingResult, REPORTING_COLUMNS, [r.row(run_id, unit_id) for unit_id, r in reporting.items()])
    return count


def _unit_meets(indicator: Indicator, *, done, value, status) -> bool:
    if indicator.measure in (Measure.MILESTONE, Measure.UNIT_SHARE):
        return bool(done)
    if indicator.unit_threshold is not None and value is not None:
        return value >= indicator.unit_threshold
    return status == Status.MET
