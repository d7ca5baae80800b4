"""Writing plans in the portal: a draft seen by its authors, issued to bind, changed afterwards only by amendment.

A draft's targets and tasks are edited one at a time (`target_save`, `task_save`, and their deletions). Issuing
(`plan_issue`) keeps version 1 whole in `PlanVersion`. An issued plan changes by `plan_amend`: one act with one
reason, any number of edits, a new version with the lines saying what changed. A target with approved figures is
never removed: it is retired from a month (`target_retire`), so the months before stay judged against it.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from authoring.signals import plan_issued
from core.exceptions import ApplicationError
from core.formatting import date_format
from core.models import AuditEvent
from core.periods import DueKind, period_parse
from core.services import audit_record, instance_fields, jsonable
from plans.models import Plan, PlanKind, PlanStatus, PlanTask, PlanVersion
from plans.selectors import DEFAULT_DUE_DAY, report_due_days
from reports.models import Report
from targets.binding import targets_for_unit
from targets.models import Counts, Target
from tasks.selectors import task_has_history
from tasks.services import task_close
from units.access import user_can_author_plan
from units.models import Unit
from units.selectors import unit_ancestor_paths

TARGET_FIELDS = ("indicator", "comparator", "value", "value_max", "due_kind", "due_on", "scope_unit", "counts",
                 "applies_to_kinds", "judged", "reporters", "responsible_unit", "series", "clause", "ref",
                 "parent_target")
TASK_FIELDS = ("number", "group", "title", "lead_unit", "lead_text", "cooperating_text", "due_kind", "due_on",
               "due_text", "expected_output", "responsible_person", "contributions", "recurrence", "accepting_unit",
               "parent_task")
PLAN_FIELDS = ("number", "kind", "title", "issued_on", "year_start", "year_end", "parent")
_DAY = re.compile(r"^\s*(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Due:
    """A deadline as the plan writes it, read: its kind and its last day."""

    kind: str
    on: dt.date | None


def due_read(text: str) -> Due:
    """A deadline typed as plans write it: "2026" or "Năm 2026", "Quý II/2026", "09/2026" (its last day),
    "31/12/2026". Anything else is refused in Vietnamese with the forms to use."""
    match = _DAY.match(text or "")
    if match:
        try:
            return Due(DueKind.DATE, dt.date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            pass
    else:
        try:
            span = period_parse(text)
        except ValueError:
            span = None
        if span is not None:
            kind = {"year": DueKind.YEAR, "quarter": DueKind.QUARTER}.get(span.kind, DueKind.DATE)
            last = span.last.replace(day=1) + dt.timedelta(days=32)
            return Due(kind, last.replace(day=1) - dt.timedelta(days=1))
    raise ValidationError({"due_on": _("“%(value)s” is not a deadline; write it as 2026, Quý II/2026, 09/2026 or "
                                      "31/12/2026.") % {"value": text}})


def due_text(kind: str, due_on: dt.date | None) -> str:
    """The deadline back in the words `due_read` reads, for a form's initial value."""
    if due_on is None or kind == DueKind.RECURRING:
        return ""
    if kind == DueKind.YEAR:
        return str(due_on.year)
    if kind == DueKind.QUARTER:
        return f"Quý {['I', 'II', 'III', 'IV'][(due_on.month - 1) // 3]}/{due_on.year}"
    return date_format(due_on)


# ---------------------------------------------------------------------------------------------------- permissions


def _may_write(*, by, plan: Plan) -> None:
    """A draft is its authors' (who must still serve the issuer); an issued plan is amended by the issuer's office."""
    allowed = user_can_author_plan(user=by, issuer=plan.issuer)
    if allowed and plan.status == PlanStatus.DRAFT:
        allowed = plan.authors.filter(pk=by.pk).exists()
    if not allowed:
        raise ApplicationError(_("Only the issuing committee's office (its reviewers) writes its plans; a draft is "
                                 "written by its authors alone."))


def _draft_only(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("This plan is issued: it changes only by an amendment, with its reason."))


