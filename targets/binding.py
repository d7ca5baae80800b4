"""Which targets bind which unit, and which of a plan's stages is in force: the one definition.

The monthly form, the import templates, the compliance engine, the workbook and the demo data all read it
from here, so a unit is never asked for a figure it is not judged on, nor judged on one it was not asked for.

A plan binds only during its lifetime (`plan_lifetimes`): the months of its years, and only until a newer plan
of the same issuer replaces it. "Replaces" means: a plan of the same issuer implementing the same parent plan,
issued later. A plan that implements another plan of its own issuer does not replace it (86-KH/TU of the Tỉnh ủy
Đồng Nai implements its 38-KH/TU; both hold), nor does a plan of the same issuer under another parent (a yearly
plan beside a multi-year one). The newer plan takes over from the month it was issued (from January of its first
year when its date is not known, or when that comes later); the older one binds until the month before.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from core.periods import month_last_day
from plans.models import Plan
from targets.models import Target
from units.models import Unit
from units.selectors import unit_ancestor_paths


@dataclass(frozen=True, slots=True)
class Lifetime:
    """The days a plan binds: from `starts_on` to `ends_on`, both included."""

    starts_on: dt.date
    ends_on: dt.date

    def covers(self, period: dt.date) -> bool:
        """Whether the plan binds in the month starting `period` (any day of the month within its lifetime)."""
        return self.starts_on <= month_last_day(period.year, period.month) and period.replace(day=1) <= self.ends_on


@dataclass(frozen=True, slots=True)
class PlanDates:
    """What the lifetime rule reads of a plan."""

    pk: int
    issuer_id: int
    parent_id: int | None
    issued_on: dt.date | None
    year_start: int
    year_end: int


def _takes_over_on(plan: PlanDates) -> dt.date:
    first = dt.date(plan.year_start, 1, 1)
    return max(first, plan.issued_on.replace(day=1)) if plan.issued_on else first


def plan_lifetimes(plans: Iterable[PlanDates]) -> dict[int, Lifetime]:
    """Plan id → its lifetime: its years, cut short where a later plan of the same issuer and parent takes over."""
    plans = list(plans)
    series: dict[tuple[int, int | None], list[PlanDates]] = defaultdict(list)
    for plan in plans:
        series[(plan.issuer_id, plan.parent_id)].append(plan)
    lifetimes = {}
    for members in series.values():
        members.sort(key=lambda p: (_takes_over_on(p), p.pk))
        for index, plan in enumerate(members):
            starts_on = _takes_over_on(plan) if index > 0 else dt.date(plan.year_start, 1, 1)
            ends_on = dt.date(plan.year_end, 12, 31)
            if index + 1 < len(members):
                ends_on = min(ends_on, _takes_over_on(members[index + 1]) - dt.timedelta(days=1))
            lifetimes[plan.pk] = Lifetime(starts_on, ends_on)
    return lifetimes


def _plan_dates(queryset: QuerySet[Plan]) -> list[PlanDates]:
    return [PlanDates(*row) for row in queryset.values_list(
        "pk", "issuer_id", "parent_id", "issued_on", "year_start", "year_end")]


def _binds(target: Target, *, kind: str, named: set[str], ancestors: set[str]) -> bool:
    """The rule itself: the unit is of a kind the target names (if any), and under a unit it names (if any)."""
    return unit_bound(kinds=target.applies_to_kinds, named=named, kind=kind, ancestors=ancestors)


def unit_bound(*, kinds: list[str], named: set[str], kind: str, ancestors: set[str]) -> bool:
    """The rule on plain values, for the seed loader's check before the targets exist: kind, then named units."""
    if kinds and kind not in kinds:
        return False
    return not named or bool(named & ancestors)


