"""Plan coverage: which units below a plan's issuer have issued a plan implementing it, which have only a draft,
which have none. One rule.

The units expected to issue one are the committees one level down that issue plans (`ISSUING_KINDS`: a
province under the centre, a directly subordinate committee, a commune, a ward, a special zone under a province;
never an advisory agency, a department, a cell): the open units of those kinds under the issuer with no other such
unit between them and it. A plan the issuer wrote to implement its own plan (86-KH/TU of the Tỉnh ủy implementing
its 38-KH/TU) is part of the same line: a unit implementing either has implemented the line. A draft counts as not
issued. A plan issued by a unit not expected (a Văn phòng) is listed apart, so nothing is hidden. Only units the
reader may see are listed (`units.access.units_visible_to`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from plans.models import Plan, PlanStatus
from units.access import units_visible_to
from units.models import Unit, UnitKind

ISSUING_KINDS = (UnitKind.PROVINCE, UnitKind.COMMITTEE, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)


@dataclass(frozen=True, slots=True)
class Implementation:
    """A unit and the plan it issued (or drafted) implementing the plan's line."""

    unit: Unit
    plan: Plan


@dataclass(slots=True)
class Coverage:
    """For one plan: the expected units that issued a plan implementing it, those with a draft only, those with none,
    and the units not expected that issued one all the same."""

    plan: Plan
    issued: list[Implementation] = field(default_factory=list)
    drafted: list[Implementation] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    others: list[Implementation] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.issued) + len(self.drafted) + len(self.missing)

    @property
    def not_issued(self) -> int:
        """Drafts count as not issued: they bind no one."""
        return len(self.drafted) + len(self.missing)


def _open_on(day: dt.date) -> Q:
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day))


def _lines(plans: list[Plan]) -> dict[int, int]:
    """Plan id → the plan of the list whose line it belongs to: each plan, and the plans its own issuer wrote to
    implement it (and theirs), read in one query."""
    line = {plan.pk: plan.pk for plan in plans}
    own = list(Plan.objects.filter(issuer_id__in={p.issuer_id for p in plans}).values_list("pk", "parent_id",
                                                                                             "issuer_id"))
    issuers = {plan.pk: plan.issuer_id for plan in plans}
    grown = True
    while grown:
        grown = False
        for pk, parent_id, issuer_id in own:
            if pk not in line and parent_id in line and issuers.get(line[parent_id]) == issuer_id:
                line[pk] = line[parent_id]
                grown = True
    return line


def _expected_units(plan: Plan, visible) -> list[Unit]:
    """The open units of the issuing kinds under the issuer, with no unit of those kinds between it and them."""
    issuer = plan.issuer
    kinds = list(ISSUING_KINDS)
    below = list(Unit.objects.filter(path__startswith=issuer.path, depth__gt=issuer.depth, kind__in=kinds)
                 .filter(_open_on(timezone.localdate())).order_by("path"))
    paths = {unit.path for unit in below}
    step = Unit.steplen
    nearest = [unit for unit in below
               if not any(unit.path[:end] in paths for end in range(len(issuer.path) + step, len(unit.path), step))]
    allowed = set(visible.filter(pk__in=[u.pk for u in nearest]).values_list("pk", flat=True))
    return [unit for unit in nearest if unit.pk in allowed]


def plans_coverage(*, plans: list[Plan], user) -> list[Coverage]:
    """The coverage of each plan (see the module), for what the user may see."""
    if not plans:
        return []
    line = _lines(plans)
    implementing = (Plan.objects.filter(parent_id__in=list(line)).exclude(pk__in=list(line))
                    .select_related("issuer").order_by("issuer__path", "-status", "-issued_on", "pk"))
    visible = units_visible_to(user=user)
    result = []
    by_plan: dict[int, list[Plan]] = {}
    for child in implementing:
        by_plan.setdefault(line[child.parent_id], []).append(child)
    for plan in plans:
        coverage = Coverage(plan)
        expected = _expected_units(plan, visible)
        expected_ids = {unit.pk for unit in expected}
        visible_ids = set(visible.filter(pk__in=[c.issuer_id for c in by_plan.get(plan.pk, [])])
                          .values_list("pk", flat=True))
        # The best each unit has: an issued plan before a draft.
        best: dict[int, Plan] = {}
        for child in by_plan.get(plan.pk, []):
            held = best.get(child.issuer_id)
            if held is None or (held.status != PlanStatus.ISSUED and child.status == PlanStatus.ISSUED):
                best[child.issuer_id] = child
        for unit in expected:
            child = best.get(unit.pk)
            if child is None:
                coverage.missing.append(unit)
            elif child.status == PlanStatus.ISSUED:
                coverage.issued.append(Implementation(unit, child))
            else:
                coverage.drafted.append(Implementation(unit, child))
        coverage.others = [Implementation(child.issuer, child) for issuer_id, child in best.items()
                           if issuer_id not in expected_ids and issuer_id in visible_ids
                           and child.status == PlanStatus.ISSUED]
        result.append(coverage)
    return result


def plan_coverage(*, plan: Plan, user) -> Coverage:
    """The coverage of one plan, for what the user may see."""
    return plans_coverage(plans=[plan], user=user)[0]


def unit_plans_coverage(*, unit: Unit, user) -> list[Coverage]:
    """For the dashboard of a unit: the coverage of the plans it issued, one per line (a plan implementing its own
    plan is folded into that one's line)."""
    plans = list(Plan.objects.issued().filter(issuer=unit).select_related("issuer", "parent").order_by("issued_on",
                                                                                                      "key"))
    roots = [plan for plan in plans if not (plan.parent and plan.parent.issuer_id == unit.pk)]
    return plans_coverage(plans=roots, user=user)