def _check(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


# ---------------------------------------------------------------------------------------------------------- drafts


def plan_key_make(*, issuer: Unit, year_start: int, year_end: int) -> str:
    """Issuer code and years ("dn-xp-locninh-2026-2030"), with a counter when the issuer has one already."""
    years = str(year_start) if year_start == year_end else f"{year_start}-{year_end}"
    base = slugify(f"{issuer.code.replace('.', '-')}-{years}")[:70]
    key, counter = base, 1
    while Plan.objects.filter(key=key).exists():
        counter += 1
        key = f"{base}-{counter}"
    return key


def _parent_check(*, issuer: Unit, parent: Plan | None) -> None:
    if parent is not None and not (issuer.path.startswith(parent.issuer.path) and issuer.pk != parent.issuer_id):
        raise ValidationError({"parent": _("The plan it implements must be issued by a unit above %(unit)s.")
                                         % {"unit": issuer.name}})
    if parent is not None and parent.status != PlanStatus.ISSUED:
        raise ValidationError({"parent": _("A plan implements an issued plan, not a draft.")})


@transaction.atomic
def plan_draft_create(*, by, issuer: Unit, title: str, year_start: int, year_end: int, parent: Plan | None = None,
                      number: str = "", issued_on: dt.date | None = None, kind: str = PlanKind.KE_HOACH) -> Plan:
    """A new draft of `issuer`'s plan, written by `by` alone until it is issued."""
    if not user_can_author_plan(user=by, issuer=issuer):
        raise ApplicationError(_("Only the issuing committee's office (its reviewers) writes its plans."))
    _parent_check(issuer=issuer, parent=parent)
    # The units' report due day stays the one their nearest committee above has set: a plan written here says
    # nothing about the monthly round.
    days = report_due_days()
    due_day = next((days[path] for path in reversed(unit_ancestor_paths(issuer)) if path in days), DEFAULT_DUE_DAY)
    plan = Plan(key=plan_key_make(issuer=issuer, year_start=year_start, year_end=year_end), issuer=issuer,
                title=title, year_start=year_start, year_end=year_end, parent=parent, number=number,
                issued_on=issued_on, kind=kind, status=PlanStatus.DRAFT, version=1, report_due_day=due_day)
    _check(plan)
    plan.save()
    plan.authors.add(by)
    audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=plan,
                 changes=instance_fields(plan, ("key", "issuer", "title", "year_start", "year_end", "parent",
                                                "status")))
    return plan


@transaction.atomic
def plan_draft_update(*, by, plan: Plan, data: dict[str, Any]) -> Plan:
    """The draft's own fields: number, kind, title, date, years, the plan it implements."""
    _may_write(by=by, plan=plan)
    _draft_only(plan)
    changes = heading_apply(plan=plan, data=data)
    if changes:
        audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=plan, changes=changes)
    return plan


def _number_check(plan: Plan) -> None:
    """A reference number is its issuer's for one plan: another issued plan of the same issuer may not carry it."""
    number = (plan.number or "").strip()
    # compared casefolded here, not by `iexact`: SQLite folds only ASCII, and "Đ" is in most numbers (-KH/ĐU)
    others = Plan.objects.issued().filter(issuer_id=plan.issuer_id).exclude(pk=plan.pk).exclude(number="")
    other = next((o for o in others.only("number", "title") if o.number.strip().casefold() == number.casefold()),
                 None) if number else None
    if other is not None:
        raise ValidationError({"number": _("%(number)s is already the reference number of another plan of %(unit)s: "
                                           "%(title)s.") % {"number": number, "unit": plan.issuer.name,
                                                             "title": other.title}})


def heading_apply(*, plan: Plan, data: dict[str, Any]) -> dict[str, list]:
    """The plan's heading (number, kind, title, date, years, the plan it implements) set and checked, for a draft
    or inside an amendment; the changes by field. A draft's parent is checked whenever given, an issued plan's only
    when it changes (a plan loaded from its document keeps the parent it names)."""
    parent_check = "parent" in data and (plan.status == PlanStatus.DRAFT
                                         or getattr(data["parent"], "pk", None) != plan.parent_id)
    changes = _assign(plan, data, PLAN_FIELDS)
    _check(plan)  # the years in order; no cycle (a plan implementing itself or one that implements it)
    if parent_check:
        _parent_check(issuer=plan.issuer, parent=plan.parent)
    if "number" in changes:
        _number_check(plan)
    plan.save()
    return changes


def _outside(due_on: str | dt.date | None, first: int, last: int) -> bool:
    if not due_on:
        return False
    year = (dt.date.fromisoformat(due_on) if isinstance(due_on, str) else due_on).year
    return not first <= year <= last


