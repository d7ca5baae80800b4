from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr

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
