"""Cascade checks: where a child plan asks less of an indicator than the plan it implements, or later. One rule.

A child target is set beside the parent plan's targets on the same indicator: the one it was adopted from
(`parent_target`, with the stages of its series), or else those whose scope covers the child's scope unit (or the
units of the kinds it counts; `targets.binding.unit_bound`). Of each parent series, the stage in force at the
child's deadline holds (`targets.binding.targets_in_force`), with the value the parent sets for the child's scope
unit when it sets one (`TargetUnitValue`). The child target is

- *weaker* when its value asks less: a lower floor (at least, range), a higher ceiling (at most), a smaller
  reduction (reduce by), or a shape that cannot be compared (a percentage against "done", a floor against a
  ceiling);
- *later* when its deadline falls after the parent's last stage and no earlier stage of its own series already
  asks as much by then.

Drafts are checked too (the drafting pages show the flags before a plan is issued); retired and superseded targets
are not.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.formatting import date_format
from plans.models import Plan
from targets.binding import UnitValue, scope_path, series_key, targets_in_force, unit_bound, unit_values_load
from targets.models import Comparator, Target
from units.models import Unit

WEAKER = "weaker"
LATER = "later"


@dataclass(frozen=True, slots=True)
class CascadeFlag:
    """One child target against the parent's stage it falls short of, in words."""

    child_target: Target
    parent_target: Target
    kind: str  # WEAKER or LATER
    words: str


@dataclass(frozen=True, slots=True)
class Asked:
    """What a target asks, for the comparison: its comparator and value(s), with a parent's unit value in place."""

    comparator: str
    value: Decimal | None
    value_max: Decimal | None

    @property
    def label(self) -> str:
        return Target(comparator=self.comparator, value=self.value, value_max=self.value_max).value_label


def _asked(target: Target, value: UnitValue | None = None) -> Asked:
    if value is not None and target.comparator != Comparator.DONE:
        return Asked(target.comparator, value.value, value.value_max)
    return Asked(target.comparator, target.value, target.value_max)


FLOORS = (Comparator.AT_LEAST, Comparator.RANGE)


def comparable(child: Asked, parent: Asked) -> bool:
    """Whether the two can be set side by side: floors with floors, and otherwise the same comparator."""
    if parent.comparator in FLOORS:
        return child.comparator in FLOORS
    return child.comparator == parent.comparator


def asks_less(child: Asked, parent: Asked) -> bool:
    """Whether the child asks less than the parent (two comparable targets; "done" against "done" never does)."""
    if parent.comparator in FLOORS or parent.comparator == Comparator.REDUCE_BY:
        return child.value < parent.value
    if parent.comparator == Comparator.AT_MOST:
        return child.value > parent.value
    return False


def _weaker_words(child: Target, asked: Asked, parent: Target, parent_asked: Asked) -> str:
    words = {"value": asked.label, "due": date_format(child.due_on), "parent": parent_asked.label,
             "plan": parent.plan.short_label}
    if not comparable(asked, parent_asked):
        return _("Not comparable with the parent plan: %(value)s by %(due)s, the parent asks %(parent)s "
                 "(%(plan)s)") % words
    if parent_asked.comparator == Comparator.AT_MOST:
        return _("Higher than the parent plan allows: %(value)s by %(due)s, the parent asks %(parent)s "
                 "(%(plan)s)") % words
    if parent_asked.comparator == Comparator.REDUCE_BY:
        return _("A smaller reduction than the parent plan: %(value)s by %(due)s, the parent asks %(parent)s "
                 "(%(plan)s)") % words
    return _("Lower than the parent plan: %(value)s by %(due)s, the parent asks %(parent)s (%(plan)s)") % words


def _later_words(child: Target, asked: Asked, parent: Target, parent_asked: Asked) -> str:
    return _("Later than the parent plan: %(value)s by %(due)s, the parent asks %(parent)s by %(parent_due)s "
             "(%(plan)s)") % {"value": asked.label, "due": date_format(child.due_on),
                              "parent": parent_asked.label,
                              "parent_due": date_format(parent.due_on),
                              "plan": parent.plan.short_label}


def _ancestors(path: str) -> set[str]:
    return {path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)}


def covers(parent: Target, child: Target, named: set[str]) -> bool:
    """Whether the parent target binds the child's scope unit, or the units of the kinds the child counts."""
    scope = child.scope
    kinds = [scope.kind, *child.applies_to_kinds]
    ancestors = _ancestors(scope.path)
    return any(unit_bound(scope=scope_path(parent), counts=parent.counts, reporters=parent.reporters,
                          kinds=parent.applies_to_kinds, named=named, path=scope.path, kind=kind,
                          ancestors=ancestors) for kind in kinds)