def heading_years_check(*, plan: Plan, before: dict[str, Any]) -> None:
    """New years must keep every target's stage and every task's due inside them: refused, naming each one left
    outside. Only a change of years is checked, and only what it leaves outside: a deadline the document itself
    put outside its years (recorded as written) was outside before and is not the new years' doing. Retired or
    superseded targets and closed tasks ask nothing more and are not counted."""
    first, last = plan.year_start, plan.year_end
    old_first, old_last = before["plan"]["year_start"], before["plan"]["year_end"]
    if (first, last) == (old_first, old_last):
        return
    already = {(kind, item["id"]) for kind in ("targets", "tasks") for item in before[kind]
               if _outside(item["due_on"], old_first, old_last)}
    targets = plan.targets.filter(retired_from__isnull=True, superseded_by__isnull=True, due_on__isnull=False)
    tasks = plan.tasks.filter(closure__isnull=True, due_on__isnull=False)
    early, late = [], []
    for kind, items, label in (("targets", targets.order_by("position"), _("target %(number)s (due %(due)s)")),
                               ("tasks", tasks.order_by("number"), _("task %(number)s (due %(due)s)"))):
        for item in items:
            if (kind, item.pk) in already or not _outside(item.due_on, first, last):
                continue
            number = item.position if kind == "targets" else item.number
            (early if item.due_on.year < first else late).append(label % {"number": number, "due": item.due_label})
    errors = {}
    for name, items in (("year_start", early), ("year_end", late)):
        if items:
            errors[name] = _("These years would leave %(items)s outside the plan's years: change those deadlines "
                             "first, in the same amendment, or choose other years.") % {"items": ", ".join(items)}
    if errors:
        raise ValidationError(errors)


def _assign(instance, data: dict[str, Any], allowed: Sequence[str]) -> dict[str, list]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changes = {}
    for name, value in data.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:  # compared by id: a new object has no related object to read yet
            old, new = getattr(instance, model_field.attname), (value.pk if value is not None else None)
        else:
            old, new = getattr(instance, name), value
        if old != new:
            changes[name] = [jsonable(old), jsonable(new)]
        setattr(instance, name, value)
    return changes


def _under(unit: Unit | None, issuer: Unit) -> bool:
    return unit is not None and unit.path.startswith(issuer.path)


def _target_adopted(source: Target, *, plan: Plan, position: int) -> tuple[Target, list[Unit]]:
    """The parent's target re-based on the child's issuer: its scope unit is the child's issuer unless the parent
    named a unit under it; counts and kinds kept; named units kept only if under the child's issuer."""
    issuer = plan.issuer
    named = [unit for unit in source.applies_to_units.all() if _under(unit, issuer)]
    counts = source.counts if source.counts != Counts.NAMED or named else Counts.ALL
    kinds = source.applies_to_kinds if counts != Counts.ALL else []
    target = Target(
        plan=plan, position=position, indicator=source.indicator, comparator=source.comparator, value=source.value,
        value_max=source.value_max, due_kind=source.due_kind, due_on=source.due_on,
        scope_unit=source.scope_unit if _under(source.scope_unit, issuer) else None, counts=counts,
        applies_to_kinds=list(kinds), judged=source.judged, reporters=source.reporters,
        responsible_unit=source.responsible_unit if _under(source.responsible_unit, issuer) else None,
        series=source.series, clause=source.clause, ref=source.ref, parent_target=source)
    return target, named


def _task_adopted(source: PlanTask, *, plan: Plan) -> tuple[PlanTask, list[Unit]]:
    issuer = plan.issuer
    cooperating = [unit for unit in source.cooperating_units.all() if _under(unit, issuer)]
    codes = {unit.code for unit in cooperating}
    task = PlanTask(
        plan=plan, number=source.number, group=source.group, title=source.title,
        lead_unit=source.lead_unit if _under(source.lead_unit, issuer) else None, lead_text=source.lead_text,
        cooperating_text=source.cooperating_text, due_kind=source.due_kind, due_on=source.due_on,
        due_text=source.due_text, expected_output=source.expected_output,
        contributions={code: part for code, part in source.contributions.items() if code in codes},
        recurrence=source.recurrence, parent_task=source)
    return task, cooperating


