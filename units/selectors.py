from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr

from units.models import Membership, Unit

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


def membership_paths(*, user) -> list[str]:
    """The paths of the user's units, read once per request (kept on the request's user object)."""
    paths = getattr(user, "_membership_paths", None)
    if paths is None:
        paths = list(Membership.objects.filter(user=user).values_list("unit__path", flat=True))
        user._membership_paths = paths
    return paths


def units_visible_to(*, user) -> QuerySet[Unit]:
    """Every unit the user may read: staff see all; others the subtrees of their memberships."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_staff:
        return Unit.objects.all()
    paths = membership_paths(user=user)
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def unit_annotate_parent_code(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Each unit's parent code in the same query (the parent's path is the unit's path less one step)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)
    return queryset.annotate(
        parent_code=Subquery(Unit.objects.filter(path=parent_path).values("code")[:1])
    )
