import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core.formatting import person_name
from core.models import AuditEvent, Conflict, PendingForm


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def model_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for each field in `data` whose value differs from the instance's."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [jsonable(old), jsonable(new)]
    return changes


def audit_event_build(
    *, actor, action: str, instance: models.Model, changes: dict | None = None, note: str = ""
) -> AuditEvent:
    actor = actor if getattr(actor, "pk", None) else None
    return AuditEvent(
        actor=actor,
        actor_name=person_name(actor)[:300],
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        note=note,
    )


def audit_record(
    *, actor, action: str, instance: models.Model, changes: dict | None = None, note: str = ""
) -> AuditEvent:
    event = audit_event_build(actor=actor, action=action, instance=instance, changes=changes, note=note)
    event.save()
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(list(events), batch_size=1000)


def instance_fields(instance: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    """The [None, value] changes of a newly created object, for its audit row."""
    return {field: [None, jsonable(getattr(instance, field))] for field in fields}


@transaction.atomic
def conflict_resolve(*, obj: models.Model, by) -> models.Model:
    """A person has read the document's contradiction and settled it; the flag stays in the history."""
    if obj.conflict_status != Conflict.OPEN:
        return obj
    changes = {"conflict_status": [obj.conflict_status, Conflict.RESOLVED]}
    obj.conflict_status = Conflict.RESOLVED
    obj.save(update_fields=["conflict_status"])
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=obj, changes=changes)
    return obj


PENDING_FORM_TTL_HOURS = 48


def pending_form_stash(*, path: str, data) -> str:
    """Keep what was posted without a session; the token returns it once, to the same page."""
    PendingForm.objects.filter(created_at__lt=timezone.now() - dt.timedelta(hours=PENDING_FORM_TTL_HOURS)).delete()
    token = secrets.token_urlsafe(24)
    fields = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
    PendingForm.objects.create(token=token, path=path, data=fields)
    return token


def pending_form_take(*, token: str, path: str) -> dict | None:
    pending = PendingForm.objects.filter(token=token, path=path).first()
    if pending is None:
        return None
    pending.delete()
    return pending.data
