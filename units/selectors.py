import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr

from core.periods import month_last_day
from units.models import Unit

NATIONAL_ROOT_CODE = "TW"


def unit_ancestor_paths(unit: Unit, *, include_self: bool = True) -> list[str]:
    """Materialized paths of the unit's ancestors, root first: no query needed."""
    step = Unit.steplen
    stop = len(unit.path) if include_self else len(unit.path) - step
    return [unit.path[:end] for end in range(step, stop + 1, step)]


def unit_subtree(*, unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(path__startswith=unit.path)
    if not include_self:
        queryset = queryset.exclude(pk=unit.pk)
    return queryset


def unit_annotate_parent_code(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Each unit's parent code in the same query (the parent's path is the unit's path less one step)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)
    return queryset.annotate(
        parent_code=Subquery(Unit.objects.filter(path=parent_path).values("code")[:1])
    )


# Whether a unit is expected for a month: open by the month's last day and not closed before it. A unit closed on
# the last day (30/06/2025, the eve of the reorganisation) served the whole month and reports it; one closed on
# 10/06 did not, and June is not asked of it. One rule for the engine, the workbook and the tests.

def unit_open_in_month(*, opened_on: dt.date | None, closed_on: dt.date | None, month_end: dt.date) -> bool:
    """The rule on plain dates (the engine reads them as tuples); `month_end` is the month's last day."""
    return (opened_on is None or opened_on <= month_end) and (closed_on is None or closed_on >= month_end)


def units_open_filter(*, first_month: dt.date, last_month: dt.date) -> Q:
    """Units expected for at least one month from `first_month` to `last_month` (first days of months)."""
    first_end = month_last_day(first_month.year, first_month.month)
    last_end = month_last_day(last_month.year, last_month.month)
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=last_end)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=first_end))
