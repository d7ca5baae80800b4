import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.seeds import SeedFileError, require, seed_yaml_read
from core.services import audit_event_build, audit_record, audit_record_many, instance_fields, model_changes
from units.models import Unit, UnitKind
from units.selectors import NATIONAL_ROOT_CODE

UNIT_FIELDS = ("code", "name", "kind", "opened_on", "closed_on")
UNITS_SEED_DIR = Path(__file__).resolve().parent / "seeds"


@dataclass
class UnitLoadResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    units: dict[str, Unit] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.moved


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    by,
    opened_on: dt.date | None = None,
    closed_on: dt.date | None = None,
) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, opened_on=opened_on, closed_on=closed_on)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        unit = Unit.objects.add_root(instance=unit)
    else:
        unit = Unit.objects.add_child(parent, instance=unit)
    audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=unit, changes=instance_fields(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by, **data) -> Unit:
    changes = model_changes(unit, data)
    if not changes:
        return unit
    for name, value in data.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save(update_fields=list(changes))
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, parent: Unit, by) -> Unit:
    if parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own units."))
    old_parent = Unit.objects.get_parent(unit)
    Unit.objects.move(unit, parent, "last-child")
    unit.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=unit,
        changes={"parent": [old_parent.code if old_parent else None, parent.code]},
    )
    return unit


def unit_national_root_ensure(*, by=None) -> Unit:
    root = Unit.objects.filter(code=NATIONAL_ROOT_CODE).first()
    if root is None:
        root = unit_create(code=NATIONAL_ROOT_CODE, name=_("Central Party"), kind=UnitKind.NATIONAL, parent=None, by=by)
    return root


def unit_entries_parse(path: Path, entries) -> list[dict]:
    """Check every entry of a unit seed file before anything is written."""
    if not isinstance(entries, list):
        raise SeedFileError(path, _("the file must be a list of units."))
    parsed, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        label = str(entry.get("code") or index) if isinstance(entry, dict) else str(index)
        code = require(entry, "code", path=path, entry=label)
        data = {
            "code": code,
            "name": require(entry, "name", path=path, entry=label),
            "kind": require(entry, "kind", path=path, entry=label),
            "parent": require(entry, "parent", path=path, entry=label),
            "opened_on": entry.get("opened_on"),
            "closed_on": entry.get("closed_on"),
        }
        for date_field in ("opened_on", "closed_on"):
            if data[date_field] is not None and not isinstance(data[date_field], dt.date):
                raise SeedFileError(path, _("write the date as YYYY-MM-DD."), entry=label, field=date_field)
        if code in seen:
            raise SeedFileError(path, _("this code appears twice in the file."), entry=label, field="code")
        seen.add(code)
        candidate = Unit(**{k: v for k, v in data.items() if k != "parent"})
        try:
            candidate.full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
        except ValidationError as exc:
            first_field, messages = next(iter(exc.message_dict.items()))
            raise SeedFileError(path, " ".join(messages), entry=label, field=first_field) from exc
        parsed.append(data)
    return parsed


def units_seed_load(*, path: Path, by=None) -> UnitLoadResult:
    """Create or update the units of one seed file; all of the file, or nothing of it."""
    entries = unit_entries_parse(path, seed_yaml_read(path))
    with transaction.atomic():
        return unit_entries_upsert(entries=entries, by=by, path=path)


def unit_entries_upsert(*, entries: list[dict], by, path: Path) -> UnitLoadResult:
    result = UnitLoadResult()
    codes = {entry["code"] for entry in entries} | {entry["parent"] for entry in entries}
    known = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    if NATIONAL_ROOT_CODE in codes and NATIONAL_ROOT_CODE not in known:
        known[NATIONAL_ROOT_CODE] = unit_national_root_ensure(by=by)
    events = []
    for entry in entries:
        parent = known.get(entry["parent"])
        if parent is None:
            raise SeedFileError(
                path, _("the parent unit %(code)s does not exist.") % {"code": entry["parent"]},
                entry=entry["code"], field="parent",
            )
        data = {name: entry[name] for name in UNIT_FIELDS}
        unit = known.get(entry["code"])
        if unit is None:
            unit = Unit.objects.add_child(parent, instance=Unit(**data))
            events.append(audit_event_build(
                actor=by, action=AuditEvent.Action.LOAD, instance=unit,
                changes=instance_fields(unit, UNIT_FIELDS), note=path.name,
            ))
            known[unit.code] = unit
            result.created += 1
        else:
            changes = model_changes(unit, data)
            if changes:
                for name, value in data.items():
                    setattr(unit, name, value)
                unit.save(update_fields=list(changes))
                events.append(audit_event_build(
                    actor=by, action=AuditEvent.Action.LOAD, instance=unit, changes=changes, note=path.name,
                ))
                result.updated += 1
            if not unit.path.startswith(parent.path) or unit.depth != parent.depth + 1:
                unit_move(unit=unit, parent=parent, by=by)
                result.moved += 1
                # A move rewrites the paths of the whole branch: reread what we hold.
                known = {u.code: u for u in Unit.objects.filter(code__in=codes)}
                unit = known[entry["code"]]
            elif not changes:
                result.unchanged += 1
        result.units[unit.code] = unit
    audit_record_many(events)
    return result


def units_seed_load_all(*, by=None) -> dict[str, UnitLoadResult]:
    unit_national_root_ensure(by=by)
    return {path.name: units_seed_load(path=path, by=by) for path in sorted(UNITS_SEED_DIR.glob("*.yaml"))}
