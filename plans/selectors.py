import calendar
import datetime as dt

from django.db.models import Q, QuerySet

from plans.models import Plan, PlanStatus, PlanTask
from units.access import membership_paths, sees_all
from units.models import Unit
from units.selectors import unit_ancestor_paths

DEFAULT_DUE_DAY = 20


def plan_list(*, user) -> QuerySet[Plan]:
    """Plans the user may read: those issued within their units' subtrees and those above them, and the drafts
    they write (a draft is seen by its authors alone, staff included)."""
    queryset = Plan.objects.select_related("issuer", "parent")
    if not user.is_authenticated:
        return queryset.none()
    authored = Q(pk__in=Plan.authors.through.objects.filter(user_id=user.pk).values("plan_id"))
    if sees_all(user):
        return queryset.filter(Q(status=PlanStatus.ISSUED) | authored)
    paths = membership_paths(user=user)
    condition = Q(pk__in=[])
    for path in paths:
        above = [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]
        condition |= Q(issuer__path__startswith=path) | Q(issuer__path__in=above)
    return queryset.filter((condition & Q(status=PlanStatus.ISSUED)) | authored)


def plan_task_list(*, user) -> QuerySet[PlanTask]:
    """Tasks of issued plans the user may read: a draft's tasks are no one's work yet."""
    return (
        PlanTask.objects.filter(plan__in=plan_list(user=user), plan__status=PlanStatus.ISSUED)
        .select_related("plan", "lead_unit")
        .prefetch_related("cooperating_units")
    )


def report_due_days() -> dict[str, int]:
    """Issuer path → the report due day of the plans it issued (a later plan of the same issuer decides).

    Only plans with their text loaded set a due day: a plan known by name alone says nothing about reporting.
    """
    rows = (Plan.objects.issued().exclude(source_text="").order_by("issued_on", "pk")
            .values_list("issuer__path", "report_due_day"))
    return dict(rows)


def report_due_date(*, path: str, period: dt.date, days: dict[str, int]) -> dt.date:
    """The due day of the nearest issuer above the unit at `path`, in the month after the period.

    The day is kept within that month (a due day of 31 falls on 28 or 29 February, 30 April).
    """
    ancestors = [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]
    day = next((days[p] for p in reversed(ancestors) if p in days), DEFAULT_DUE_DAY)
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def report_due_on(*, unit: Unit, period: dt.date) -> dt.date:
    """When the unit's report for the month is due: the one rule, for the form, the engine and reminders."""
    paths = unit_ancestor_paths(unit)
    days = dict(Plan.objects.issued().filter(issuer__path__in=paths).exclude(source_text="").order_by("issued_on", "pk")
                .values_list("issuer__path", "report_due_day"))
    return report_due_date(path=unit.path, period=period, days=days)


def month_last_due(*, unit: Unit, today: dt.date) -> dt.date:
    """The latest month whose report from the unit has fallen due by `today` (the first day of that month).

    On 5 November with reports due on the 20th, October is not yet due, so it is September; from 20 November on,
    October. The dashboard opens on it rather than on a month still being reported.
    """
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if report_due_on(unit=unit, period=last_month) <= today:
        return last_month
    return (last_month - dt.timedelta(days=1)).replace(day=1)


OFFICE_PREFIX = "Văn phòng"


def task_accepting_unit(*, task: PlanTask) -> Unit:
    """Who accepts a task's product (rõ thẩm quyền): the unit the plan names, else the issuing committee's office.

    The office is the issuer itself when a Văn phòng issued the plan, else the issuer's advisory agency named
    "Văn phòng …"; an issuer without one accepts its tasks itself.
    """
    if task.accepting_unit_id:
        return task.accepting_unit
    issuer = task.plan.issuer
    if issuer.name.startswith(OFFICE_PREFIX):
        return issuer
    office = (Unit.objects.filter(path__startswith=issuer.path, depth=issuer.depth + 1, kind="agency",
                                  name__startswith=OFFICE_PREFIX).order_by("path").first())
    return office or issuer