@transaction.atomic
def plan_draft_from_parent(*, by, parent: Plan, issuer: Unit, title: str, year_start: int, year_end: int,
                           number: str = "", issued_on: dt.date | None = None,
                           kind: str = PlanKind.KE_HOACH) -> Plan:
    """A draft implementing `parent`, with the parent's targets and tasks copied in for the author to adopt (keep),
    adjust (edit) or drop (delete); each copy keeps its link to the parent's (`parent_target`, `parent_task`).

    Targets that gave way to another or are retired are not copied: they ask nothing of the child any more.
    """
    plan = plan_draft_create(by=by, issuer=issuer, title=title, year_start=year_start, year_end=year_end,
                             parent=parent, number=number, issued_on=issued_on, kind=kind)
    sources = (parent.targets.filter(superseded_by__isnull=True, retired_from__isnull=True)
               .select_related("indicator", "scope_unit", "responsible_unit").prefetch_related("applies_to_units")
               .order_by("position"))
    for position, source in enumerate(sources, start=1):
        target, named = _target_adopted(source, plan=plan, position=position)
        _check(target)
        target.save()
        target.applies_to_units.set(named)
    for source in parent.tasks.select_related("lead_unit").prefetch_related("cooperating_units").order_by("number"):
        task, cooperating = _task_adopted(source, plan=plan)
        _check(task)
        task.save()
        task.cooperating_units.set(cooperating)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=plan,
                 note=_("Targets and tasks copied from %(parent)s: %(targets)s targets, %(tasks)s tasks.")
                 % {"parent": parent.short_label, "targets": plan.targets.count(), "tasks": plan.tasks.count()})
    return plan


@dataclass(frozen=True, slots=True)
class Accepted:
    """A candidate read from the document that the author accepted (perhaps edited): a target or a task."""

    index: int  # its place among the candidates, to show a refusal beside it
    kind: str  # "target" or "task"
    data: dict[str, Any]


@transaction.atomic
def plan_draft_from_document(*, by, issuer: Unit, title: str, year_start: int, year_end: int, source_text: str,
                             accepted: Sequence[Accepted], source_name: str = "", parent: Plan | None = None,
                             number: str = "", issued_on: dt.date | None = None,
                             kind: str = PlanKind.KE_HOACH) -> Plan:
    """A draft started from the plan's own text: the candidates the author accepted become its targets and tasks,
    each keeping its clause. All or nothing: a refused candidate is named by its place (`item-<index>`)."""
    plan = plan_draft_create(by=by, issuer=issuer, title=title, year_start=year_start, year_end=year_end,
                             parent=parent, number=number, issued_on=issued_on, kind=kind)
    plan.source_text, plan.source_name = source_text, source_name[:200]
    plan.save(update_fields=["source_text", "source_name"])
    errors = {}
    for item in accepted:
        try:
            with transaction.atomic():
                if item.kind == "task":
                    _task_write(plan=plan, task=None, data=item.data)
                else:
                    _target_write(plan=plan, target=None, data=item.data)
        except ValidationError as exc:
            errors[f"item-{item.index}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=plan,
                 note=_("Started from the document %(name)s: %(targets)s targets, %(tasks)s tasks accepted.")
                 % {"name": source_name or "—", "targets": plan.targets.count(), "tasks": plan.tasks.count()})
    return plan


# --------------------------------------------------------------------------------------- targets and tasks (shared)


def _due_data(data: dict[str, Any]) -> dict[str, Any]:
    """`due` typed as text becomes `due_kind` and `due_on`; recurring work (a recurrence) has no date."""
    data = dict(data)
    if "due" in data:
        text = (data.pop("due") or "").strip()
        if data.get("recurrence") and not text:
            data.update(due_kind=DueKind.RECURRING, due_on=None)
        else:
            due = due_read(text)
            data.update(due_kind=due.kind, due_on=due.on)
    return data


def _target_write(*, plan: Plan, target: Target | None, data: dict[str, Any]) -> tuple[Target, dict]:
    data = _due_data(data)
    named = data.pop("applies_to_units", None)
    if target is None:
        position = (plan.targets.aggregate(last=Max("position"))["last"] or 0) + 1
        target = Target(plan=plan, position=position)
    changes = _assign(target, data, TARGET_FIELDS)
    _check(target)
    named = list(target.applies_to_units.all()) if named is None and target.pk else list(named or [])
    scope = target.scope_unit or plan.issuer
    if target.counts == Counts.NAMED and not named:
        raise ValidationError({"applies_to_units": _("Name the units that count.")})
    outside = [unit.name for unit in named if not unit.path.startswith(scope.path)]
    if outside:
        raise ValidationError({"applies_to_units": _("Not under %(scope)s: %(units)s.")
                                                   % {"scope": scope.name, "units": ", ".join(outside)}})
    target.save()
    old = sorted(target.applies_to_units.values_list("code", flat=True))
    if old != sorted(unit.code for unit in named):
        target.applies_to_units.set(named)
        changes["applies_to_units"] = [old, sorted(unit.code for unit in named)]
    return target, changes


