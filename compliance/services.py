"""Computing a month's compliance for every unit, and swapping it in whole."""

import csv
import datetime as dt
import gc
import io
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass

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
    stages_in_force,
)
from compliance.models import ComplianceMonth, ComplianceResult, ComplianceRun, ReportingResult, Status
from core.formatting import date_format
from core.periods import month_last_day
from plans.models import Plan
from reports.models import Report, ReportValue
from reports.selectors import DEFAULT_DUE_DAY
from targets.models import Flow, Indicator, Measure, Rollup, Target
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


def _ancestors(path: str) -> list[str]:
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


class Bindings:
    """Which targets bind which unit, worked out once per distinct position in the tree rather than per unit."""

    def __init__(self):
        self.by_issuer: dict[str, list[Target]] = defaultdict(list)
        self.named: dict[int, set[str]] = {}
        for target in Target.objects.select_related("plan__issuer", "indicator").prefetch_related(
                "applies_to_units"):
            self.by_issuer[target.plan.issuer.path].append(target)
            self.named[target.pk] = {unit.path for unit in target.applies_to_units.all()}
        self.relevant = set(self.by_issuer) | {path for paths in self.named.values() for path in paths}
        self.cache: dict[tuple, dict[int, list[Target]]] = {}

    def for_unit(self, unit: UnitRow) -> dict[int, list[Target]]:
        ancestors = [p for p in _ancestors(unit.path) if p in self.relevant]
        key = (tuple(ancestors), unit.kind)
        if key not in self.cache:
            bound: dict[int, list[Target]] = defaultdict(list)
            own = set(ancestors)
            for path in ancestors:
                for target in self.by_issuer.get(path, ()):
                    if target.applies_to_kinds and unit.kind not in target.applies_to_kinds:
                        continue
                    if self.named[target.pk] and not (self.named[target.pk] & own):
                        continue
                    bound[target.indicator_id].append(target)
            self.cache[key] = dict(bound)
        return self.cache[key]


def _due_days() -> dict[str, int]:
    """Issuer path → the report due day of the plans it issued (the nearest issuer's plan decides)."""
    days = {}
    for path, day in Plan.objects.exclude(source_text="").values_list("issuer__path", "report_due_day"):
        days[path] = day
    return days


def _due_on(path: str, days: dict[str, int], period: dt.date) -> dt.date:
    day = next((days[p] for p in reversed(_ancestors(path)) if p in days), DEFAULT_DUE_DAY)
    following = month_last_day(period.year, period.month) + dt.timedelta(days=1)
    return following.replace(day=min(day, 28))


def _figures(period: dt.date, flow_ids: set[int]):
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
        return {(row[0], row[1]): row[2:] for row in cursor.fetchall()}


def _baselines(months: set[dt.date]) -> dict[tuple, dict]:
    """(unit, indicator, month) → approved figures in the months before stages start: the paths' baselines."""
    rows = ReportValue.objects.filter(report__status=Report.Status.APPROVED, report__period__in=months).values_list(
        "report__unit_id", "indicator_id", "report__period", "numerator", "denominator")
    return {(u, i, p): (n, d) for u, i, p, n, d in rows.iterator(chunk_size=5000)}


def _submissions(period: dt.date) -> dict[int, tuple]:
    """Unit → (report status, first submission time) for the month."""
    rows = Report.objects.filter(period=period).annotate(
        first=Coalesce(Min("submissions__submitted_at"), "submitted_at")
    ).values_list("unit_id", "status", "first")
    return {unit: (status, first) for unit, status, first in rows}


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


