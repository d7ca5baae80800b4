"""Which targets bind which unit, and which of a plan's stages is in force: the one definition.

A target binds the units its scope counts (`unit_bound`): under its scope unit (the issuer unless the plan names
another), every unit, those of the kinds named, the named units' subtrees, or the scope unit alone; and when the
scope unit alone reports, only the scope unit. Its totals are judged at every level from the scope unit down
(the compliance computation walks up from the bound units). Of several plans binding a unit for one indicator the
nearest wins (`rank`: the deeper scope unit, then the deeper issuer); of that plan, each series of stages has one
stage in force (`targets_in_force`), and two series are both judged.

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

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from core.periods import month_last_day
from plans.models import Plan
from targets.models import Comparator, Counts, Judged, Reporters, Target, TargetUnitValue
from units.models import Unit
from units.selectors import unit_ancestor_paths, unit_open_in_month


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


def scope_path(target: Target) -> str:
    """The path of the unit whose figures the target measures (the issuer unless the plan names another)."""
    return target.scope_unit.path if target.scope_unit_id else target.plan.issuer.path


def _binds(target: Target, *, path: str, kind: str, named: set[str], ancestors: set[str]) -> bool:
    """The rule for one target, read off its fields (see `unit_bound`)."""
    return unit_bound(scope=scope_path(target), counts=target.counts, reporters=target.reporters,
                      kinds=target.applies_to_kinds, named=named, path=path, kind=kind, ancestors=ancestors)


def unit_bound(*, scope: str, counts: str, reporters: str, kinds: list[str], named: set[str], path: str, kind: str,
               ancestors: set[str]) -> bool:
    """Whether a unit reports for a target and is counted by it: the rule on plain values (the loader checks with it).

    The unit must be the scope unit or under it. When the scope unit alone counts, or alone reports for all it
    counts, only the scope unit is bound. Otherwise the units that count: every one, those of the kinds named, or
    the named units and their subtrees (narrowed to the kinds, when kinds are named too).
    """
    if not path.startswith(scope):
        return False
    if counts == Counts.SELF or reporters == Reporters.SCOPE:
        return path == scope
    if kinds and kind not in kinds:
        return False
    if counts == Counts.NAMED:
        return bool(named & ancestors)
    return True


def target_binds_in(target: Target, period: dt.date) -> bool:
    """A retired target binds until the month before `retired_from`; the months before stay judged against it."""
    return target.retired_from is None or period.replace(day=1) < target.retired_from.replace(day=1)


def _in_force_queryset(queryset: QuerySet[Target]) -> QuerySet[Target]:
    """Targets that may bind: those of issued plans (a draft binds no one), and not one that gave way to another
    when its conflict was resolved."""
    return queryset.issued().filter(superseded_by__isnull=True).select_related(
        "plan__issuer", "scope_unit", "indicator__group").prefetch_related("applies_to_units")


def targets_for_unit(*, unit: Unit, period: dt.date, queryset: QuerySet[Target] | None = None) -> list[Target]:
    """Every target that binds the unit in the month starting `period`: those whose scope unit is it or above it.

    The query narrows to targets scoped at or above the unit (a few dozen); the rule then decides, with the named
    units prefetched. (Filtering the named units in SQL needs an outer join and DISTINCT, which PostgreSQL plans
    badly while its statistics are stale.)
    """
    paths = unit_ancestor_paths(unit)
    queryset = (queryset if queryset is not None else Target.objects.all()).filter(
        Q(scope_unit__path__in=paths) | Q(scope_unit__isnull=True, plan__issuer__path__in=paths))
    # The value a target sets for the unit or the nearest unit above it, read in the same query (`target_values_for`).
    nearest = TargetUnitValue.objects.filter(target=OuterRef("pk"), unit__path__in=paths).order_by("-unit__depth")
    queryset = queryset.annotate(unit_value=Subquery(nearest.values("value")[:1]),
                                 unit_value_max=Subquery(nearest.values("value_max")[:1]),
                                 unit_value_for=Subquery(nearest.values("unit__name")[:1]))
    targets = list(_in_force_queryset(queryset))
    for target in targets:
        target.unit_value_path = unit.path
    lifetimes = plan_lifetimes(_plan_dates(Plan.objects.issued().filter(
        issuer_id__in={t.plan.issuer_id for t in targets})))
    ancestors = set(paths)
    return [target for target in targets
            if lifetimes[target.plan_id].covers(period) and target_binds_in(target, period)
            and _binds(target, path=unit.path, kind=unit.kind, named={u.path for u in target.applies_to_units.all()},
                       ancestors=ancestors)]


class Bindings:
    """The same rule for every unit of the tree at once, worked out once per distinct position in the tree."""

    def __init__(self):
        self.by_scope: dict[str, list[Target]] = defaultdict(list)
        self.named: dict[int, set[str]] = {}
        for target in _in_force_queryset(Target.objects.all()):
            self.by_scope[scope_path(target)].append(target)
            self.named[target.pk] = {unit.path for unit in target.applies_to_units.all()}
        self.lifetimes = plan_lifetimes(_plan_dates(Plan.objects.issued()))
        self.relevant = set(self.by_scope) | {path for paths in self.named.values() for path in paths}
        self.cache: dict[tuple, dict[int, list[Target]]] = {}
        self.unit_values = unit_values_load()

    def overrides(self, path: str, targets: list[Target]) -> dict[int, tuple["UnitValue", ...]]:
        """Target id → the values it sets for the unit at `path` and the units above it, nearest first (see
        `unit_value_chain`); empty when none of the targets sets a value for a unit."""
        if not self.unit_values:
            return {}
        chains = {}
        for target in targets:
            chain = unit_value_chain(self.unit_values.get(target.pk), path)
            if chain:
                chains[target.pk] = chain
        return chains

    def for_unit(self, unit, period: dt.date) -> dict[int, list[Target]]:
        """Indicator id → the targets binding a unit (anything with `path` and `kind`) in the month of `period`."""
        step = Unit.steplen
        ancestors = [p for p in (unit.path[:end] for end in range(step, len(unit.path) + 1, step))
                     if p in self.relevant]
        month = period.replace(day=1)
        # Units sharing the relevant ancestors, their kind, and whether they are themselves a scope, bind alike.
        key = (tuple(ancestors), bool(ancestors) and ancestors[-1] == unit.path, unit.kind, month)
        if key not in self.cache:
            bound: dict[int, list[Target]] = defaultdict(list)
            own = set(ancestors)
            for path in ancestors:
                for target in self.by_scope.get(path, ()):
                    if self.lifetimes[target.plan_id].covers(month) and target_binds_in(target, month) and _binds(
                            target, path=unit.path, kind=unit.kind, named=self.named[target.pk], ancestors=own):
                        bound[target.indicator_id].append(target)
            self.cache[key] = dict(bound)
        return self.cache[key]


def rank(target: Target) -> tuple[int, int]:
    """How near a target's plan is to the units it binds: the deeper scope unit, then the deeper issuer, wins."""
    scope_depth = target.scope_unit.depth if target.scope_unit_id else target.plan.issuer.depth
    return scope_depth, target.plan.issuer.depth