def targets_for_unit(*, unit: Unit, period: dt.date, queryset: QuerySet[Target] | None = None) -> list[Target]:
    """Every target that binds the unit in the month starting `period`: from its own plans and those above it.

    The query narrows to plans issued at or above the unit (a few dozen targets); the rule then decides, with the
    named units prefetched. (Filtering the named units in SQL needs an outer join and DISTINCT, which PostgreSQL
    plans badly while its statistics are stale.)
    """
    paths = unit_ancestor_paths(unit)
    lifetimes = plan_lifetimes(_plan_dates(Plan.objects.filter(issuer__path__in=paths)))
    queryset = (queryset if queryset is not None else Target.objects.all()).filter(plan__issuer__path__in=paths)
    queryset = queryset.select_related("plan__issuer", "indicator__group").prefetch_related("applies_to_units")
    ancestors = set(paths)
    return [target for target in queryset
            if lifetimes[target.plan_id].covers(period)
            and _binds(target, kind=unit.kind, named={u.path for u in target.applies_to_units.all()},
                       ancestors=ancestors)]


class Bindings:
    """The same rule for every unit of the tree at once, worked out once per distinct position in the tree."""

    def __init__(self):
        self.by_issuer: dict[str, list[Target]] = defaultdict(list)
        self.named: dict[int, set[str]] = {}
        for target in Target.objects.select_related("plan__issuer", "indicator").prefetch_related(
                "applies_to_units"):
            self.by_issuer[target.plan.issuer.path].append(target)
            self.named[target.pk] = {unit.path for unit in target.applies_to_units.all()}
        self.lifetimes = plan_lifetimes(_plan_dates(Plan.objects.all()))
        self.relevant = set(self.by_issuer) | {path for paths in self.named.values() for path in paths}
        self.cache: dict[tuple, dict[int, list[Target]]] = {}

    def for_unit(self, unit, period: dt.date) -> dict[int, list[Target]]:
        """Indicator id → the targets binding a unit (anything with `path` and `kind`) in the month of `period`."""
        step = Unit.steplen
        ancestors = [p for p in (unit.path[:end] for end in range(step, len(unit.path) + 1, step))
                     if p in self.relevant]
        month = period.replace(day=1)
        key = (tuple(ancestors), unit.kind, month)
        if key not in self.cache:
            bound: dict[int, list[Target]] = defaultdict(list)
            own = set(ancestors)
            for path in ancestors:
                for target in self.by_issuer.get(path, ()):
                    if self.lifetimes[target.plan_id].covers(month) and _binds(
                            target, kind=unit.kind, named=self.named[target.pk], ancestors=own):
                        bound[target.indicator_id].append(target)
            self.cache[key] = dict(bound)
        return self.cache[key]


@dataclass(frozen=True)
class Stage:
    """A target in force: its comparator and value(s), deadline, and where its straight path starts."""

    target_id: int
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    due_on: dt.date
    starts_on: dt.date
    previous_value: Decimal | None  # the stage before it, if the plan stages the target


def _nearest_stages(targets: list, month_end: dt.date) -> tuple[list, int]:
    depth = max(t.plan.issuer.depth for t in targets)
    nearest = sorted((t for t in targets if t.plan.issuer.depth == depth), key=lambda t: (t.due_on, t.position))
    return nearest, next((i for i, t in enumerate(nearest) if t.due_on >= month_end), len(nearest) - 1)


def target_in_force(targets: list, month_end: dt.date):
    """Of the targets binding a unit for one indicator: the nearest plan's, and of its stages the first still due."""
    if not targets:
        return None
    nearest, index = _nearest_stages(targets, month_end)
    return nearest[index]


def stages_in_force(targets: list, month_end: dt.date) -> Stage | None:
    """The target in force, with where its straight path starts: the end of the stage before it, or the plan's start."""
    if not targets:
        return None
    nearest, index = _nearest_stages(targets, month_end)
    target = nearest[index]
    previous = nearest[index - 1] if index > 0 else None
    starts_on = previous.due_on + dt.timedelta(days=1) if previous else dt.date(target.plan.year_start, 1, 1)
    starts_on = min(starts_on, target.due_on)
    return Stage(target.pk, target.comparator, target.value, target.value_max, target.due_on, starts_on,
                 previous.value if previous else None)
