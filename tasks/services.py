"""Task progress: the lead unit reports and submits its product, cooperating units add their part, the
accepting unit accepts or returns it. Every write audited; whoever reported does not also judge."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.files import evidence_kind
from core.formatting import date_format, number_format
from core.models import AuditEvent
from core.services import audit_record
from plans.models import PlanTask
from tasks.models import ProductFile, ProgressNote, TaskClosure, TaskDecision, TaskRecord, TaskSubmission
from tasks.selectors import accepting_unit_of, occurrence_of, record_authors
from tasks.status import State
from units.access import user_can_enter, user_can_review

EDITABLE = (State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED)


@dataclass(frozen=True)
class ProductInput:
    """The product as the lead unit describes it: a link, or a document's number, date and summary."""

    link: str = ""
    document_number: str = ""
    document_date: dt.date | None = None
    document_summary: str = ""


def _record(*, task: PlanTask, period: str, by) -> TaskRecord:
    """The occurrence's record, created the first time someone acts on it, locked for the transaction."""
    try:
        occurrence = occurrence_of(task=task, period=period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    record, created = TaskRecord.objects.get_or_create(task=task, period=occurrence.period,
                                                       defaults={"due_on": occurrence.due_on})
    if created:
        audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=record,
                     changes={"state": [None, record.state], "due_on": [None, str(record.due_on)]})
        return record
    return TaskRecord.objects.select_for_update().select_related("task__plan").get(pk=record.pk)


def _check_version(record: TaskRecord, version: int | None) -> None:
    if version is not None and record.version != version:
        raise ApplicationError(
            _("Someone else updated this task at %(time)s. Nothing was saved: reload the page and try again.")
            % {"time": timezone.localtime(record.updated_at).strftime("%H:%M %d/%m/%Y")},
            extra={"code": "stale_version", "version": record.version})


def _bump(record: TaskRecord) -> None:
    record.updated_at = timezone.now()
    TaskRecord.objects.filter(pk=record.pk).update(version=F("version") + 1, updated_at=record.updated_at)
    record.version += 1


def _not_accepted(record: TaskRecord) -> None:
    if record.state == State.ACCEPTED:
        raise ApplicationError(_("This task's product has been accepted: nothing more can be reported on it."))


def _date_in_plan(*, task: PlanTask, day: dt.date, field: str) -> None:
    start = dt.date(task.plan.year_start, 1, 1)
    if day < start:
        raise ValidationError({field: _("%(day)s is before the plan's start (%(start)s).") % {
            "day": date_format(day), "start": date_format(start)}})
    if day > timezone.localdate():
        raise ValidationError({field: _("%(day)s is in the future.") % {"day": date_format(day)}})


@transaction.atomic
def task_progress_record(*, task: PlanTask, by, on: dt.date, text: str, obstacles: str = "", proposals: str = "",
                         period: str = "", version: int | None = None) -> TaskRecord:
    """A dated progress note: the lead unit's (the task is then in progress) or a cooperating unit's part."""
    if task.lead_unit is not None and user_can_enter(user=by, unit=task.lead_unit):
        unit, role = task.lead_unit, ProgressNote.Role.LEAD
    else:
        unit = next((u for u in task.cooperating_units.all() if user_can_enter(user=by, unit=u)), None)
        role = ProgressNote.Role.COOPERATING
        if unit is None:
            raise ApplicationError(_("Only the lead unit and the cooperating units report progress on this task."))
    record = _record(task=task, period=period, by=by)
    _not_accepted(record)
    _check_version(record, version)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    _date_in_plan(task=task, day=on, field="on")
    note = ProgressNote(record=record, unit=unit, role=role, on=on, text=text, obstacles=(obstacles or "").strip(),
                        proposals=(proposals or "").strip(), by=by)
    note.full_clean(exclude=["record", "unit"])
    note.save()
    changes = {"progress": [None, text]}
    if role == ProgressNote.Role.LEAD and record.state in (State.NOT_STARTED, State.RETURNED):
        changes["state"] = [record.state, State.IN_PROGRESS]
        record.state = State.IN_PROGRESS
        record.save(update_fields=["state", "updated_at"])
    _bump(record)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=record, changes=changes,
                 note=_("%(unit)s, %(day)s") % {"unit": unit.name, "day": date_format(on)})
    return record


def _require_lead(*, task: PlanTask, by) -> None:
    if task.lead_unit is None or not user_can_enter(user=by, unit=task.lead_unit):
        raise ApplicationError(_("Only the lead unit's clerks report this task's product."))


@transaction.atomic
def task_product_attach(*, task: PlanTask, by, upload, period: str = "") -> ProductFile:
    """A file of the product, checked like report evidence: its real kind, its name, its size."""
    _require_lead(task=task, by=by)
    record = _record(task=task, period=period, by=by)
    if record.state not in EDITABLE:
        raise ApplicationError(_("The product was submitted: files can be added once it is returned."))
    limit = settings.PORTAL_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"file": _("The file is %(size)s MB; files may be at most %(limit)s MB.") % {
            "size": number_format(upload.size / 2**20), "limit": number_format(limit / 2**20)}})
    try:
        kind = evidence_kind(upload)
    except ApplicationError as exc:
        raise ValidationError({"file": exc.message}) from exc
    product = ProductFile(record=record, original_name=upload.name[:255], content_type=kind.content_type,
                          size=upload.size, uploaded_by=by)
    product.file.save(upload.name, upload, save=False)
    try:
        product.save()
        _bump(record)
        audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=record,
                     changes={"product_file": [None, product.original_name]})
    except Exception:
        product.file.delete(save=False)  # no row, no file
        raise
    return product


