import datetime as dt

from django.db.models import QuerySet

from compliance.models import ComplianceResult, ReportingResult
from units.selectors import units_visible_to


def results_visible_to(*, user, period: dt.date) -> QuerySet[ComplianceResult]:
    """The current results of a month for the units the user may see."""
    return (ComplianceResult.objects.filter(run__period=period, run__is_current=True,
                                            unit__in=units_visible_to(user=user))
            .select_related("unit", "indicator"))


def reporting_visible_to(*, user, period: dt.date) -> QuerySet[ReportingResult]:
    return (ReportingResult.objects.filter(run__period=period, run__is_current=True,
                                           unit__in=units_visible_to(user=user)).select_related("unit"))
