"""Compliance listens to the monthly round: a unit's approved figures changed, so its results and its ancestors'
totals are brought up to date as soon as the change commits."""

from compliance.models import ComplianceRun
from compliance.services import compliance_change_record, compliance_request


def apply_change_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so the change is never lost; applied
    # in place after commit, or, where it cannot be, by a full recomputation of the month (coalesced: at most one
    # waits in the queue).
    compliance_change_record(period=report.period, unit_id=report.unit_id)


def recompute_plan_months_after_commit(sender, *, target, **kwargs) -> None:
    """A target's values per unit changed: every month computed so far within its plan's years is recomputed."""
    plan = target.plan
    months = ComplianceRun.objects.filter(is_current=True, period__year__gte=plan.year_start,
                                          period__year__lte=plan.year_end).values_list("period", flat=True)
    for period in months:
        compliance_request(period=period)