def series_key(target: Target) -> tuple[int, str]:
    """The series a target belongs to: its plan's series of that name, or a series of its own."""
    return target.plan_id, target.series or f"#{target.pk}"


@dataclass(frozen=True, slots=True)
class UnitValue:
    """A value a target sets for one named unit (and the units under it) in place of its own."""

    path: str
    value: Decimal
    value_max: Decimal | None


def unit_values_load(target_ids: Iterable[int] | None = None) -> dict[int, dict[str, UnitValue]]:
    """Target id → {unit path → the value it sets there}: every target's, or those of the targets named."""
    rows = TargetUnitValue.objects.all()
    if target_ids is not None:
        rows = rows.filter(target_id__in=list(target_ids))
    values: dict[int, dict[str, UnitValue]] = defaultdict(dict)
    for target_id, path, value, value_max in rows.values_list("target_id", "unit__path", "value", "value_max"):
        values[target_id][path] = UnitValue(path, value, value_max)
    return dict(values)


def unit_value_chain(values: dict[str, UnitValue] | None, path: str) -> tuple[UnitValue, ...]:
    """The values set for the unit at `path` or a unit above it, nearest first: the nearest named unit wins for the
    unit, and each one above it holds for the totals between it and the next."""
    if not values:
        return ()
    step = Unit.steplen
    return tuple(values[p] for p in (path[:end] for end in range(len(path), 0, -step)) if p in values)


