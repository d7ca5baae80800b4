"""The working copy of an amendment: an issued plan changed as on paper, over several saves, then applied at once.

An author opens the plan's amendment (`amendment_open`; while one is open, everyone who writes the plan continues the
same copy), changes targets and tasks one save at a time (`amendment_target_save`, `amendment_task_save`, removals,
a target retired from a month, a task closed from a day), sees the whole difference against the version in force
(`amendment_review`), then applies it with one reason (`amendment_apply`: `plan_amend`, one new version, one audit
row) or discards it (`amendment_discard`). Until then it binds no one and changes nothing.

The pending edits are kept as plain data (`PlanAmendment.edits`), one entry per target or task:
``{"key": "target-12" | "target-new-1", "kind": "target" | "task", "id": 12 | None, "data": {...}, "remove": bool,
"retire_from": "2027-01-01" | None, "close_from": "2027-01-01" | None}`` — `data` as the services take it, with
related objects by id, decimals as text and days in ISO form. The plan's heading (number, kind, title, date, years,
the plan it implements) is one more entry, ``{"key": "plan", "kind": "plan", "id": <plan>, "data": {...}}``, holding
only the fields that differ from the plan as it is; it is tried first, so the targets and tasks are checked against
the new years, and the new years are checked last against every deadline the copy leaves. Every save and the review
try the edits on the plan as it is then, inside a transaction that is rolled back; applying tries them again for
real, so a target that gained approved figures meanwhile is refused then with the way to retire it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authoring.models import PlanAmendment
from authoring.services import (
    PLAN_FIELDS,
    TargetEdit,
    TaskEdit,
    _may_write,
    _target_apply,
    _task_apply,
    heading_apply,
    heading_years_check,
    plan_amend,
    plan_problems,
    plan_snapshot,
    snapshot_changes,
)
from core.exceptions import ApplicationError
from core.models import AuditEvent
from core.services import audit_record
from plans.models import Plan, PlanStatus, PlanTask, PlanVersion
from targets.models import Target

MODELS = {"target": Target, "task": PlanTask}
HEADING = "plan"  # the key and kind of the heading's entry


# ------------------------------------------------------------------------------------------ the edits as plain data


def _encode(model, data: dict[str, Any]) -> dict[str, Any]:
    """A service's `data` as JSON: related objects by id, decimals as text, days in ISO form."""
    encoded = {}
    for name, value in data.items():
        model_field = model._meta.get_field(name) if name != "due" else None
        if model_field is not None and model_field.many_to_many:
            value = sorted(item.pk for item in value or [])
        elif model_field is not None and model_field.is_relation:
            value = value.pk if value is not None else None
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        encoded[name] = value
    return encoded


