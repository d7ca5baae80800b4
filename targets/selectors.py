from django.db.models import QuerySet

from plans.selectors import plan_list
from targets.models import Indicator, Target


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("group")


def target_list(*, user) -> QuerySet[Target]:
    return (
        Target.objects.filter(plan__in=plan_list(user=user))
        .select_related("plan__issuer", "indicator", "indicator__group", "scope_unit", "responsible_unit")
        .prefetch_related("applies_to_units")
    )
