from django.db.models import Q, QuerySet

from plans.models import Plan, PlanTask
from units.models import Membership
from units.selectors import unit_ancestor_paths


def plan_list(*, user) -> QuerySet[Plan]:
    """Plans the user may read: those issued within their units' subtrees and those above them."""
    queryset = Plan.objects.select_related("issuer", "parent")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    units = [m.unit for m in Membership.objects.filter(user=user).select_related("unit")]
    if not units:
        return queryset.none()
    condition = Q()
    for unit in units:
        condition |= Q(issuer__path__startswith=unit.path) | Q(issuer__path__in=unit_ancestor_paths(unit))
    return queryset.filter(condition)


def plan_task_list(*, user) -> QuerySet[PlanTask]:
    return (
        PlanTask.objects.filter(plan__in=plan_list(user=user))
        .select_related("plan", "lead_unit")
        .prefetch_related("cooperating_units")
    )
