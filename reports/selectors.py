import datetime as dt

from django.db.models import Q, QuerySet

from core.periods import month_last_day
from reports.models import Report, ReportValue
from targets.binding import target_in_force, targets_for_unit
from targets.models import Indicator
from units.access import membership_paths, sees_all, subtree_condition, units_enterable_by
from units.models import Membership, Unit


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
    """Submitted reports in the subtrees the user reviews (every unit for staff), oldest submission first."""
    queryset = Report.objects.filter(status=Report.Status.SUBMITTED).select_related("unit").order_by(
        "submitted_at", "id")
    if sees_all(user):
        return queryset
    condition = subtree_condition(membership_paths(user=user, roles=[Membership.Role.REVIEWER]), field="unit__path")
    return queryset.filter(condition) if condition is not None else Report.objects.none()


def report_indicators(*, report: Report) -> list[Indicator]:
    """The indicators the plans covering the unit target, grouped by indicator group, in catalogue order."""
    indicators = {}
    for target in targets_for_unit(unit=report.unit):
        indicators.setdefault(target.indicator_id, target.indicator)
    return sorted(indicators.values(), key=lambda i: (i.group.order, i.code))


def previous_approved_values(*, report: Report) -> dict[int, ReportValue]:
    """Indicator id → the value in the unit's latest approved report before this month."""
    previous = (Report.objects.filter(unit_id=report.unit_id, period__lt=report.period, status=Report.Status.APPROVED)
                .order_by("-period").first())
    if previous is None:
        return {}
    return {value.indicator_id: value for value in previous.values.all()}


def report_form_context(*, unit: Unit, period: dt.date, report: Report | None) -> list[dict]:
    """Per indicator, in group order: the target in force, last month's value and this month's value."""
    bound: dict[int, list] = {}
    for target in targets_for_unit(unit=unit):
        bound.setdefault(target.indicator_id, []).append(target)
    indicators = sorted((targets[0].indicator for targets in bound.values()), key=lambda i: (i.group.order, i.code))
    last_month = (period - dt.timedelta(days=1)).replace(day=1)
    month_end = month_last_day(period.year, period.month)
    previous = {v.indicator_id: v for v in ReportValue.objects.filter(report__unit=unit, report__period=last_month)}
    current = {v.indicator_id: v for v in report.values.all()} if report else {}
    return [
        {"indicator": indicator, "target": target_in_force(bound[indicator.pk], month_end),
         "previous": previous.get(indicator.pk), "value": current.get(indicator.pk)}
        for indicator in indicators
    ]
