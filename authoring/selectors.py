"""Reads for writing plans: which plans a user reads, for whom they write, and a plan's page in one record."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from authoring.models import PlanAmendment
from plans.models import Plan, PlanStatus, PlanTask, PlanVersion
from plans.selectors import plan_list
from targets.binding import units_bound_by_target
from targets.models import Target
from units.access import review_roots, sees_all, user_can_author_plan
from units.models import Unit, UnitKind
from units.selectors import unit_ancestor_paths

# The kinds of unit that issue plans: party committees and grassroots organisations, not their offices or cells.
ISSUER_KINDS = (UnitKind.PROVINCE, UnitKind.COMMITTEE, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE,
                UnitKind.GRASSROOTS)
BOUND_SHOWN = 12  # units named beside a target; the rest are counted


def plans_readable(*, user) -> QuerySet[Plan]:
    """The plans the user reads (issued ones in their scope, their own drafts), newest years first."""
    return plan_list(user=user).order_by("-year_end", "issuer__path", "key")


def plan_readable(*, user, key: str) -> Plan:
    """One plan the user reads, or 404: a draft of someone else reads as missing."""
    return get_object_or_404(plan_list(user=user), key=key)


def plan_writable(*, user, key: str) -> Plan:
    """A plan the user may change (their draft, or an issued plan of a committee they serve), or 404."""
    plan = plan_readable(user=user, key=key)
    if not plan_may_write(user=user, plan=plan):
        raise Http404
    return plan


def plan_may_write(*, user, plan: Plan) -> bool:
    if not user_can_author_plan(user=user, issuer=plan.issuer):
        return False
    return plan.status == PlanStatus.ISSUED or plan.authors.filter(pk=user.pk).exists()


def amendment_open_for(*, user, plan: Plan) -> PlanAmendment | None:
    """The plan's open working copy, for those who write the plan (shared among them); None for anyone else."""
    if plan.status != PlanStatus.ISSUED or not plan_may_write(user=user, plan=plan):
        return None
    return plan.amendments.filter(status=PlanAmendment.Status.OPEN).select_related("plan__issuer").first()


def target_writable(*, user, pk: int) -> Target:
    target = get_object_or_404(Target.objects.select_related("plan__issuer", "indicator"),
                               pk=pk, plan__in=plan_list(user=user))
    if not plan_may_write(user=user, plan=target.plan):
        raise Http404
    return target


def task_writable(*, user, pk: int) -> PlanTask:
    task = get_object_or_404(PlanTask.objects.select_related("plan__issuer"), pk=pk, plan__in=plan_list(user=user))
    if not plan_may_write(user=user, plan=task.plan):
        raise Http404
    return task


def issuers_for(*, user) -> QuerySet[Unit]:
    """The units whose plans the user may write: the committees in the subtrees they review, every one for staff."""
    units = Unit.objects.filter(kind__in=ISSUER_KINDS, closed_on__isnull=True)
    if sees_all(user):
        return units.order_by("path")
    condition = Q(pk__in=[])
    for root in review_roots(user=user):
        condition |= Q(path__startswith=root.path)
    return units.filter(condition).order_by("path")


def user_writes_plans(*, user) -> bool:
    return bool(user.is_authenticated) and issuers_for(user=user).exists()


def parents_for(*, user) -> QuerySet[Plan]:
    """Issued plans the user reads, which a new plan may implement."""
    return plan_list(user=user).filter(status=PlanStatus.ISSUED).order_by("issuer__path", "-year_end", "key")


def units_under(issuer: Unit, *, levels: int = 2, keep=(), above: bool = False) -> QuerySet[Unit]:
    """The issuer and the units up to `levels` below it: the choices for a scope, named units, leads. The units in
    `keep` (what an item already names, wherever it is) stay choices, so a form opened to change one field never
    drops another; `above` adds the issuer's ancestors (a target may measure the figures of a unit above its issuer:
    the Văn phòng's "80% cơ quan, đơn vị thuộc Tỉnh ủy" is judged on the province)."""
    wanted = Q(path__startswith=issuer.path, depth__lte=issuer.depth + levels) | Q(pk__in=list(keep))
    if above:
        wanted |= Q(path__in=unit_ancestor_paths(issuer))
    return Unit.objects.filter(wanted).order_by("path")


@dataclass(frozen=True, slots=True)
class TargetRow:
    target: Target
    bound: list[Unit]
    bound_count: int


@dataclass(frozen=True, slots=True)
class PlanPage:
    plan: Plan
    targets: list[TargetRow]
    tasks: list[PlanTask]
    versions: list[PlanVersion]
    may_write: bool
    period: dt.date | None  # the month whose bound units are shown (issued plans only)


def _shown_month(plan: Plan, today: dt.date) -> dt.date:
    """This month when the plan is in its years, else its first or last month."""
    month = today.replace(day=1)
    return min(max(month, dt.date(plan.year_start, 1, 1)), dt.date(plan.year_end, 12, 1))


def plan_page(*, user, plan: Plan, today: dt.date) -> PlanPage:
    """Everything the plan's page shows; for an issued plan, the units each target binds in the month shown."""
    targets = list(plan.targets.select_related("indicator", "scope_unit", "responsible_unit", "parent_target__plan",
                                               "plan__issuer").prefetch_related("applies_to_units"))
    period, bound = None, {}
    if plan.status == PlanStatus.ISSUED and targets:
        period = _shown_month(plan, today)
        bound = units_bound_by_target(period=period)
    rows = [TargetRow(target, bound.get(target.pk, [])[:BOUND_SHOWN], len(bound.get(target.pk, [])))
            for target in targets]
    tasks = list(plan.tasks.select_related("lead_unit", "accepting_unit", "parent_task__plan", "closure")
                 .prefetch_related("cooperating_units"))
    return PlanPage(plan=plan, targets=rows, tasks=tasks, versions=list(plan.versions.select_related("created_by")),
                    may_write=plan_may_write(user=user, plan=plan), period=period)
