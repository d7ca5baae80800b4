from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AuditEvent, Conflict
from core.seeds import SeedFileError, require, seed_decimal, seed_yaml_read
from core.services import audit_event_build, audit_record, audit_record_many, instance_fields, model_changes
from targets.models import Indicator, IndicatorGroup, Target

INDICATORS_SEED_PATH = Path(__file__).resolve().parent / "seeds" / "indicators.yaml"
GROUP_FIELDS = ("name", "order")
INDICATOR_FIELDS = (
    "name", "group", "measure", "flow", "rollup", "unit_threshold",
    "numerator_label", "denominator_label", "description",
)


@dataclass
class CatalogueLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators: dict[str, Indicator] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def _full_clean(instance, *, path: Path, entry: str, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise SeedFileError(path, " ".join(messages), entry=entry, field=name) from exc


def seed_upsert(model, *, lookup: dict, data: dict, by, path: Path, result, events: list):
    """Create or update one seeded object; an audit row only when something changed."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **data)
        events.append(audit_event_build(
            actor=by, action=AuditEvent.Action.LOAD, instance=instance,
            changes=instance_fields(instance, [*lookup, *data]), note=path.name,
        ))
        result.created += 1
        return instance
    changes = model_changes(instance, data)
    if changes:
        for name, value in data.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(changes))
        events.append(audit_event_build(
            actor=by, action=AuditEvent.Action.LOAD, instance=instance, changes=changes, note=path.name
        ))
        result.updated += 1
    else:
        result.unchanged += 1
    return instance


def indicators_seed_load(*, path: Path = INDICATORS_SEED_PATH, by=None) -> CatalogueLoadResult:
    """The shared indicator catalogue; every entry is checked before anything is written."""
    document = seed_yaml_read(path)
    if not isinstance(document, dict):
        raise SeedFileError(path, _("the file must have “groups” and “indicators”."))
    groups = require(document, "groups", path=path, entry="groups", kind=list)
    indicators = require(document, "indicators", path=path, entry="indicators", kind=list)

    group_rows, group_codes = [], set()
    for index, entry in enumerate(groups, start=1):
        code = require(entry, "code", path=path, entry=f"groups[{index}]")
        row = {"code": code, "name": require(entry, "name", path=path, entry=code), "order": entry.get("order", index)}
        _full_clean(IndicatorGroup(**row), path=path, entry=code)
        group_rows.append(row)
        group_codes.add(code)

    indicator_rows, seen = [], set()
    for index, entry in enumerate(indicators, start=1):
        code = require(entry, "code", path=path, entry=f"indicators[{index}]")
        if code in seen:
            raise SeedFileError(path, _("this code appears twice in the file."), entry=code, field="code")
        seen.add(code)
        group_code = require(entry, "group", path=path, entry=code)
        if group_code not in group_codes:
            raise SeedFileError(path, _("unknown indicator group."), entry=code, field="group")
        row = {
            "code": code,
            "name": require(entry, "name", path=path, entry=code),
            "measure": require(entry, "measure", path=path, entry=code),
            "flow": entry.get("kind") or entry.get("flow") or "level",
            "rollup": require(entry, "rollup", path=path, entry=code),
            "unit_threshold": seed_decimal(entry.get("unit_threshold"), path=path, entry=code, field="unit_threshold"),
            "numerator_label": entry.get("numerator_label") or "",
            "denominator_label": entry.get("denominator_label") or "",
            "description": entry.get("description") or "",
        }
        _full_clean(Indicator(**row), path=path, entry=code, exclude=["group"])
        indicator_rows.append((group_code, row))

    result, events = CatalogueLoadResult(), []
    with transaction.atomic():
        saved_groups = {}
        for row in group_rows:
            saved_groups[row["code"]] = seed_upsert(
                IndicatorGroup, lookup={"code": row["code"]}, data={k: row[k] for k in GROUP_FIELDS},
                by=by, path=path, result=result, events=events,
            )
        for group_code, row in indicator_rows:
            data = {k: row[k] for k in INDICATOR_FIELDS if k != "group"}
            data["group"] = saved_groups[group_code]
            result.indicators[row["code"]] = seed_upsert(
                Indicator, lookup={"code": row["code"]}, data=data, by=by, path=path, result=result, events=events,
            )
        audit_record_many(events)
    return result


def target_rivals(*, target: Target) -> list[Target]:
    """The targets of the same plan that contradict this one: same indicator and scope, conflict still open, and not
    an earlier or later stage of its series (a stage with another deadline is no contradiction)."""
    rivals = Target.objects.filter(
        plan_id=target.plan_id, indicator_id=target.indicator_id, scope_unit_id=target.scope_unit_id,
        counts=target.counts, conflict_status=Conflict.OPEN, superseded_by__isnull=True,
    ).exclude(pk=target.pk).order_by("position")
    return [rival for rival in rivals
            if not (target.series and rival.series == target.series and rival.due_on != target.due_on)]


@transaction.atomic
def target_conflict_resolve(*, holds: Target, by) -> list[Target]:
    """A person settles a contradiction in favour of `holds`: its rivals give way to it and bind no one; all of them
    are marked resolved. Each change is audited. Returns the targets that gave way."""
    holds = Target.objects.select_for_update().get(pk=holds.pk)
    if holds.superseded_by_id:
        raise ValidationError(_("This target already gives way to another; resolve in favour of that one."))
    rivals = target_rivals(target=holds)
    for rival in rivals:
        changes = {"conflict_status": [rival.conflict_status, Conflict.RESOLVED],
                   "superseded_by": [None, str(holds)]}
        rival.conflict_status, rival.superseded_by = Conflict.RESOLVED, holds
        rival.full_clean()
        rival.save(update_fields=["conflict_status", "superseded_by"])
        audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=rival, changes=changes,
                     note=_("Gives way to target %(n)s of the plan.") % {"n": holds.position})
    if holds.conflict_status == Conflict.OPEN:
        holds.conflict_status = Conflict.RESOLVED
        holds.save(update_fields=["conflict_status"])
        audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=holds,
                     changes={"conflict_status": [Conflict.OPEN, Conflict.RESOLVED]},
                     note=_("Holds: the conflicting targets give way to it."))
    return rivals
