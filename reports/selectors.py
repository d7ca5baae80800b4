import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.periods import month_last_day
from plans.models import Plan
from plans.selectors import report_due_date, report_due_days
from reports.models import Evidence, Report, ReportDecision, ReportValue
from targets.binding import target_in_force, target_values_for, targets_for_unit
from targets.models import Indicator
from units.access import membership_paths, sees_all, subtree_condition, units_enterable_by
from units.models import Membership, Unit
from units.selectors import unit_ancestor_paths, unit_open_in_month


def reports_visible_to(*, user) -> QuerySet[Report]:
    """Reports of the units the user enters (clerk) or whose subtree they review or view; staff see all."""
    queryset = Report.objects.select_related("unit")
    if not user.is_authenticated:
        return queryset.none()
    if sees_all(user):
        return queryset
    condition = Q(unit__in=units_enterable_by(user=user))
    readers = subtree_condition(membership_paths(user=user, roles=[Membership.Role.REVIEWER, Membership.Role.VIEWER]),
                                field="unit__path")
    return queryset.filter(condition | readers if readers is not None else condition)


def review_queue(*, user) -> QuerySet[Report]:
    """Submitted reports in the subtrees the user reviews, oldest submission first."""
    queryset = Report.objects.filter(status=Report.Status.SUBMITTED).select_related("unit").order_by(
        "submitted_at", "id")
    condition = subtree_condition(membership_paths(user=user, roles=[Membership.Role.REVIEWER]), field="unit__path")
    return queryset.filter(condition) if condition is not None else Report.objects.none()


def report_period_refusal(*, unit: Unit, period: dt.date) -> str | None:
    """Why no report may exist for the unit in this month, or None: the month must have begun
    (in Asia/Ho_Chi_Minh) and lie within the years of a plan issued by the unit or a unit above it."""
    month = period.strftime("%m/%Y") if period.year >= 1000 else f"{period.month:02d}/{period.year:04d}"
    if period.replace(day=1) > timezone.localdate().replace(day=1):
        return _("The month %(month)s has not begun yet: figures can be entered only for a month that has "
                 "started.") % {"month": month}
    covered = Plan.objects.issued().filter(issuer__path__in=unit_ancestor_paths(unit), year_start__lte=period.year,
                                  year_end__gte=period.year).exists()
    if not covered:
        return _("No plan binding %(unit)s covers the month %(month)s: figures can be entered only for the "
                 "years of a plan.") % {"unit": unit.name, "month": month}
    return None


def report_authors(*, report: Report) -> set[int]:
    """Ids of the people who saved figures into the report, attached evidence or submitted it.

    Read from the audit rows every save writes (a value change or a file, not a status change) and from the
    submissions, so an earlier round counts as much as the last one.
    """
    submitters = report.submissions.exclude(submitted_by=None).values_list("submitted_by_id", flat=True)
    writers = (AuditEvent.objects.filter(object_type=Report._meta.label_lower, object_id=str(report.pk),
                                         actor__isnull=False)
               .exclude(changes__has_key="status").values_list("actor_id", flat=True))
    return set(submitters) | set(writers)


def report_indicators(*, report: Report) -> list[Indicator]:
    """The indicators the plans covering the unit target, grouped by indicator group, in catalogue order."""
    indicators = {}
    for target in targets_for_unit(unit=report.unit, period=report.period):
        indicators.setdefault(target.indicator_id, target.indicator)
    return sorted(indicators.values(), key=lambda i: (i.group.order, i.code))


def previous_approved_report(*, unit_id: int, period: dt.date) -> Report | None:
    """The unit's latest approved report before the month: what the form shows as last month and what a running
    total must not fall below (one month for both, so the figure shown is the figure checked)."""
    return (Report.objects.filter(unit_id=unit_id, period__lt=period, status=Report.Status.APPROVED)
            .order_by("-period").first())


def previous_approved_values(*, report: Report) -> dict[int, ReportValue]:
    """Indicator id → the value in the unit's latest approved report before this month."""
    previous = previous_approved_report(unit_id=report.unit_id, period=report.period)
    if previous is None:
        return {}
    return {value.indicator_id: value for value in previous.values.all()}


def report_form_context(*, unit: Unit, period: dt.date, report: Report | None) -> list[dict]:
    """Per indicator, in group order: the target in force, the last approved month's value (see
    `previous_approved_report`) and this month's value."""
    bound: dict[int, list] = {}
    for target in targets_for_unit(unit=unit, period=period):
        bound.setdefault(target.indicator_id, []).append(target)
    indicators = sorted((targets[0].indicator for targets in bound.values()), key=lambda i: (i.group.order, i.code))
    month_end = month_last_day(period.year, period.month)
    approved = previous_approved_report(unit_id=unit.pk, period=period)
    previous = {v.indicator_id: v for v in approved.values.all()} if approved else {}
    current = {v.indicator_id: v for v in report.values.all()} if report else {}
    held = {indicator.pk: target_in_force(bound[indicator.pk], month_end) for indicator in indicators}
    asked = target_values_for(unit=unit, targets=held.values())  # the unit's own value where the plan sets one
    return [
        {"indicator": indicator, "target": held[indicator.pk],
         "target_value": asked[held[indicator.pk].pk].label if held[indicator.pk] else "",
         "previous": previous.get(indicator.pk), "previous_period": approved.period if approved else None,
         "value": current.get(indicator.pk)}
        for indicator in indicators
    ]


