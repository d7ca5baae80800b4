"""Computing a month's compliance for every unit, and swapping it in whole."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, Count, Max, Min, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine import Node, judge, own_value, pct, rolled_value, stages_in_force
from compliance.models import ComplianceResult, ComplianceRun, ReportingResult, Status
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
    rows = values.values("report__unit_id", "indicator_id").annotate(
        a_num=Sum("numerator", filter=approved), a_den=Sum("denominator", filter=approved),
        a_rows=Count("id", filter=approved),
        a_done=Max(Case(When(approved & Q(done=True), then=1), When(approved & Q(done=False), then=0))),
        p_num=Sum("numerator"), p_den=Sum("denominator"),
        p_done=Max(Case(When(done=True, then=1), When(done=False, then=0))),
    )
    return {(r["report__unit_id"], r["indicator_id"]): r for r in rows.iterator(chunk_size=5000)}


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


def _write(model, objects: list, batch: int = 5000) -> None:
    model.objects.bulk_create(objects, batch_size=batch)


def compliance_compute(*, period: dt.date, as_of: dt.datetime | None = None, fail_after: int | None = None
                       ) -> ComplianceRun:
    """Compute one month for every unit, then make it the current result in one transaction.

    Until the swap, readers keep seeing the previous run; if anything fails, the new run is discarded.
    `fail_after` stops the computation after that many result rows (used to prove the swap is all or nothing).
    """
    period = period.replace(day=1)
    as_of = as_of or timezone.now()
    run = ComplianceRun.objects.create(period=period, as_of=as_of)
    try:
        count = _compute(run=run, fail_after=fail_after)
        with transaction.atomic():
            ComplianceRun.objects.filter(period=period, is_current=True).update(is_current=False)
            ComplianceRun.objects.filter(pk=run.pk).update(
                is_current=True, state=ComplianceRun.State.DONE, finished_at=timezone.now(), results=count)
    except Exception as exc:
        logger.exception("Compliance run %s for %s failed", run.pk, period)
        ComplianceRun.objects.filter(pk=run.pk).update(state=ComplianceRun.State.FAILED, error=str(exc)[:2000],
                                                       finished_at=timezone.now())
        ComplianceResult.objects.filter(run=run).delete()
        ReportingResult.objects.filter(run=run).delete()
        raise
    # Older runs of the month are no longer read; removing them is housekeeping, outside the swap.
    for old in ComplianceRun.objects.filter(period=period, is_current=False).exclude(pk=run.pk):
        ComplianceResult.objects.filter(run=old).delete()
        ReportingResult.objects.filter(run=old).delete()
        old.delete()
    run.refresh_from_db()
    return run


def _compute(*, run: ComplianceRun, fail_after: int | None) -> int:
    period = run.period
    month_end = month_last_day(period.year, period.month)
    today = timezone.localtime(run.as_of).date()
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

    # Which stage binds each (unit, indicator), and where each stage's path starts.
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

    results: dict[tuple, ComplianceResult] = {}
    nodes: dict[tuple, Node] = {}
    reporting: dict[int, ReportingResult] = {}
    expected_units = {unit_id for unit_id, _i in stages}

    for unit in units:
        if unit.id in expected_units:
            due_on = _due_on(unit.path, due_days, period)
            status, first = submissions.get(unit.id, (None, None))
            if first is not None and status != Report.Status.DRAFT:
                own = (ReportingResult.Own.ON_TIME if timezone.localtime(first).date() <= due_on
                       else ReportingResult.Own.LATE)
            else:
                own = ReportingResult.Own.OVERDUE if today > due_on else ReportingResult.Own.MISSING
            reporting[unit.id] = ReportingResult(
                run=run, unit_id=unit.id, own=own, due_on=due_on, expected=1,
                on_time=int(own == ReportingResult.Own.ON_TIME), late=int(own == ReportingResult.Own.LATE),
                missing=int(own in (ReportingResult.Own.MISSING, ReportingResult.Own.OVERDUE)))

    for (unit_id, indicator_id), stage in stages.items():
        indicator = indicators[indicator_id]
        figure = figures.get((unit_id, indicator_id))
        has_counts = indicator.has_counts
        approved = bool(figure and figure["a_rows"])
        numerator = figure["a_num"] if approved and has_counts else None
        denominator = figure["a_den"] if approved and has_counts else None
        done = (bool(figure["a_done"]) if approved and figure["a_done"] is not None else None)
        value = own_value(measure=indicator.measure, direction=indicator.direction, numerator=numerator,
                          denominator=denominator) if has_counts else None
        provisional = None
        if figure and has_counts:
            provisional = own_value(measure=indicator.measure, direction=indicator.direction,
                                    numerator=figure["p_num"], denominator=figure["p_den"])
        baseline = None
        if stage is not None and has_counts:
            month = (stage.starts_on - dt.timedelta(days=1)).replace(day=1)
            start = baselines.get((unit_id, indicator_id, month))
            if start:
                baseline = own_value(measure=indicator.measure, direction=indicator.direction,
                                     numerator=start[0], denominator=start[1])
        own_reporting = reporting[unit_id].own
        if own_reporting == ReportingResult.Own.OVERDUE:
            unit_due = date_format(reporting[unit_id].due_on)
            verdict_status = Status.OVERDUE
            verdict_reason = _("No report for %(month)s; it was due by %(due)s.") % {
                "month": period.strftime("%m/%Y"), "due": unit_due}
            path = None
        elif indicator.measure == Measure.UNIT_SHARE:
            # Each unit says done or not; the target is on the share of units, judged on the subtree.
            verdict_status = Status.MET if done else (Status.NO_DATA if done is None else "")
            verdict_reason = _("Done.") if done else (_("No approved figures.") if done is None else _("Not done."))
            path = None
        else:
            verdict = judge(stage=stage, value=value, done=done, month_end=month_end, baseline=baseline)
            verdict_status, verdict_reason, path = verdict.status, verdict.reason, verdict.path
        meets = _unit_meets(indicator, done=done, value=value, status=verdict_status)
        results[(unit_id, indicator_id)] = ComplianceResult(
            run=run, unit_id=unit_id, indicator_id=indicator_id, target_id=stage.target_id if stage else None,
            numerator=numerator, denominator=denominator, done=done, value=value, provisional_value=provisional,
            path_value=path, status=verdict_status, reason=verdict_reason[:400])
        nodes[(unit_id, indicator_id)] = Node(
            numerator=numerator or 0, denominator=denominator or 0, expected=1, reporting=int(approved),
            meeting=int(meets), has_counts=numerator is not None)

    # Roll up: deepest units first, each adding its sums to its parent, so a subtree is counted once.
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = by_path.get(unit.path[:-STEP]) if unit.depth > 1 else None
        if unit.id in reporting and parent is not None:
            _reporting_add(reporting, parent, run, reporting[unit.id])
        if parent is None:
            continue
        for indicator_id in indicators:
            node = nodes.get((unit.id, indicator_id))
            if node is None:
                continue
            parent_node = nodes.setdefault((parent.id, indicator_id), Node(expected=0))
            parent_node.add(node)

    count = 0
    written: list[ComplianceResult] = []
    for (unit_id, indicator_id), node in nodes.items():
        indicator = indicators[indicator_id]
        result = results.get((unit_id, indicator_id)) or ComplianceResult(run=run, unit_id=unit_id,
                                                                          indicator_id=indicator_id)
        sub_value = rolled_value(node, rollup=indicator.rollup, measure=indicator.measure,
                                 direction=indicator.direction)
        result.sub_numerator = node.numerator if node.has_counts else None
        result.sub_denominator = node.denominator if node.has_counts else None
        result.sub_expected, result.sub_reporting, result.sub_meeting = node.expected, node.reporting, node.meeting
        result.sub_value = sub_value
        stage = stages.get((unit_id, indicator_id))
        if node.reporting == 0:
            result.sub_status, result.sub_reason = Status.NO_DATA, _("No approved figures in the subtree.")
        elif stage is not None:
            done = (node.meeting == node.expected) if indicator.rollup == Rollup.ALL_DONE else None
            verdict = judge(stage=stage, value=sub_value, done=done, month_end=month_end)
            result.sub_status = verdict.status
            result.sub_reason = (_("%(meeting)s of %(expected)s units. ") % {
                "meeting": node.meeting, "expected": node.expected} + verdict.reason)[:400]
        else:
            result.sub_reason = _("%(meeting)s of %(expected)s units.") % {
                "meeting": node.meeting, "expected": node.expected}
        written.append(result)
        count += 1
        if fail_after is not None and count >= fail_after:
            _write(ComplianceResult, written)
            raise RuntimeError("compliance computation stopped on purpose (fail_after)")
        if len(written) >= 20000:
            _write(ComplianceResult, written)
            written = []
    _write(ComplianceResult, written)
    _write(ReportingResult, list(reporting.values()))
    return count


def _unit_meets(indicator: Indicator, *, done, value, status) -> bool:
    if indicator.measure in (Measure.MILESTONE, Measure.UNIT_SHARE):
        return bool(done)
    if indicator.unit_threshold is not None and value is not None:
        return value >= indicator.unit_threshold
    return status == Status.MET


def _reporting_add(reporting: dict, parent: UnitRow, run: ComplianceRun, child: ReportingResult) -> None:
    node = reporting.get(parent.id)
    if node is None:
        node = reporting[parent.id] = ReportingResult(run=run, unit_id=parent.id,
                                                      own=ReportingResult.Own.NOT_EXPECTED)
    node.expected += child.expected
    node.on_time += child.on_time
    node.late += child.late
    node.missing += child.missing