def _task_write(*, plan: Plan, task: PlanTask | None, data: dict[str, Any]) -> tuple[PlanTask, dict]:
    data = _due_data(data)
    cooperating = data.pop("cooperating_units", None)
    if task is None:
        number = data.pop("number", None) or (plan.tasks.aggregate(last=Max("number"))["last"] or 0) + 1
        task = PlanTask(plan=plan, number=number)
    changes = _assign(task, data, TASK_FIELDS)
    _check(task)
    task.save()
    if cooperating is not None:
        old = sorted(task.cooperating_units.values_list("code", flat=True))
        if old != sorted(unit.code for unit in cooperating):
            task.cooperating_units.set(cooperating)
            changes["cooperating_units"] = [old, sorted(unit.code for unit in cooperating)]
    return task, changes


def target_has_approved_figures(target: Target) -> bool:
    """Whether a unit the target bound had a figure for its indicator approved in a month the target was in force.

    Removing such a target would leave approved figures judged against nothing: it must be retired instead.
    """
    plan = Plan.objects.get(pk=target.plan_id)  # as it is now: the caller's copy may predate its issue
    if plan.status != PlanStatus.ISSUED:
        return False
    reports = Report.objects.filter(
        status=Report.Status.APPROVED, values__indicator_id=target.indicator_id,
        period__year__gte=plan.year_start, period__year__lte=plan.year_end)
    if target.retired_from:
        reports = reports.filter(period__lt=target.retired_from)
    only = Target.objects.filter(pk=target.pk)
    for report in reports.select_related("unit").order_by("period", "unit__path").distinct():
        if targets_for_unit(unit=report.unit, period=report.period, queryset=only):
            return True
    return False


def _target_remove(target: Target) -> None:
    if target_has_approved_figures(target):
        raise ApplicationError(_("Target %(position)s already has approved figures (%(indicator)s); it cannot be "
                                 "removed. Retire it from a month instead: it then binds no one from that month, "
                                 "and the months before stay judged against it.")
                               % {"position": target.position, "indicator": target.indicator.name})
    target.delete()


# ---------------------------------------------------------------------------------------- a draft's targets and tasks


@transaction.atomic
def target_save(*, by, plan: Plan, target: Target | None = None, data: dict[str, Any]) -> Target:
    """A draft's target, new or edited, checked whole (`Target.clean`) with its named units under its scope."""
    _may_write(by=by, plan=plan)
    _draft_only(plan)
    created = target is None
    target, changes = _target_write(plan=plan, target=target, data=data)
    audit_record(actor=by, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                 instance=target, changes=changes)
    return target


@transaction.atomic
def target_delete(*, by, target: Target) -> None:
    _may_write(by=by, plan=target.plan)
    _draft_only(target.plan)
    audit_record(actor=by, action=AuditEvent.Action.DELETE, instance=target,
                 changes={"position": [target.position, None], "clause": [target.clause, None]})
    target.delete()


@transaction.atomic
def task_save(*, by, plan: Plan, task: PlanTask | None = None, data: dict[str, Any]) -> PlanTask:
    """A draft's task with its "6 rõ", new or edited, checked whole (`PlanTask.clean`)."""
    _may_write(by=by, plan=plan)
    _draft_only(plan)
    created = task is None
    task, changes = _task_write(plan=plan, task=task, data=data)
    audit_record(actor=by, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                 instance=task, changes=changes)
    return task


@transaction.atomic
def task_delete(*, by, task: PlanTask) -> None:
    _may_write(by=by, plan=task.plan)
    _draft_only(task.plan)
    audit_record(actor=by, action=AuditEvent.Action.DELETE, instance=task,
                 changes={"number": [task.number, None], "title": [task.title, None]})
    task.delete()