@dataclass(frozen=True, slots=True)
class TargetValue:
    """What a target asks of one unit: its own value, or the value it sets for the unit or a unit above it."""

    label: str
    value: Decimal | None
    value_max: Decimal | None
    set_for: str = ""  # the name of the unit whose value holds, when not the target's own

    @property
    def said(self) -> str:
        """The label, naming the unit whose value it is when it is not the target's own (the plan's text shows the
        other): "≥ 90% (giá trị riêng cho Xã A)"."""
        if not self.set_for:
            return self.label
        return _("%(value)s (value set for %(unit)s)") % {"value": self.label, "unit": self.set_for}


def _value_label(target: Target, value: UnitValue) -> str:
    """The target's label with the unit's value in place of its own (the comparator is the target's)."""
    shown = Target(comparator=target.comparator, value=value.value, value_max=value.value_max)
    return shown.value_label


def target_values_for(*, unit: Unit, targets: Iterable[Target]) -> dict[int, TargetValue]:
    """Target id → what it asks of the unit (the form and the review page print it): read off the targets when
    `targets_for_unit` read them for this unit, otherwise in one or two queries."""
    targets = [t for t in targets if t is not None]
    if all(getattr(t, "unit_value_path", None) == unit.path for t in targets):
        return {t.pk: _annotated_value(t) for t in targets}
    values = unit_values_load(t.pk for t in targets) if targets else {}
    names = dict(Unit.objects.filter(path__in=unit_ancestor_paths(unit)).values_list("path", "name")) if values \
        else {}
    result = {}
    for target in targets:
        chain = unit_value_chain(values.get(target.pk), unit.path)
        if chain and target.comparator != Comparator.DONE:
            result[target.pk] = TargetValue(_value_label(target, chain[0]), chain[0].value, chain[0].value_max,
                                            names.get(chain[0].path, ""))
        else:
            result[target.pk] = TargetValue(target.value_label, target.value, target.value_max)
    return result


def _annotated_value(target: Target) -> TargetValue:
    if target.unit_value is None or target.comparator == Comparator.DONE:
        return TargetValue(target.value_label, target.value, target.value_max)
    value = UnitValue("", target.unit_value, target.unit_value_max)
    return TargetValue(_value_label(target, value), value.value, value.value_max, target.unit_value_for)


def target_value_for(*, target: Target, unit: Unit) -> TargetValue:
    """What one target asks of the unit: see `target_values_for`."""
    return target_values_for(unit=unit, targets=[target])[target.pk]


@dataclass(frozen=True)
class Stage:
    """A target in force: its comparator and value(s), deadline, where its straight path starts, and its scope."""

    target_id: int
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    due_on: dt.date
    starts_on: dt.date
    previous_value: Decimal | None  # the stage before it in its series
    judged_each: bool = True  # judged on each unit's own figures too, not only on the totals
    scope: str = ""  # the scope unit's path: totals are judged from it down
    rank: tuple[int, int] = (0, 0)
    valued_at: str = ""  # the path of the named unit whose value this stage carries, in place of the target's
    base: "Stage | None" = None  # with `valued_at`: the stage that holds above that unit