def _decode(model, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON back as the services take it; a unit or indicator gone since is refused at its field."""
    decoded = {}
    for name, value in data.items():
        model_field = model._meta.get_field(name) if name != "due" else None
        if model_field is not None and model_field.many_to_many:
            found = list(model_field.related_model.objects.filter(pk__in=value or []))
            if len(found) != len(set(value or [])):
                raise ValidationError({name: _("Some of the units chosen no longer exist; choose them again.")})
            value = found
        elif model_field is not None and model_field.is_relation and value is not None:
            value = model_field.related_model.objects.filter(pk=value).first()
            if value is None:
                raise ValidationError({name: _("What was chosen here no longer exists; choose again.")})
        elif isinstance(model_field, models.DecimalField) and value is not None:
            value = Decimal(value)
        elif isinstance(model_field, models.DateField) and value:
            value = dt.date.fromisoformat(value)
        decoded[name] = value
    return decoded


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class Edits:
    """One entry as `plan_amend` takes it: the heading's fields, and the target and task edits."""

    heading: dict[str, Any] = field(default_factory=dict)
    targets: list[TargetEdit] = field(default_factory=list)
    tasks: list[TaskEdit] = field(default_factory=list)


def _edits_of(entry: dict[str, Any], *, plan: Plan) -> Edits:
    """One entry as the edits `plan_amend` takes: its item looked up in the plan as it is now."""
    if entry["kind"] == HEADING:
        return Edits(heading=_decode(Plan, entry.get("data") or {}))
    model = MODELS[entry["kind"]]
    item = None
    if entry["id"] is not None:
        item = model.objects.filter(pk=entry["id"], plan=plan).first()
        if item is None:
            raise ApplicationError(_("An item of this amendment is no longer in the plan; drop its edit."))
    data = _decode(model, entry.get("data") or {})
    if entry["kind"] == "target":
        if entry.get("remove"):
            return Edits(targets=[TargetEdit(item, remove=True)])
        edits = [TargetEdit(item, data)] if data or item is None else []
        retire = _day(entry.get("retire_from"))
        return Edits(targets=edits + ([TargetEdit(item, retire_from=retire)] if retire else []))
    if entry.get("remove"):
        return Edits(tasks=[TaskEdit(item, remove=True)])
    edits = [TaskEdit(item, data)] if data or item is None else []
    close = _day(entry.get("close_from"))
    return Edits(tasks=edits + ([TaskEdit(item, close_from=close)] if close else []))


def _heading_first(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda entry: entry["kind"] != HEADING)


def amendment_pending_data(amendment: PlanAmendment, *, kind: str, item_id: int | None = None,
                           key: str = "") -> dict[str, Any]:
    """What the working copy holds for one target or task (an existing one by id, one it adds by its key), as the
    services take it, for a form's initial values; {} when it holds nothing for it or what it holds no longer reads."""
    entry = _entry(amendment, key or f"{kind}-{item_id}")
    if entry is None or entry["kind"] != kind:
        return {}
    try:
        return _decode(MODELS[kind], entry.get("data") or {})
    except ValidationError:
        return {}


def amendment_heading_data(amendment: PlanAmendment) -> dict[str, Any]:
    """The heading's fields the working copy changes, as the services take them, for the form's initial values;
    {} when it changes none or what it holds no longer reads."""
    entry = _entry(amendment, HEADING)
    try:
        return _decode(Plan, entry.get("data") or {}) if entry is not None else {}
    except ValidationError:
        return {}


def amendment_added_kind(amendment: PlanAmendment, key: str) -> str | None:
    """"target" or "task" when `key` names an item the working copy adds; None otherwise."""
    entry = _entry(amendment, key)
    return entry["kind"] if entry is not None and entry["id"] is None else None


def _entry(amendment: PlanAmendment, key: str) -> dict[str, Any] | None:
    return next((entry for entry in amendment.edits if entry["key"] == key), None)


# ---------------------------------------------------------------------------------------------------- the trial


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ApplicationError):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return exc.messages
    return [_("This edit clashes with another item of the plan (the same number?).")]


@dataclass(frozen=True, slots=True)
class Trial:
    """The edits tried on the plan as it is now: the lines saying what would change, each refused entry's
    exception by its key, and what would stop the plan being issued as it would stand."""

    lines: list[str]
    refused: dict[str, Exception]
    problems: list[str]


def _trial(*, by, plan: Plan, entries: Iterable[dict[str, Any]]) -> Trial:
    """Every entry applied, each in its own savepoint (the heading first), then everything rolled back: nothing is
    written. New years are checked last, against the targets and tasks as the copy leaves them."""
    refused: dict[str, Exception] = {}
    with transaction.atomic():
        plan = Plan.objects.get(pk=plan.pk)
        before = plan_snapshot(plan)
        heading = False
        for entry in _heading_first(entries):
            try:
                with transaction.atomic():
                    edits = _edits_of(entry, plan=plan)
                    if edits.heading:
                        heading_apply(plan=plan, data=edits.heading)
                        heading = True
                    for edit in edits.targets:
                        _target_apply(edit, plan=plan)
                    for edit in edits.tasks:
                        _task_apply(edit, plan=plan, by=by)
            except (ValidationError, ApplicationError, IntegrityError) as exc:
                refused[entry["key"]] = exc
                if entry["kind"] == HEADING:
                    plan.refresh_from_db()  # its fields were set before the refusal
        if heading:
            try:
                heading_years_check(plan=plan, before=before)
            except ValidationError as exc:
                refused[HEADING] = exc
        lines = snapshot_changes(before, plan_snapshot(plan))
        problems = plan_problems(plan)
        transaction.set_rollback(True)
    return Trial(lines, refused, problems)