# ---------------------------------------------------------------------------------------------- snapshots, changes


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON: its fields, its targets and its tasks, as a version keeps them."""
    targets = plan.targets.select_related("indicator", "scope_unit", "responsible_unit").prefetch_related(
        "applies_to_units", "plan__issuer").order_by("position")
    tasks = plan.tasks.select_related("lead_unit", "accepting_unit", "closure").prefetch_related("cooperating_units")
    return {
        "plan": {"key": plan.key, "number": plan.number, "kind": plan.kind, "title": plan.title,
                 "issuer": plan.issuer.code, "issued_on": jsonable(plan.issued_on), "year_start": plan.year_start,
                 "year_end": plan.year_end, "parent": plan.parent.key if plan.parent_id else None,
                 "parent_label": plan.parent.short_label if plan.parent_id else None},
        "targets": [_target_json(target) for target in targets],
        "tasks": [_task_json(task) for task in tasks.order_by("number")],
    }


def _code(unit: Unit | None) -> str | None:
    return unit.code if unit is not None else None


def _target_json(target: Target) -> dict[str, Any]:
    return {
        "id": target.pk, "position": target.position, "indicator": target.indicator.code,
        "comparator": target.comparator, "value": jsonable(target.value), "value_max": jsonable(target.value_max),
        "value_label": target.value_label, "due_kind": target.due_kind, "due_on": jsonable(target.due_on),
        "due_label": target.due_label, "scope_unit": _code(target.scope_unit), "counts": target.counts,
        "applies_to_kinds": sorted(target.applies_to_kinds),  # their order says nothing
        "applies_to_units": sorted(unit.code for unit in target.applies_to_units.all()),
        "judged": target.judged, "reporters": target.reporters, "responsible_unit": _code(target.responsible_unit),
        "series": target.series, "clause": target.clause, "parent_target": target.parent_target_id,
        "retired_from": jsonable(target.retired_from),
    }


def _task_json(task: PlanTask) -> dict[str, Any]:
    return {
        "id": task.pk, "number": task.number, "group": task.group, "title": task.title,
        "lead_unit": _code(task.lead_unit), "lead_text": task.lead_text,
        "cooperating_units": sorted(unit.code for unit in task.cooperating_units.all()),
        "cooperating_text": task.cooperating_text, "due_kind": task.due_kind, "due_on": jsonable(task.due_on),
        "due_label": task.due_label, "expected_output": task.expected_output,
        "responsible_person": task.responsible_person, "contributions": task.contributions,
        "recurrence": task.recurrence, "accepting_unit": _code(task.accepting_unit), "parent_task": task.parent_task_id,
        "closed_from": jsonable(closure.closed_from) if (closure := getattr(task, "closure", None)) else None,
    }


def _target_lines(old: dict, new: dict) -> list[str]:
    number = new["position"]
    lines = []
    if old["value_label"] != new["value_label"]:
        lines.append(_("Target %(number)s: %(old)s → %(new)s") % {"number": number, "old": old["value_label"],
                                                                 "new": new["value_label"]})
    if old["due_label"] != new["due_label"]:
        lines.append(_("Target %(number)s: due %(old)s → %(new)s") % {"number": number, "old": old["due_label"],
                                                                     "new": new["due_label"]})
    if old["retired_from"] != new["retired_from"] and new["retired_from"]:
        month = dt.date.fromisoformat(new["retired_from"])
        lines.append(_("Target %(number)s no longer applies from %(month)s") % {"number": number,
                                                                               "month": f"{month:%m/%Y}"})
    skipped = {"value", "value_max", "comparator", "value_label", "due_kind", "due_on", "due_label", "retired_from"}
    other = [name for name in new if name not in skipped and old.get(name) != new[name]]
    if other:
        names = ", ".join(str(Target._meta.get_field(name).verbose_name) for name in other)
        lines.append(_("Target %(number)s: changed %(fields)s") % {"number": number, "fields": names})
    return lines


def _task_lines(old: dict, new: dict) -> list[str]:
    number = new["number"]
    lines = []
    if old["due_label"] != new["due_label"]:
        lines.append(_("Task %(number)s: due %(old)s → %(new)s") % {"number": number, "old": old["due_label"],
                                                                   "new": new["due_label"]})
    if old.get("closed_from") != new.get("closed_from") and new.get("closed_from"):
        day = dt.date.fromisoformat(new["closed_from"])
        lines.append(_("Task %(number)s closed from %(day)s") % {"number": number, "day": date_format(day)})
    skipped = {"due_kind", "due_on", "due_label", "closed_from"}
    other = [name for name in new if name not in skipped and old.get(name) != new[name]]
    if other:
        names = ", ".join(str(PlanTask._meta.get_field(name).verbose_name) for name in other)
        lines.append(_("Task %(number)s: changed %(fields)s") % {"number": number, "fields": names})
    return lines


def _years(plan: dict) -> str:
    first, last = plan["year_start"], plan["year_end"]
    return str(first) if first == last else f"{first}–{last}"


def _heading_lines(old: dict, new: dict) -> list[str]:
    """The heading's changes, each with what it was and what it becomes ("Năm: 2025–2026 → 2025–2030"). An older
    snapshot without the parent's label names the parent by its key."""
    def kind(value):
        return PlanKind(value).label if value in PlanKind.values else value

    def day(value):
        return date_format(dt.date.fromisoformat(value)) if value else None

    def parent(plan):
        return plan.get("parent_label") or plan.get("parent")

    shown = (("number", _("Reference number: %(old)s → %(new)s"), lambda plan: plan.get("number")),
             ("kind", _("Kind of document: %(old)s → %(new)s"), lambda plan: kind(plan.get("kind"))),
             ("title", _("Title: %(old)s → %(new)s"), lambda plan: plan.get("title")),
             ("issued_on", _("Issued on: %(old)s → %(new)s"), lambda plan: day(plan.get("issued_on"))),
             ("years", _("Years: %(old)s → %(new)s"), _years),
             ("parent", _("Implements the plan: %(old)s → %(new)s"), parent))
    lines = []
    for name, line, read in shown:
        changed = (_years(old) != _years(new)) if name == "years" else old.get(name) != new.get(name)
        if changed:
            lines.append(line % {"old": read(old) or "—", "new": read(new) or "—"})
    return lines


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """What changed from one version to the next, one Vietnamese line each ("Mục tiêu 3: ≥ 80% → ≥ 90%")."""
    lines = _heading_lines(before["plan"], after["plan"])
    for kind, number, differ in (("targets", "position", _target_lines), ("tasks", "number", _task_lines)):
        old = {item["id"]: item for item in before[kind]}
        new = {item["id"]: item for item in after[kind]}
        added, removed = _("Added target %(number)s"), _("Removed target %(number)s")
        if kind == "tasks":
            added, removed = _("Added task %(number)s"), _("Removed task %(number)s")
        for pk, item in old.items():
            if pk not in new:
                lines.append(removed % {"number": item[number]})
        for pk, item in new.items():
            lines.extend([added % {"number": item[number]}] if pk not in old else differ(old[pk], item))
    return lines