class ClerkMonth(NamedTuple):
    """One month of a unit on the clerk's list: its report (if begun), when it is due and how it stands.

    `timeliness` is "on_time" or "late" once submitted (by the first submission), else "overdue" after the due day
    or "pending" before it; `days_overdue` counts the days past the due day of a report not yet submitted.
    """

    month: dt.date
    report: Report | None
    due_on: dt.date
    timeliness: str
    days_overdue: int


class ClerkUnit(NamedTuple):
    unit: Unit
    months: list[ClerkMonth]


def clerk_months(*, user, today: dt.date, count: int = 6) -> list[ClerkUnit]:
    """The units the user enters, each with the last `count` finished months, newest first; a month it has nothing
    to report for (closed or not yet open, no plan covering it, no target binding it) is left out."""
    units = list(units_enterable_by(user=user).order_by("name"))
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = [last_month]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    reports = {(r.unit_id, r.period): r for r in Report.objects.filter(unit__in=units, period__in=months)
               .prefetch_related("submissions")}
    days = report_due_days()
    listed = []
    for unit in units:
        cells = []
        for month in months:
            report = reports.get((unit.pk, month))
            if report is None and not _expects_report(unit=unit, month=month):
                continue
            due_on = report.due_on if report and report.due_on else report_due_date(path=unit.path, period=month,
                                                                                    days=days)
            cells.append(_clerk_month(month=month, report=report, due_on=due_on, today=today))
        listed.append(ClerkUnit(unit, cells))
    return listed


def _expects_report(*, unit: Unit, month: dt.date) -> bool:
    """Whether the unit has something to report for the month: open in it, under a plan, bound by a target."""
    return (unit_open_in_month(opened_on=unit.opened_on, closed_on=unit.closed_on,
                               month_end=month_last_day(month.year, month.month))
            and report_period_refusal(unit=unit, period=month) is None
            and bool(targets_for_unit(unit=unit, period=month)))


def _clerk_month(*, month: dt.date, report: Report | None, due_on: dt.date, today: dt.date) -> ClerkMonth:
    first = min(report.submissions.all(), key=lambda s: s.number, default=None) if report else None
    if first is not None:
        return ClerkMonth(month, report, due_on, "late" if first.is_late else "on_time", 0)
    if today > due_on:
        return ClerkMonth(month, report, due_on, "overdue", (today - due_on).days)
    return ClerkMonth(month, report, due_on, "pending", 0)


@dataclass(slots=True)
class ReviewRow:
    """What a reviewer judges of one indicator, side by side."""

    indicator: Indicator
    value: ReportValue | None
    target: object | None  # the Target in force for the month (targets.binding), or None
    previous: ReportValue | None  # the same indicator in the previous approved month
    evidence: list[Evidence] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # field → [before, now] since the previous submission
    returned_reason: str = ""  # the last return's word on this indicator
    target_value: str = ""  # what the target asks of this unit (a value set for it, or the target's own)


@dataclass(slots=True)
class ReviewSheet:
    rows: list[ReviewRow]
    previous_period: dt.date | None  # the month "last month" figures come from, or None if none was approved
    last_return: ReportDecision | None


def report_review_sheet(*, report: Report, changes: dict[str, dict[str, list]]) -> ReviewSheet:
    """Per indicator of the report: its figures, the target in force, the last approved month's figures (the month
    the running-total check compares with), the evidence files, the changes since the previous submission and
    the reason the last return gave for it. `changes` is `submission_changes(report=…)`."""
    bound: dict[int, list] = {}
    for target in targets_for_unit(unit=report.unit, period=report.period):
        bound.setdefault(target.indicator_id, []).append(target)
    indicators = sorted((targets[0].indicator for targets in bound.values()), key=lambda i: (i.group.order, i.code))
    month_end = month_last_day(report.period.year, report.period.month)
    values = {value.indicator_id: value for value in report.values.all()}
    previous_report = previous_approved_report(unit_id=report.unit_id, period=report.period)
    previous = {value.indicator_id: value for value in previous_report.values.all()} if previous_report else {}
    evidence: dict[int, list[Evidence]] = {}
    for item in report.evidence.all():
        evidence.setdefault(item.indicator_id, []).append(item)
    last_return = (report.decisions.exclude(action=ReportDecision.Action.APPROVE).order_by("-at", "-id").first())
    reasons = last_return.value_reasons if last_return else {}
    held = {indicator.pk: target_in_force(bound[indicator.pk], month_end) for indicator in indicators}
    asked = target_values_for(unit=report.unit, targets=held.values())
    rows = [ReviewRow(indicator=indicator, value=values.get(indicator.pk),
                      target=held[indicator.pk], previous=previous.get(indicator.pk),
                      evidence=evidence.get(indicator.pk, []), changes=changes.get(str(indicator.pk), {}),
                      returned_reason=reasons.get(indicator.code, ""),
                      target_value=asked[held[indicator.pk].pk].label if held[indicator.pk] else "")
            for indicator in indicators]
    return ReviewSheet(rows=rows, previous_period=previous_report.period if previous_report else None,
                       last_return=last_return)