# ------------------------------------------------------------------------------------------------------- writes


def _open_one(plan: Plan) -> PlanAmendment | None:
    return plan.amendments.filter(status=PlanAmendment.Status.OPEN).first()


@transaction.atomic
def amendment_open(*, by, plan: Plan) -> PlanAmendment:
    """The plan's working copy: the one already open (shared by everyone who writes the plan), or a new one."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_write(by=by, plan=plan)
    if plan.status != PlanStatus.ISSUED:
        raise ApplicationError(_("A draft is edited directly; only an issued plan is amended."))
    amendment = _open_one(plan)
    if amendment is not None:
        return amendment
    amendment = PlanAmendment(plan=plan, based_on=plan.version, opened_by=by,
                              opened_by_name=by.get_full_name() or by.username)
    amendment.full_clean()
    amendment.save()
    audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=amendment,
                 changes={"plan": [None, plan.key], "based_on": [None, plan.version]})
    return amendment


def _locked(*, by, amendment: PlanAmendment) -> PlanAmendment:
    amendment = PlanAmendment.objects.select_for_update().select_related("plan__issuer").get(pk=amendment.pk)
    _may_write(by=by, plan=amendment.plan)
    if amendment.status != PlanAmendment.Status.OPEN:
        raise ApplicationError(_("This amendment was already applied or discarded; open a new one."))
    return amendment


def _item_key(amendment: PlanAmendment, kind: str, item) -> str:
    if item is not None:
        if item.plan_id != amendment.plan_id:
            raise ApplicationError(_("That item belongs to another plan."))
        return f"{kind}-{item.pk}"
    amendment.added += 1
    return f"{kind}-new-{amendment.added}"


def _put(*, by, amendment: PlanAmendment, kind: str, item, change: dict[str, Any], key: str = "") -> PlanAmendment:
    """Merge one change into the entry for `item` (a new entry for a new item; `key` names an item the copy added),
    try the whole copy on the plan as it is now, and keep it only if this entry is accepted: its refusal is raised as
    the services raise it."""
    amendment = _locked(by=by, amendment=amendment)
    if key and amendment_added_kind(amendment, key) != kind:
        raise ApplicationError(_("This amendment has no such edit."))
    key = key or (HEADING if kind == HEADING else _item_key(amendment, kind, item))
    old = _entry(amendment, key)
    entry = dict(old or {"key": key, "kind": kind, "id": item.pk if item is not None else None, "data": {},
                         "remove": False, "retire_from": None, "close_from": None})
    if change.get("remove"):
        entry.update(remove=True, data={}, retire_from=None, close_from=None)
    else:
        data = change.get("data", {}) if change.get("replace") else {**entry["data"], **change.get("data", {})}
        entry.update(remove=False, data=data,
                     **{name: change[name] for name in ("retire_from", "close_from") if name in change})
    if kind == HEADING:
        entry["data"] = _heading_changed(amendment.plan, entry["data"])
        if not entry["data"] and old is None:
            raise ApplicationError(_("The heading is as issued: there is nothing to keep in the amendment."))
    entries = [e for e in amendment.edits if e["key"] != key]
    if not (entry["remove"] and entry["id"] is None) and not (kind == HEADING and not entry["data"]):
        entries.append(entry)  # removing an item the copy added, or the heading set back as issued, drops the entry
    trial = _trial(by=by, plan=amendment.plan, entries=entries)
    if key in trial.refused:
        raise trial.refused[key]
    amendment.edits = entries
    amendment.save()
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=amendment, changes={key: [old, entry]})
    return amendment


def _heading_changed(plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    """Only the heading's fields that differ from the plan as it is now: a field set back is no edit."""
    current = _encode(Plan, {name: getattr(plan, name) for name in PLAN_FIELDS})
    return {name: value for name, value in data.items() if current.get(name) != value}