def _compute(*, run: ComplianceRun, fail_after: int | None) -> int:
    period = run.period
    month_end = month_last_day(period.year, period.month)
    today = timezone.localtime(run.as_of).date()
    texts = Texts()
    indicators = {i.pk: i for i in Indicator.objects.all()}
    flow_ids = {pk for pk, i in indicators.items() if i.flow == Flow.FLOW}
    units = [
        UnitRow(pk, path, depth, kind, (opened is None or opened <= month_end) and (closed is None or closed >= period))
        for pk, path, depth, kind, opened, closed in Unit.objects.order_by("path").values_list(
            "pk", "path", "depth", "kind", "opened_on", "closed_on").iterator(chunk_size=10000)
    ]
    by_path = {u.path: u for u in units}
    bindings = Bindings()
    due_days = _due_days()

    # Which stage binds each (unit, indicator); units in the same position share the work.
    stages: dict[tuple, object] = {}
    stage_cache: dict[tuple, object] = {}
    for unit in units:
        if not unit.open:
            continue
        for indicator_id, targets in bindings.for_unit(unit).items():
            key = tuple(t.pk for t in targets)
            if key not in stage_cache:
                stage_cache[key] = stages_in_force(targets, month_end)
            stages[(unit.id, indicator_id)] = stage_cache[key]
    baseline_months = {(s.starts_on - dt.timedelta(days=1)).replace(day=1) for s in stage_cache.values() if s}
    baselines = _baselines(baseline_months)
    figures = _figures(period, flow_ids)
    submissions = _submissions(period)

    reporting: dict[int, list] = {}  # unit → [own, due_on, expected, on_time, late, missing]
    for unit in units:
        if not unit.open or not bindings.for_unit(unit):
            continue
        due_on = _due_on(unit.path, due_days, period)
        status, first = submissions.get(unit.id, (None, None))
        if first is not None and status != Report.Status.DRAFT:
            own = ReportingResult.Own.ON_TIME if timezone.localtime(first).date() <= due_on else ReportingResult.Own.LATE
        else:
            own = ReportingResult.Own.OVERDUE if today > due_on else ReportingResult.Own.MISSING
        reporting[unit.id] = [own, due_on, 1, int(own == ReportingResult.Own.ON_TIME),
                              int(own == ReportingResult.Own.LATE),
                              int(own in (ReportingResult.Own.MISSING, ReportingResult.Own.OVERDUE))]

    overdue_reason = {}
    own_rows: dict[tuple, tuple] = {}
    nodes: dict[int, dict[int, Node]] = defaultdict(dict)
    for (unit_id, indicator_id), stage in stages.items():
        indicator = indicators[indicator_id]
        figure = figures.get((unit_id, indicator_id))
        has_counts = indicator.has_counts
        # figure = (approved numerator, denominator, rows, done; provisional numerator, denominator)
        approved = bool(figure and figure[2])
        numerator = figure[0] if approved and has_counts else None
        denominator = figure[1] if approved and has_counts else None
        done = bool(figure[3]) if approved and figure[3] is not None else None
        value = provisional = baseline = path = None
        if has_counts:
            value = own_value(measure=indicator.measure, direction=indicator.direction, numerator=numerator,
                              denominator=denominator)
            if figure and (figure[4], figure[5]) == (numerator, denominator):
                provisional = value
            elif figure:
                provisional = own_value(measure=indicator.measure, direction=indicator.direction,
                                        numerator=figure[4], denominator=figure[5])
            if stage is not None:
                start = baselines.get((unit_id, indicator_id, (stage.starts_on - dt.timedelta(days=1)).replace(day=1)))
                if start:
                    baseline = own_value(measure=indicator.measure, direction=indicator.direction,
                                         numerator=start[0], denominator=start[1])
        if reporting[unit_id][0] == ReportingResult.Own.OVERDUE:
            if unit_id not in overdue_reason:
                overdue_reason[unit_id] = _("No report for %(month)s; it was due by %(due)s.") % {
                    "month": period.strftime("%m/%Y"), "due": date_format(reporting[unit_id][1])}
            status, reason = Status.OVERDUE, overdue_reason[unit_id]
        elif indicator.measure == Measure.UNIT_SHARE:
            # Each unit says done or not; the target is on the share of units, judged on the subtree.
            status = Status.MET if done else (Status.NO_DATA if done is None else "")
            reason = texts.unit_done if done else (texts.no_figures if done is None else texts.unit_not_done)
        else:
            verdict = judge(stage=stage, value=value, done=done, month_end=month_end, baseline=baseline, texts=texts)
            status, reason, path = verdict.status, verdict.reason, verdict.path
        own_rows[(unit_id, indicator_id)] = (stage.target_id if stage else None, numerator, denominator, done,
                                             value, provisional, path, status, reason[:400])
        nodes[unit_id][indicator_id] = Node(
            numerator=numerator or 0, denominator=denominator or 0, expected=1, reporting=int(approved),
            meeting=int(_unit_meets(indicator, done=done, value=value, status=status)),
            has_counts=numerator is not None)

    # Roll up: deepest units first, each adding its sums to its parent, so a subtree is counted once.
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = by_path.get(unit.path[:-STEP]) if unit.depth > 1 else None
        if parent is None:
            continue
        if unit.id in reporting:
            row = reporting.get(parent.id)
            if row is None:
                row = reporting[parent.id] = [ReportingResult.Own.NOT_EXPECTED, None, 0, 0, 0, 0]
            for index in (2, 3, 4, 5):
                row[index] += reporting[unit.id][index]
        children = nodes.get(unit.id)
        if children:
            parent_nodes = nodes[parent.id]
            for indicator_id, node in children.items():
                parent_node = parent_nodes.get(indicator_id)
                if parent_node is None:
                    parent_node = parent_nodes[indicator_id] = Node()
                parent_node.add(node)

    rows, count = [], 0
    no_own = (None, None, None, None, None, None, None, "", "")
    for unit_id, by_indicator in nodes.items():
        for indicator_id, node in by_indicator.items():
            indicator = indicators[indicator_id]
            sub_value = rolled_value(node, rollup=indicator.rollup, measure=indicator.measure,
                                     direction=indicator.direction)
            stage = stages.get((unit_id, indicator_id))
            counted = texts.counted % {"meeting": node.meeting, "expected": node.expected}
            own = own_rows.get((unit_id, indicator_id), no_own)
            if node.reporting == 0:
                sub_status, sub_reason = Status.NO_DATA, texts.no_subtree_figures
            elif node.expected == 1 and own is not no_own and indicator.measure != Measure.UNIT_SHARE:
                # A unit alone in its subtree: the subtree's verdict is its own.
                sub_status, sub_reason = own[7], f"{counted} {own[8]}"
            elif stage is not None:
                done = (node.meeting == node.expected) if indicator.rollup == Rollup.ALL_DONE else None
                verdict = judge(stage=stage, value=sub_value, done=done, month_end=month_end, texts=texts)
                sub_status, sub_reason = verdict.status, f"{counted} {verdict.reason}"
            else:
                sub_status, sub_reason = "", counted
            rows.append((run.pk, unit_id, indicator_id, *own,
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
    _insert(ReportingResult, REPORTING_COLUMNS, [(run.pk, unit_id, *row) for unit_id, row in reporting.items()])
    return count


def _unit_meets(indicator: Indicator, *, done, value, status) -> bool:
    if indicator.measure in (Measure.MILESTONE, Measure.UNIT_SHARE):
        return bool(done)
    if indicator.unit_threshold is not None and value is not None:
        return value >= indicator.unit_threshold
    return status == Status.MET