# ----------------------------------------------------------------------------------------------- issue and amend


def plan_problems(plan: Plan) -> list[str]:
    """Why a plan cannot be issued as it stands: empty, or a target or task that fails its checks."""
    problems = []
    if not plan.targets.exists() and not plan.tasks.exists():
        problems.append(_("The plan has no target and no task yet."))
    try:
        _number_check(plan)  # a number another issued plan of the issuer took since the draft was written
    except ValidationError as exc:
        problems.extend(exc.messages)
    for target in plan.targets.select_related("indicator", "plan__issuer").order_by("position"):
        try:
            target.full_clean()
        except ValidationError as exc:
            problems.append(_("Target %(number)s: %(errors)s") % {"number": target.position,
                                                                  "errors": " ".join(exc.messages)})
    for task in plan.tasks.order_by("number"):
        try:
            task.full_clean()
        except ValidationError as exc:
            problems.append(_("Task %(number)s: %(errors)s") % {"number": task.number,
                                                                "errors": " ".join(exc.messages)})
    return problems


def _version_record(*, by, plan: Plan, number: int, changes: list[str], reason: str) -> PlanVersion:
    version = PlanVersion(plan=plan, number=number, snapshot=plan_snapshot(plan), changes=changes, reason=reason,
                          created_by=by if getattr(by, "pk", None) else None,
                          created_by_name=(by.get_full_name() or by.username) if getattr(by, "pk", None) else "")
    version.save()
    return version


def plan_text(plan: Plan) -> str:
    """The plan's text as written in the portal: its title, its targets' clauses and its tasks."""
    lines = [plan.title, ""]
    lines += [f"{target.position}. {target.clause}" for target in plan.targets.order_by("position")]
    lines += [f"{task.number}. {task.title}" for task in plan.tasks.order_by("number")]
    return "\n".join(lines).strip()