@transaction.atomic
def amendment_heading_save(*, by, amendment: PlanAmendment, data: dict[str, Any]) -> PlanAmendment:
    """The plan's heading changed in the working copy (any of number, kind, title, date, years, the plan it
    implements), checked as the amendment will be: a number another issued plan of the issuer carries, a parent
    making a cycle, years leaving a target's stage or a task's due outside them are refused."""
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not part of the heading: {sorted(unknown)}")
    plan = Plan.objects.get(pk=amendment.plan_id)
    return _put(by=by, amendment=amendment, kind=HEADING, item=plan, change={"data": _encode(Plan, data)})


@transaction.atomic
def amendment_target_save(*, by, amendment: PlanAmendment, target: Target | None,
                          data: dict[str, Any]) -> PlanAmendment:
    """A target added (`target` None) or changed in the working copy; checked as `target_save` checks a draft's."""
    return _put(by=by, amendment=amendment, kind="target", item=target, change={"data": _encode(Target, data)})


@transaction.atomic
def amendment_added_save(*, by, amendment: PlanAmendment, key: str, data: dict[str, Any]) -> PlanAmendment:
    """A target or task the working copy adds, written again whole (its form posts every field)."""
    kind = amendment_added_kind(amendment, key) or "target"
    # Replaced whole, not merged: a field emptied on the form is emptied here too.
    return _put(by=by, amendment=amendment, kind=kind, item=None,
                change={"data": _encode(MODELS[kind], data), "replace": True}, key=key)


@transaction.atomic
def amendment_target_remove(*, by, amendment: PlanAmendment, target: Target) -> PlanAmendment:
    """The target removed by the amendment; one with approved figures is refused with the way to retire it."""
    return _put(by=by, amendment=amendment, kind="target", item=target, change={"remove": True})


@transaction.atomic
def amendment_target_retire(*, by, amendment: PlanAmendment, target: Target, from_month: dt.date) -> PlanAmendment:
    return _put(by=by, amendment=amendment, kind="target", item=target,
                change={"retire_from": from_month.replace(day=1).isoformat()})


@transaction.atomic
def amendment_task_save(*, by, amendment: PlanAmendment, task: PlanTask | None,
                        data: dict[str, Any]) -> PlanAmendment:
    return _put(by=by, amendment=amendment, kind="task", item=task, change={"data": _encode(PlanTask, data)})


@transaction.atomic
def amendment_task_remove(*, by, amendment: PlanAmendment, task: PlanTask) -> PlanAmendment:
    """The task removed by the amendment; one with anything recorded against it is refused with the way to close it."""
    return _put(by=by, amendment=amendment, kind="task", item=task, change={"remove": True})


@transaction.atomic
def amendment_task_close(*, by, amendment: PlanAmendment, task: PlanTask, from_day: dt.date) -> PlanAmendment:
    return _put(by=by, amendment=amendment, kind="task", item=task, change={"close_from": from_day.isoformat()})


@transaction.atomic
def amendment_edit_drop(*, by, amendment: PlanAmendment, key: str) -> PlanAmendment:
    """One entry taken back out of the working copy: that target or task stays as issued."""
    amendment = _locked(by=by, amendment=amendment)
    old = _entry(amendment, key)
    if old is None:
        raise ApplicationError(_("This amendment has no such edit."))
    amendment.edits = [entry for entry in amendment.edits if entry["key"] != key]
    amendment.save()
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=amendment, changes={key: [old, None]})
    return amendment


@transaction.atomic
def amendment_discard(*, by, amendment: PlanAmendment) -> PlanAmendment:
    """The working copy given up: the plan stays as issued; the copy is kept, marked discarded, for the record."""
    amendment = _locked(by=by, amendment=amendment)
    amendment.status, amendment.closed_by, amendment.closed_at = PlanAmendment.Status.DISCARDED, by, timezone.now()
    amendment.save()
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=amendment,
                 changes={"status": [PlanAmendment.Status.OPEN, PlanAmendment.Status.DISCARDED],
                          "edits": [len(amendment.edits), None]})
    return amendment


