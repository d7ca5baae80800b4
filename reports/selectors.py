import datetime as dt

from django.db.models import Q, QuerySet

from core.periods import month_last_day
from reports.models import Report, ReportValue
from targets.binding import target_in_force, targets_for_unit
from targets.models import Indicator
from units.models import Membership, Unit
from units.selectors import unit_ancestor_paths


def _membership_paths(user, roles) -> list[str]:
    return list(Membership.objects.filter(user=user, role__in=roles).values_list("unit__path", flat=True))


def reports_visible_to(*, user) -> QuerySet[Report]:
    """Reports of the units the user enters (clerk) or whose subtree they review or view; staff see all."""
    queryset = Report.objects.select_related("unit")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    clerk_units = Membership.objects.filter(user=user, role=Membership.Role.CLERK).values("unit_id")
    condition = Q(unit_id__in=clerk_units)
    for path in _membership_paths(user, [Membership.Role.REVIEWER, Membership.Role.VIEWER]):
        condition |= Q(unit__path__startswith=path)
    return queryset.filter(condition)


def units_enterable_by(*, user) -> QuerySet[Unit]:
    return Unit.objects.filter(memberships__user=user, memberships__role=Membership.Role.CLERK).distinct()


def user_can_enter(*, user, unit: Unit) -> bool:
    return Membership.objects.filter(user=user, unit=unit, role=Membership.Role.CLERK).exists()


def user_can_review(*, user, unit: Unit) -> bool:
    """A reviewer acts on every unit of their unit's subtree."""
    return Membership.objects.filter(
        user=user, role=Membership.Role.REVIEWER, unit__path__in=unit_ancestor_paths(unit)
    ).exists()


def review_queue(*, user) -> QuerySet[Report]:
    """Submitted reports in the subtrees the user reviews, oldest submission first."""
    paths = _membership_paths(user, [Membership.Role.REVIEWER])
    if not paths:
        return Report.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return (Report.objects.filter(condition, status=Report.Status.SUBMITTED)
            .select_related("unit").order_by("submitted_at", "id"))


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