@transaction.atomic
def plan_issue(*, by, plan: Plan) -> PlanVersion:
    """The draft becomes the issued plan, version 1, and binds at once; compliance hears of it (`plan_issued`)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_write(by=by, plan=plan)
    _draft_only(plan)
    problems = plan_problems(plan)
    if problems:
        raise ApplicationError(_("The plan cannot be issued yet: %(problems)s") % {"problems": " ".join(problems)},
                               extra={"problems": problems})
    plan.status, plan.version = PlanStatus.ISSUED, 1
    if not plan.source_text:  # written in the portal: its text is its targets' and tasks' clauses
        plan.source_text, plan.source_name = plan_text(plan), plan.source_name or _("Written in the portal")
    plan.save(update_fields=["status", "version", "source_text", "source_name"])
    version = _version_record(by=by, plan=plan, number=1, changes=[], reason="")
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=plan,
                 changes={"status": [PlanStatus.DRAFT, PlanStatus.ISSUED], "version": [None, 1]})
    plan_issued.send(sender=Plan, plan=plan)
    return version


@dataclass(frozen=True, slots=True)
class TargetEdit:
    """One change to a target within an amendment: new (`target` None), edited (`data`), removed, or retired."""

    target: Target | None = None
    data: dict[str, Any] = field(default_factory=dict)
    remove: bool = False
    retire_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TaskEdit:
    """One change to a task within an amendment: new (`task` None), edited (`data`), removed, or closed from a day."""

    task: PlanTask | None = None
    data: dict[str, Any] = field(default_factory=dict)
    remove: bool = False
    close_from: dt.date | None = None


def _baseline(*, by, plan: Plan) -> dict:
    """The snapshot of the version in force; a plan loaded from its document (no version yet) gets it recorded
    now, before the first amendment, so the earlier version is kept too."""
    version = plan.versions.order_by("-number").first()
    if version is None:
        version = _version_record(by=None, plan=plan, number=plan.version, changes=[], reason="")
    return version.snapshot


def _target_apply(edit: TargetEdit, *, plan: Plan) -> None:
    target = edit.target
    if target is not None and target.plan_id != plan.pk:
        raise ApplicationError(_("That target belongs to another plan."))
    if edit.remove:
        _target_remove(target)
    elif edit.retire_from is not None:
        month = edit.retire_from.replace(day=1)
        if month <= dt.date(plan.year_start, 1, 1) or month > dt.date(plan.year_end, 12, 1):
            raise ValidationError({"retired_from": _("Retire a target from a month after the plan's first one and "
                                                     "within its years.")})
        target.retired_from = month
        target.save(update_fields=["retired_from"])
    else:
        _target_write(plan=plan, target=target, data=edit.data)


def _task_apply(edit: TaskEdit, *, plan: Plan, by=None) -> None:
    if edit.task is not None and edit.task.plan_id != plan.pk:
        raise ApplicationError(_("That task belongs to another plan."))
    if edit.remove:
        if task_has_history(edit.task):
            raise ApplicationError(_("Task %(number)s already has progress, a product or reminders recorded against "
                                     "it; it cannot be removed. Close it from a day instead: it stays in the plan's "
                                     "history and leaves the task board and the reminders from that day.")
                                   % {"number": edit.task.number})
        edit.task.delete()
    elif edit.close_from is not None:
        if not dt.date(plan.year_start, 1, 1) < edit.close_from <= dt.date(plan.year_end, 12, 31):
            raise ValidationError({"closed_from": _("Close a task from a day after the plan's first one and within "
                                                    "its years.")})
        task_close(task=edit.task, closed_from=edit.close_from, by=by)
    else:
        _task_write(plan=plan, task=edit.task, data=edit.data)


@transaction.atomic
def plan_amend(*, by, plan: Plan, reason: str, targets: Sequence[TargetEdit] = (),
               tasks: Sequence[TaskEdit] = (), data: dict[str, Any] | None = None) -> PlanVersion:
    """An issued plan changed as one act with one reason: every edit applied, then a new version with the lines
    saying what changed. The versions before are kept as they were. Nothing is written if any edit is refused."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_write(by=by, plan=plan)
    if plan.status != PlanStatus.ISSUED:
        raise ApplicationError(_("A draft is edited directly; only an issued plan is amended."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    before = _baseline(by=by, plan=plan)
    if data:  # the heading first: the targets' and tasks' checks read the plan's new years
        heading_apply(plan=plan, data=data)
    for edit in targets:
        _target_apply(edit, plan=plan)
    for edit in tasks:
        _task_apply(edit, plan=plan, by=by)
    heading_years_check(plan=plan, before=before)
    changes = snapshot_changes(before, plan_snapshot(plan))
    if not changes:
        raise ApplicationError(_("The amendment changes nothing."))
    problems = plan_problems(plan)
    if problems:
        raise ApplicationError(" ".join(problems), extra={"problems": problems})
    plan.version += 1
    plan.save(update_fields=["version"])
    version = _version_record(by=by, plan=plan, number=plan.version, changes=changes, reason=reason)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=plan,
                 changes={"version": [plan.version - 1, plan.version]}, note=f"{reason}\n" + "\n".join(changes))
    # The years before and after: a month the plan no longer covers is recomputed too.
    years = (min(before["plan"]["year_start"], plan.year_start), max(before["plan"]["year_end"], plan.year_end))
    plan_issued.send(sender=Plan, plan=plan, years=years)
    return version


@transaction.atomic
def target_retire(*, by, target: Target, from_month: dt.date, reason: str) -> PlanVersion:
    """The target binds no one from `from_month` on; the months before stay judged against it. An amendment."""
    return plan_amend(by=by, plan=target.plan, reason=reason, targets=[TargetEdit(target=target,
                                                                                 retire_from=from_month)])