@transaction.atomic
def amendment_apply(*, by, amendment: PlanAmendment, reason: str) -> PlanVersion:
    """Every edit of the working copy applied to the plan as it is now, as one amendment with one reason
    (`plan_amend`: one new version, one audit row naming who). Any refusal leaves the plan and the copy as they
    were; a refused entry is named by its key."""
    amendment = _locked(by=by, amendment=amendment)
    if not amendment.edits:
        raise ApplicationError(_("The amendment changes nothing."))
    heading, target_edits, task_edits = {}, [], []
    for entry in amendment.edits:
        edits = _edits_of(entry, plan=amendment.plan)
        heading.update(edits.heading)
        target_edits += edits.targets
        task_edits += edits.tasks
    version = plan_amend(by=by, plan=amendment.plan, reason=reason, targets=target_edits, tasks=task_edits,
                         data=heading)
    amendment.status, amendment.closed_by, amendment.closed_at = PlanAmendment.Status.APPLIED, by, timezone.now()
    amendment.version = version
    amendment.save()  # recorded by the plan's audit row for the version, which names who and why
    return version


# -------------------------------------------------------------------------------------------------------- reads


@dataclass(frozen=True, slots=True)
class PendingItem:
    """One entry of the working copy as its page lists it."""

    key: str
    kind: str
    label: str
    action: str
    refusal: list[str] = field(default_factory=list)
    added: bool = False  # an item the copy adds: edited on its own page


@dataclass(frozen=True, slots=True)
class AmendmentReview:
    """The working copy against the plan as it is now: what would change, what each entry is, and what stops it."""

    amendment: PlanAmendment
    lines: list[str]
    items: list[PendingItem]
    problems: list[str]
    moved_on: bool  # the plan got a newer version since the copy was opened

    @property
    def may_apply(self) -> bool:
        return bool(self.lines) and not self.problems and not any(item.refusal for item in self.items)


def _item_label(entry: dict[str, Any], items: dict[tuple[str, int], Any]) -> str:
    if entry["kind"] == HEADING:
        return _("The plan's heading")
    item = items.get((entry["kind"], entry["id"]))
    if entry["kind"] == "target":
        if item is None:
            return _("New target: %(clause)s") % {"clause": (entry["data"].get("clause") or "")[:80]}
        return _("Target %(number)s") % {"number": item.position}
    if item is None:
        return _("New task: %(title)s") % {"title": (entry["data"].get("title") or "")[:80]}
    return _("Task %(number)s") % {"number": item.number}


def _item_action(entry: dict[str, Any]) -> str:
    if entry.get("remove"):
        return _("removed")
    if entry["id"] is None and entry["kind"] != HEADING:
        return _("added")
    words = [_("changed")] if entry.get("data") else []
    if entry.get("retire_from"):
        words.append(_("retired from %(month)s") % {"month": f"{_day(entry['retire_from']):%m/%Y}"})
    if entry.get("close_from"):
        words.append(_("closed from %(day)s") % {"day": f"{_day(entry['close_from']):%d/%m/%Y}"})
    return ", ".join(str(word) for word in words)


def amendment_review(*, by, amendment: PlanAmendment) -> AmendmentReview:
    """The difference the working copy would make to the plan as it is now, line by line as the version will say
    it, with each entry's refusal if it has one. Read afresh: another writer may have saved since."""
    amendment = PlanAmendment.objects.select_related("plan__issuer").get(pk=amendment.pk)
    plan = amendment.plan
    trial = _trial(by=by, plan=plan, entries=amendment.edits)
    ids = {kind: [e["id"] for e in amendment.edits if e["kind"] == kind and e["id"]] for kind in MODELS}
    items = {(kind, obj.pk): obj for kind, model in MODELS.items() for obj in model.objects.filter(pk__in=ids[kind])}
    pending = [PendingItem(entry["key"], entry["kind"], _item_label(entry, items), _item_action(entry),
                           _messages(trial.refused[entry["key"]]) if entry["key"] in trial.refused else [],
                           added=entry["id"] is None)
               for entry in _heading_first(amendment.edits)]
    return AmendmentReview(amendment, trial.lines, pending, trial.problems, moved_on=plan.version != amendment.based_on)