def _product_set(*, record: TaskRecord, product: ProductInput) -> dict:
    changes, errors = {}, {}
    link = (product.link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("Enter a web address starting with http:// or https://.")
    if product.document_date:
        try:
            _date_in_plan(task=record.task, day=product.document_date, field="document_date")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if (product.document_date or (product.document_summary or "").strip()) and not (
            product.document_number or "").strip():
        errors["document_number"] = _("Give the document's number with its date and summary.")
    if errors:
        raise ValidationError(errors)
    wanted = {"product_link": link, "document_number": (product.document_number or "").strip(),
              "document_date": product.document_date, "document_summary": (product.document_summary or "").strip()}
    for name, value in wanted.items():
        if getattr(record, name) != value:
            changes[name] = [str(getattr(record, name) or ""), str(value or "")]
            setattr(record, name, value)
    return changes


@transaction.atomic
def task_submit(*, task: PlanTask, by, product: ProductInput, period: str = "",
                version: int | None = None) -> TaskRecord:
    """The lead unit reports the task done with its product (a file, a link or a document); done today."""
    _require_lead(task=task, by=by)
    record = _record(task=task, period=period, by=by)
    _not_accepted(record)
    if record.state == State.SUBMITTED:
        raise ApplicationError(_("The product was already submitted and awaits the accepting unit."))
    _check_version(record, version)
    changes = _product_set(record=record, product=product)
    if not (record.product_link or record.document_number or record.files.exists()):
        raise ValidationError({"product": _("Attach the product: a file, a link, or a document's number, date "
                                            "and summary.")})
    now = timezone.now()
    record.done_on = timezone.localdate(now)
    is_late = record.due_on is not None and record.done_on > record.due_on
    number = record.submissions.count() + 1
    TaskSubmission.objects.create(record=record, number=number, submitted_at=now, submitted_by=by, is_late=is_late,
                                  product={"link": record.product_link, "document_number": record.document_number,
                                           "document_date": str(record.document_date or ""),
                                           "document_summary": record.document_summary,
                                           "files": [f.original_name for f in record.files.all()]})
    changes["state"] = [record.state, State.SUBMITTED]
    record.state, record.submitted_at = State.SUBMITTED, now
    record.full_clean(exclude=["task"], validate_unique=False)
    record.save()
    _bump(record)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=record, changes=changes,
                 note=_("Submission %(n)s, late") % {"n": number} if is_late else _("Submission %(n)s") % {"n": number})
    return record


def _acceptors_record(*, task: PlanTask, by, period: str) -> TaskRecord:
    """The occurrence's record, locked, for a decision by the accepting unit (refused to anyone else first)."""
    unit = accepting_unit_of(task)
    if not user_can_review(user=by, unit=unit):
        raise ApplicationError(_("Only the accepting unit (%(unit)s) accepts or returns this task's product.")
                               % {"unit": unit.name})
    record = _locked_existing(task=task, period=period)
    _require_independent(record=record, by=by)
    return record


def _require_independent(*, record: TaskRecord, by) -> None:
    if by.pk in record_authors(record=record):
        raise ApplicationError(_("You reported on or submitted this task, so someone else of the accepting unit "
                                 "must accept or return it."))
    if record.state != State.SUBMITTED:
        raise ApplicationError(_("Only a submitted product can be accepted or returned."))


def _locked_existing(*, task: PlanTask, period: str) -> TaskRecord:
    record = (TaskRecord.objects.select_for_update().select_related("task__plan")
              .filter(task=task, period=period).first())
    if record is None:
        raise ApplicationError(_("Only a submitted product can be accepted or returned."))
    return record


@transaction.atomic
def task_accept(*, task: PlanTask, by, period: str = "") -> TaskRecord:
    """The accepting unit accepts the product: the task is done, on time or late as its submission date says."""
    record = _acceptors_record(task=task, by=by, period=period)
    TaskDecision.objects.create(record=record, action=TaskDecision.Action.ACCEPT, by=by)
    record.state, record.accepted_at = State.ACCEPTED, timezone.now()
    record.save(update_fields=["state", "accepted_at", "updated_at"])
    _bump(record)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=record,
                 changes={"state": [State.SUBMITTED, State.ACCEPTED]})
    return record


@transaction.atomic
def task_return(*, task: PlanTask, by, reason: str, period: str = "") -> TaskRecord:
    """The accepting unit returns the product with a reason; the task is not done until submitted again."""
    record = _acceptors_record(task=task, by=by, period=period)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the product, so the lead unit can "
                                           "complete it.")})
    TaskDecision.objects.create(record=record, action=TaskDecision.Action.RETURN, reason=reason, by=by)
    record.state, record.done_on, record.submitted_at = State.RETURNED, None, None
    record.save(update_fields=["state", "done_on", "submitted_at", "updated_at"])
    _bump(record)
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=record,
                 changes={"state": [State.SUBMITTED, State.RETURNED]}, note=reason)
    return record


def task_close(*, task: PlanTask, closed_from: dt.date, by) -> TaskClosure:
    """Close a task from a day on (part of a plan's amendment, which keeps the version and the audit row saying who
    and why): it leaves the board, the counts and the reminders from that day; its records stay."""
    closure, _created = TaskClosure.objects.update_or_create(
        task=task, defaults={"closed_from": closed_from, "closed_by": by if getattr(by, "pk", None) else None})
    return closure