def _valued(stage: Stage, chain: tuple[UnitValue, ...], previous_chain: tuple[UnitValue, ...]) -> Stage:
    """The stage with the values set for named units, nearest last, each keeping the one above it as its base."""
    for value in reversed(chain):
        before = next((v.value for v in previous_chain if value.path.startswith(v.path)), stage.previous_value)
        stage = Stage(stage.target_id, stage.comparator, value.value, value.value_max, stage.due_on, stage.starts_on,
                      before, stage.judged_each, stage.scope, stage.rank, value.path, stage)
    return stage


def _nearest_series(targets: list) -> list[list]:
    """The nearest plan's targets, grouped into series, each series by deadline; series in order of their first."""
    nearest = max(rank(t) for t in targets)
    series: dict[tuple, list] = defaultdict(list)
    for target in sorted(targets, key=lambda t: (t.due_on, t.position)):
        if rank(target) == nearest:
            series[series_key(target)].append(target)
    return sorted(series.values(), key=lambda stages: (stages[0].due_on, stages[0].position))


def _stage_index(stages: list, month_end: dt.date) -> int:
    """Of a series' stages, the first still due at the month's end; past them all, the last."""
    return next((i for i, t in enumerate(stages) if t.due_on >= month_end), len(stages) - 1)


def targets_in_force(targets: list, month_end: dt.date) -> list:
    """Of the targets binding a unit for one indicator: the nearest plan's, and of each series the stage in force.

    Two series of one plan (targets that are not stages of one another) are both in force and both judged.
    """
    if not targets:
        return []
    return [stages[_stage_index(stages, month_end)] for stages in _nearest_series(targets)]


def target_in_force(targets: list, month_end: dt.date):
    """The first of the targets in force (the series due first), or None."""
    held = targets_in_force(targets, month_end)
    return held[0] if held else None


def stages_in_force(targets: list, month_end: dt.date,
                    overrides: dict[int, tuple[UnitValue, ...]] | None = None) -> tuple[Stage, ...]:
    """The stages in force, one per series, each with where its straight path starts: the end of the stage before
    it in its series, or the plan's start. `overrides` (`Bindings.overrides` for one unit) puts the values a target
    sets for the unit or a unit above it in place of its own; the stage keeps the target's own as its `base`."""
    if not targets:
        return ()
    result = []
    for stages in _nearest_series(targets):
        index = _stage_index(stages, month_end)
        target = stages[index]
        previous = stages[index - 1] if index > 0 else None
        starts_on = previous.due_on + dt.timedelta(days=1) if previous else dt.date(target.plan.year_start, 1, 1)
        stage = Stage(target.pk, target.comparator, target.value, target.value_max, target.due_on,
                      min(starts_on, target.due_on), previous.value if previous else None,
                      target.judged == Judged.EACH, scope_path(target), rank(target))
        if overrides and target.pk in overrides and target.comparator != Comparator.DONE:
            stage = _valued(stage, overrides[target.pk], overrides.get(previous.pk, ()) if previous else ())
        result.append(stage)
    return tuple(result)


def not_in_force_reason(target: Target, held: list[Target]) -> str:
    """Why a target binding a unit does not hold this month, read back from the rule above."""
    if not held:
        return _("Not in force")
    if rank(target) < rank(held[0]):
        return _("Not in force: the nearer plan %(plan)s holds") % {"plan": held[0].plan.short_label}
    same = next((h for h in held if series_key(h) == series_key(target)), None)
    if same is None:
        return _("Not in force")
    if target.due_on > same.due_on:
        return _("Later stage")
    if target.due_on < same.due_on:
        return _("Earlier stage, its deadline has passed")
    return _("Not in force: same deadline, an earlier clause of the plan holds")


def units_bound_by_target(*, period: dt.date) -> dict[int, list[Unit]]:
    """Target id → the open units it binds in the month of `period`, by the tree's rule: what the engine expects."""
    bindings = Bindings()
    month_end = month_last_day(period.year, period.month)
    bound: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.order_by("path"):
        if not unit_open_in_month(opened_on=unit.opened_on, closed_on=unit.closed_on, month_end=month_end):
            continue
        for targets in bindings.for_unit(unit, period).values():
            for target in targets:
                bound[target.pk].append(unit)
    return bound
