"""Compliance listens to the layers below: approved figures changed, or a plan was issued or amended, so the months
concerned are recomputed after commit."""

from compliance.models import ComplianceRun
from compliance.services import compliance_request


def recompute_month_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so a broker outage delays the
    # recomputation but never loses it; while one computation of the month waits in the queue, no other is queued.
    compliance_request(period=report.period)


def recompute_plan_months_after_commit(sender, *, plan, **kwargs) -> None:
    # The months of the plan's years the dashboard already shows (a current run): the units they bind may differ.
    # A month never computed is computed when someone asks for it, with the plan as it then is.
    periods = ComplianceRun.objects.filter(
        is_current=True, period__year__gte=plan.year_start, period__year__lte=plan.year_end,
    ).order_by("period").values_list("period", flat=True)
    for period in periods:
        compliance_request(period=period)
