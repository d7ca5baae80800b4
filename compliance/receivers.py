"""Compliance listens to the layers below: a unit's approved figures changed, so its results and its ancestors'
totals are brought up to date as soon as the change commits; a plan was issued or amended, or a target's values
per unit changed, so the months concerned are recomputed after commit."""

from compliance.models import ComplianceRun
from compliance.services import compliance_change_record, compliance_request
from plans.models import Plan


def apply_change_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so the change is never lost; applied
    # in place after commit, or, where it cannot be, by a full recomputation of the month (coalesced: at most one
    # waits in the queue).
    compliance_change_record(period=report.period, unit_id=report.unit_id)


def _plan_months_request(plan: Plan, years: tuple[int, int] | None = None) -> None:
    # The months of the plan's years the dashboard already shows (a current run); a month never computed is
    # computed when someone asks for it, with the plan as it then is. An amendment that changed the years names
    # the first and last year before and after it, so a month the plan no longer covers is recomputed too.
    first, last = years or (plan.year_start, plan.year_end)
    months = ComplianceRun.objects.filter(is_current=True, period__year__gte=first,
                                          period__year__lte=last).order_by("period")
    for period in months.values_list("period", flat=True):
        compliance_request(period=period)


def recompute_plan_months_after_commit(sender, *, target, **kwargs) -> None:
    """A target's values per unit changed: every month computed so far within its plan's years is recomputed."""
    _plan_months_request(target.plan)


def recompute_issued_plan_months_after_commit(sender, *, plan, years=None, **kwargs) -> None:
    """A plan was issued or amended: the units it binds may have changed in every month of its years."""
    _plan_months_request(plan, years)
