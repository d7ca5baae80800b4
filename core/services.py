import datetime as dt
import json
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from core.exceptions import ApplicationError
from core.formatting import person_name
from core.models import AuditEvent, Conflict, PendingForm
from core.selectors import api_tokens_of


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
# A monthly form is a few kilobytes; anything much larger is not a clerk's typing.
PENDING_FORM_MAX_BYTES = 64 * 1024
PENDING_FORM_MAX_FIELDS = 500
PENDING_FORMS_PER_USER = 5

LAST_USER_COOKIE = "portal_last_user"
_LAST_USER_SALT = "core.pending_form.last_user"
# Re-signed at most this often while the user works, so its age tells how long ago they were last active.
LAST_USER_REFRESH = dt.timedelta(hours=1)


def last_user_marker_make(*, user) -> str:
    """A signed note, kept in the browser beyond the session, of who was logged in there."""
    return signing.dumps(user.pk, salt=_LAST_USER_SALT)


def last_user_marker_read(*, value: str | None, max_age: dt.timedelta | None = None) -> int | None:
    """The user id in a valid marker no older than `max_age` (by default: a session's life and a day)."""
    if not value:
        return None
    if max_age is None:
        max_age = last_user_marker_max_age()
    try:
        user_id = signing.loads(value, salt=_LAST_USER_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def last_user_marker_max_age() -> dt.timedelta:
    """A session that ran out while the user typed ends at most a session's life after their last request."""
    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) + LAST_USER_REFRESH + dt.timedelta(days=1)


@transaction.atomic
def pending_form_stash(*, path: str, data, user_id: int, size: int) -> str | None:
    """Keep what a user posted after their session ran out; the token returns it once, to them, on the same page.

    None when the post is too large to be a form typed by hand: it is then not kept.
    """
    fields = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
    if len(fields) > PENDING_FORM_MAX_FIELDS:
        return None
    # The declared length may be missing (a chunked body): what would be stored is measured as well.
    if max(size, len(json.dumps(fields).encode())) > PENDING_FORM_MAX_BYTES:
        return None
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return None
    PendingForm.objects.filter(created_at__lt=timezone.now() - dt.timedelta(hours=PENDING_FORM_TTL_HOURS)).delete()
    # The newest forms are the ones worth giving back; older ones make room.
    kept = PendingForm.objects.filter(user_id=user_id).order_by("-created_at", "-id")
    old = list(kept.values_list("pk", flat=True)[PENDING_FORMS_PER_USER - 1:])
    if old:
        PendingForm.objects.filter(pk__in=old).delete()
    token = secrets.token_urlsafe(24)
    PendingForm.objects.create(token=token, path=path, data=fields, user_id=user_id)
    return token


@transaction.atomic
def pending_form_take(*, token: str, path: str, user) -> dict | None:
    """The stashed form, once, only to the user who posted it; anyone else's token finds nothing."""
    if not token or not getattr(user, "pk", None):
        return None
    pending = PendingForm.objects.filter(token=token, path=path, user_id=user.pk).first()
    if pending is None:
        return None
    pending.delete()
    return pending.data


# A user with more live tokens than this has lost track of them; revoking old ones comes first.
API_TOKEN_LIMIT = 10


def _token_audit(*, actor, action: str, token) -> None:
    # The token's primary key is its hash (128 characters); the audit names it by the prefix the page shows.
    fields = {"token_key": token.token_key, "expiry": jsonable(token.expiry)}
    created = action == AuditEvent.Action.CREATE
    changes = {name: [None, value] if created else [value, None] for name, value in fields.items()}
    event = audit_event_build(actor=actor, action=action, instance=token, changes=changes)
    event.object_id = token.token_key
    event.object_repr = f"{token.token_key}… ({token.user.get_username()})"
    event.save()


@transaction.atomic
def api_token_create(*, user) -> tuple[Any, str]:
    """A new API token for the user, valid PORTAL_API_TOKEN_TTL_DAYS; the secret is returned once, stored hashed."""
    # Locking the user row makes two simultaneous clicks count against the limit one after the other.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if api_tokens_of(user=user).count() >= API_TOKEN_LIMIT:
        raise ApplicationError(_("You already have %(limit)s API tokens: revoke one you no longer use first.")
                               % {"limit": API_TOKEN_LIMIT})
    token, secret = AuthToken.objects.create(user=user, expiry=dt.timedelta(days=settings.PORTAL_API_TOKEN_TTL_DAYS))
    _token_audit(actor=user, action=AuditEvent.Action.CREATE, token=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, user, token_key: str, by) -> bool:
    """Revokes `user`'s token with this prefix; False when there is none (another user's counts as none).

    `by` is the owner on the token page, or a member of staff revoking it in the administration.
    """
    tokens = list(api_tokens_of(user=user).select_for_update().filter(token_key=token_key))
    for token in tokens:
        _token_audit(actor=by, action=AuditEvent.Action.DELETE, token=token)
        token.delete()
    return bool(tokens)
