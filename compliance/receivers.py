"""Compliance listens to the monthly round: approved figures changed, so the month is recomputed after commit."""

from compliance.models import ComplianceRun
from compliance.services import compliance_request


def recompute_month_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so a broker outage delays the
    # recomputation but never loses it; while one computation of the month waits in the queue, no other is queued.
    compliance_request(period=report.period)


def recompute_plan_months_after_commit(sender, *, target, **kwargs) -> None:
    """A target's values per unit changed: every month computed so far within its plan's years is recomputed."""
    plan = target.plan
    months = ComplianceRun.objects.filter(is_current=True, period__year__gte=plan.year_start,
                                          period__year__lte=plan.year_end).values_list("period", flat=True)
    for period in months:
        compliance_request(period=period)
