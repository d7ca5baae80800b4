from django.db.models import Q, QuerySet

from plans.models import Plan, PlanTask
from units.models import Unit
from units.selectors import membership_paths


def plan_list(*, user) -> QuerySet[Plan]:
    """Plans the user may read: those issued within their units' subtrees and those above them."""
    queryset = Plan.objects.select_related("issuer", "parent")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    paths = membership_paths(user=user)
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        above = [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]
        condition |= Q(issuer__path__startswith=path) | Q(issuer__path__in=above)
    return queryset.filter(condition)


def plan_task_list(*, user) -> QuerySet[PlanTask]:
    return (
        PlanTask.objects.filter(plan__in=plan_list(user=user))
        .select_related("plan", "lead_unit")
        .prefetch_related("cooperating_units")
    )