@dataclass
class _World:
    """The parents' targets by plan and indicator, their named units and the values they set for units."""

    by_plan: dict[tuple[int, int], list[Target]]
    named: dict[int, set[str]]
    values: dict[int, dict[str, UnitValue]]

    def parents(self, child: Target) -> list[Target]:
        candidates = self.by_plan.get((child.plan.parent_id, child.indicator_id), [])
        if child.parent_target_id:
            adopted = next((t for t in candidates if t.pk == child.parent_target_id), None)
            return [t for t in candidates if adopted and series_key(t) == series_key(adopted)]
        return [t for t in candidates if covers(t, child, self.named.get(t.pk, set()))]

    def value_for(self, parent: Target, child: Target) -> UnitValue | None:
        """The value the parent sets for the child's scope unit or the nearest unit above it, if any."""
        values = self.values.get(parent.pk)
        if not values:
            return None
        path = scope_path(child)
        return next((values[p] for p in sorted(_ancestors(path), key=len, reverse=True) if p in values), None)


def _targets(plans: Iterable[int]) -> QuerySet[Target]:
    return (Target.objects.filter(plan_id__in=list(plans), superseded_by__isnull=True, retired_from__isnull=True)
            .select_related("plan__issuer", "scope_unit", "indicator").prefetch_related("applies_to_units")
            .order_by("plan_id", "due_on", "position"))


def _series(targets: list[Target]) -> dict[tuple, list[Target]]:
    series: dict[tuple, list[Target]] = defaultdict(list)
    for target in targets:
        series[series_key(target)].append(target)
    return series


def _check(child: Target, earlier: list[Target], world: _World) -> list[CascadeFlag]:
    """The flags of one child target (a stage), `earlier` the stages of its series due before it."""
    parents = world.parents(child)
    if not parents:
        return []
    flags = []
    asked = _asked(child)
    for parent in targets_in_force(parents, child.due_on):
        parent_asked = _asked(parent, world.value_for(parent, child))
        if not comparable(asked, parent_asked) or asks_less(asked, parent_asked):
            flags.append(CascadeFlag(child, parent, WEAKER, _weaker_words(child, asked, parent, parent_asked)))
        elif child.due_on > parent.due_on and not any(
                t.due_on <= parent.due_on and comparable(_asked(t), parent_asked)
                and not asks_less(_asked(t), parent_asked) for t in earlier):
            flags.append(CascadeFlag(child, parent, LATER, _later_words(child, asked, parent, parent_asked)))
    return flags


def cascade_flags(*, children: Iterable[Plan]) -> list[CascadeFlag]:
    """Every flag of the child plans' targets against their parent plans', in plan and target order.

    Reads the targets of both generations in one query (and their named units in a second), the values the parents
    set for units in a third.
    """
    children = [plan for plan in children if plan.parent_id]
    if not children:
        return []
    child_ids = {plan.pk for plan in children}
    targets = list(_targets(child_ids | {plan.parent_id for plan in children}))
    by_plan: dict[tuple[int, int], list[Target]] = defaultdict(list)
    for target in targets:
        by_plan[(target.plan_id, target.indicator_id)].append(target)
    parent_ids = {t.pk for t in targets if t.plan_id not in child_ids}
    world = _World(by_plan, {t.pk: {u.path for u in t.applies_to_units.all()} for t in targets},
                   unit_values_load(parent_ids) if parent_ids else {})
    flags = []
    for stages in _series([t for t in targets if t.plan_id in child_ids]).values():
        for index, child in enumerate(stages):
            flags.extend(_check(child, stages[:index], world))
    return sorted(flags, key=lambda f: (f.child_target.plan_id, f.child_target.position, f.parent_target.position))


def plan_cascade_flags(*, plan: Plan, children: Iterable[Plan] = ()) -> list[CascadeFlag]:
    """The flags where the plan is the child (against its parent) and where it is the parent (`children`: the
    plans implementing it the reader may see)."""
    return cascade_flags(children=[plan, *children])


def unit_cascade_flags(*, unit: Unit) -> list[CascadeFlag]:
    """For the dashboard of a unit: the flags of the issued plans within its subtree against the plans they
    implement (the unit's own plans included, as child and as parent)."""
    children = Plan.objects.issued().filter(issuer__path__startswith=unit.path, parent__isnull=False)
    return cascade_flags(children=children)
