from django.db.models import Q, QuerySet

from plans.selectors import plan_list
from targets.models import Indicator, Target
from units.models import Unit
from units.selectors import unit_ancestor_paths


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("group")


def target_list(*, user) -> QuerySet[Target]:
    return (
        Target.objects.filter(plan__in=plan_list(user=user))
        .select_related("plan", "indicator", "indicator__group")
        .prefetch_related("applies_to_units")
    )


def targets_for_unit(*, unit: Unit, queryset: QuerySet[Target] | None = None) -> list[Target]:
    """Every target that binds the unit: from its own plans and the plans of the units above it.

    One query: the issuer and any named units must be the unit or above it; the kinds (JSON) are checked here.
    """
    paths = unit_ancestor_paths(unit)
    queryset = (queryset if queryset is not None else Target.objects.all()).filter(plan__issuer__path__in=paths)
    queryset = queryset.filter(Q(applies_to_units=None) | Q(applies_to_units__path__in=paths)).distinct()
    queryset = queryset.select_related("plan__issuer", "indicator__group")
    return [target for target in queryset if not target.applies_to_kinds or unit.kind in target.applies_to_kinds]
