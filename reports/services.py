"""The monthly round: a clerk saves and submits, a reviewer returns with a reason or approves."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.files import evidence_kind
from core.formatting import number_format
from core.models import AuditEvent
from core.services import audit_record
from plans.selectors import report_due_on
from reports.models import Evidence, Report, ReportDecision, ReportSubmission, ReportValue
from reports.notices import decision_notify, submission_notify
from reports.selectors import previous_approved_values, report_authors, report_indicators, report_period_refusal
from reports.signals import approved_figures_changed
from targets.models import Flow
from units.access import user_can_enter, user_can_oversee, user_can_review
from units.models import Unit

EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)
VALUE_FIELDS = ("numerator", "denominator", "done", "note")
SELF_REVIEW_REFUSAL = gettext_lazy(
    "You entered figures in or submitted this report, so another reviewer must approve or return it.")


@dataclass(frozen=True)
class ValueInput:
    indicator_id: int
    numerator: int | None = None
    denominator: int | None = None
    done: bool | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    """A file chosen beside an indicator's figures on the form, sent with them."""

    indicator_id: int
    upload: object


def _require_clerk(*, user, unit: Unit) -> None:
    if not user_can_enter(user=user, unit=unit):
        raise ApplicationError(_("You do not enter figures for this unit."))


def _require_reviewer(*, user, unit: Unit) -> None:
    if not user_can_review(user=user, unit=unit):
        raise ApplicationError(_("You do not review this unit's reports."))


def _require_independent(*, user, report: Report) -> None:
    """Separation of duties: whoever put figures in or sent the report does not also judge it."""
    if user.pk in report_authors(report=report):
        raise ApplicationError(str(SELF_REVIEW_REFUSAL))


def _locked(report: Report) -> Report:
    """The report row, locked for the rest of the transaction, so two requests act one after the other."""
    return Report.objects.select_for_update().select_related("unit").get(pk=report.pk)


def _snapshot(values: list[ReportValue]) -> dict:
    return {str(value.indicator_id): {name: getattr(value, name) for name in VALUE_FIELDS} for value in values}


@transaction.atomic
def report_open(*, unit: Unit, period: dt.date, by) -> Report:
    """The unit's report for the month, created as a draft the first time a clerk opens it."""
    _require_clerk(user=by, unit=unit)
    return _open(unit=unit, period=period, by=by)[0]


def report_period_check(*, unit: Unit, period: dt.date) -> None:
    """A report is kept only for a month that has begun and that a plan binding the unit covers."""
    refusal = report_period_refusal(unit=unit, period=period)
    if refusal:
        raise ApplicationError(refusal)


def _open(*, unit: Unit, period: dt.date, by) -> tuple[Report, bool]:
    period = period.replace(day=1)
    # Every way a report comes into being passes here: the form, the API, the imports.
    report_period_check(unit=unit, period=period)
    report, created = Report.objects.get_or_create(
        unit=unit, period=period, defaults={"due_on": report_due_on(unit=unit, period=period)}
    )
    if created:
        audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=report,
                     changes={"status": [None, report.status], "due_on": [None, str(report.due_on)]})
    return report, created


@transaction.atomic
def report_values_save(*, report: Report, by, values: list[ValueInput], version: int) -> Report:
    """Save a draft. Refused as a whole if any value is wrong, or if someone saved since `version`."""
    _require_clerk(user=by, unit=report.unit)
    report = _locked(report)
    return _values_save(report=report, by=by, values=values, version=version,
                        indicators=report_indicators(report=report))[0]


@transaction.atomic
def report_save(*, unit: Unit, period: dt.date, by, values: list[ValueInput], version: int,
                submit: bool = False, evidence: list[EvidenceInput] = ()) -> Report:
    """The monthly form's one call: open the month's report if needed, save the values, attach the files chosen
    beside them, submit if asked. All or nothing: a refused file keeps the figures from being saved alone."""
    _require_clerk(user=by, unit=unit)
    report, created = _open(unit=unit, period=period, by=by)
    if not created:  # a row this transaction has just inserted is invisible to others: nothing to lock
        report = _locked(report)
    indicators = report_indicators(report=report)
    report, saved = _values_save(report=report, by=by, values=values, version=version, indicators=indicators)
    if evidence:
        _evidence_attach_all(report=report, evidence=evidence, by=by, indicators=indicators)
    if submit:
        report = _submit(report=report, by=by, version=report.version, indicators=indicators, values=saved,
                         first=created)
    return report


def _values_save(*, report: Report, by, values: list[ValueInput], version: int,
                 indicators) -> tuple[Report, list[ReportValue]]:
    """Returns the report and all its values after the save."""
    if report.status not in EDITABLE:
        raise ApplicationError(_("This report is %(status)s and can no longer be edited.")
                               % {"status": report.get_status_display().lower()})
    if report.version != version:
        raise ApplicationError(
            _("Someone else saved this report at %(time)s. Your figures were not saved: reload the page, "
              "check their changes and enter yours again.")
            % {"time": timezone.localtime(report.updated_at).strftime("%H:%M %d/%m/%Y")},
            extra={"code": "stale_version", "version": report.version},
        )
    indicators = {indicator.pk: indicator for indicator in indicators}
    previous = previous_approved_values(report=report)
    existing = {value.indicator_id: value for value in report.values.all()}
    errors, changes, to_save = {}, {}, []
    for item in values:
        indicator = indicators.get(item.indicator_id)
        if indicator is None:
            errors[f"indicator-{item.indicator_id}"] = [_("This indicator is not part of this report.")]
            continue
        value = existing.get(indicator.pk) or ReportValue(report=report, indicator=indicator)
        before = {name: getattr(value, name) for name in VALUE_FIELDS} if value.pk else {}
        value.numerator, value.denominator, value.done = item.numerator, item.denominator, item.done
        value.note = (item.note or "").strip()
        try:
            value.full_clean(exclude=["report", "indicator"], validate_unique=False)
            _level_check(value=value, previous=previous.get(indicator.pk))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"{indicator.code}.{name}"] = messages
            continue
        for name in VALUE_FIELDS:
            if before.get(name) != getattr(value, name):
                changes[f"{indicator.code}.{name}"] = [before.get(name), getattr(value, name)]
        to_save.append(value)
    if errors:
        raise ValidationError(errors)
    new = [value for value in to_save if value.pk is None]
    changed = [value for value in to_save if value.pk is not None]
    ReportValue.objects.bulk_create(new)
    if changed:
        ReportValue.objects.bulk_update(changed, list(VALUE_FIELDS))
    # The row is locked: raising the version in memory keeps it exact without reading it back.
    report.updated_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=report.updated_at)
    report.version += 1
    if changes:
        audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=report, changes=changes)
    existing.update({value.indicator_id: value for value in to_save})
    return report, list(existing.values())


def _level_check(*, value: ReportValue, previous: ReportValue | None) -> None:
    """A running total that falls below the last approved month needs a word of explanation.

    The month is the one the form shows as "Last month" (`previous_approved_report`), and the message names it.
    """
    if previous is None or value.indicator.flow != Flow.LEVEL or value.note:
        return
    fell = (
        (value.numerator is not None and previous.numerator is not None and value.numerator < previous.numerator)
        or (value.done is False and previous.done is True)
    )
    if fell:
        figure = number_format(previous.numerator) if previous.numerator is not None else _("Done")
        raise ValidationError({"note": _(
            "This running total is below the figure approved for %(month)s (%(previous)s): add a note explaining "
            "why."
        ) % {"previous": figure, "month": f"{previous.report.period:%m/%Y}"}})


@transaction.atomic
def report_submit(*, report: Report, by, version: int) -> Report:
    """Draft or returned → submitted, once: a second click finds it submitted and changes nothing."""
    _require_clerk(user=by, unit=report.unit)
    report = _locked(report)
    return _submit(report=report, by=by, version=version, indicators=report_indicators(report=report))


def _submit(*, report: Report, by, version: int, indicators, values: list[ReportValue] | None = None,
            first: bool = False) -> Report:
    if report.status == Report.Status.SUBMITTED and report.version == version:
        return report  # the same click arriving twice
    if report.status not in EDITABLE:
        raise ApplicationError(_("This report is %(status)s and cannot be submitted again.")
                               % {"status": report.get_status_display().lower()})
    if report.version != version:
        raise ApplicationError(_("This report changed since you opened it: reload the page before submitting."),
                               extra={"code": "stale_version", "version": report.version})
    values = list(report.values.all()) if values is None else values
    filled = {value.indicator_id for value in values}
    missing = [i.name for i in indicators if i.pk not in filled]
    if missing:
        raise ApplicationError(_("Enter every indicator before submitting; missing: %(names)s.")
                               % {"names": "; ".join(missing)})
    now = timezone.now()
    is_late = report.due_on is not None and timezone.localdate(now) > report.due_on
    number = 1 if first else report.submissions.count() + 1
    ReportSubmission.objects.create(report=report, number=number, submitted_at=now, submitted_by=by,
                                    is_late=is_late, values=_snapshot(values))
    old_status = report.status
    report.status, report.submitted_at = Report.Status.SUBMITTED, now
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=report,
                 changes={"status": [old_status, report.status]},
                 note=_("Submission %(n)s, late") % {"n": number} if is_late else _("Submission %(n)s") % {"n": number})
    submission_notify(report=report, number=number, by=by)
    return report


@transaction.atomic
def report_return(*, report: Report, by, reason: str, value_reasons: dict[str, str] | None = None) -> Report:
    _require_reviewer(user=by, unit=report.unit)
    report = _locked(report)
    _require_independent(user=by, report=report)
    if report.status != Report.Status.SUBMITTED:
        raise ApplicationError(_("Only a submitted report can be returned."))
    reason = (reason or "").strip()
    value_reasons = {code: text.strip() for code, text in (value_reasons or {}).items() if text and text.strip()}
    if not reason and not value_reasons:
        raise ValidationError({"reason": _("Give the reason for returning the report, so the clerk can correct it.")})
    indicators = report_indicators(report=report)
    codes = {indicator.code for indicator in indicators}
    unknown = sorted(set(value_reasons) - codes)
    if unknown:
        raise ValidationError({"value_reasons": _("These indicators are not part of this report: %(codes)s.")
                                                % {"codes": ", ".join(unknown)}})
    if not reason:
        # Every reader of a return (the clerk's form, the e-mail, the API) finds a reason that points to the rest.
        names = [indicator.name for indicator in indicators if indicator.code in value_reasons]
        reason = _("See the reasons beside the indicators: %(names)s.") % {"names": "; ".join(names)}
    return _decide(report=report, by=by, action=ReportDecision.Action.RETURN, status=Report.Status.RETURNED,
                   reason=reason, value_reasons=value_reasons)


@transaction.atomic
def report_approve(*, report: Report, by) -> Report:
    _require_reviewer(user=by, unit=report.unit)
    report = _locked(report)
    _require_independent(user=by, report=report)
    if report.status != Report.Status.SUBMITTED:
        raise ApplicationError(_("Only a submitted report can be approved."))
    report.approved_at = timezone.now()
    report = _decide(report=report, by=by, action=ReportDecision.Action.APPROVE, status=Report.Status.APPROVED)
    approved_figures_changed.send(sender=Report, report=report)
    return report


@transaction.atomic
def report_reopen(*, report: Report, by, reason: str) -> Report:
    _require_reviewer(user=by, unit=report.unit)
    report = _locked(report)
    if report.status != Report.Status.APPROVED:
        raise ApplicationError(_("Only an approved report can be reopened."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for reopening the report.")})
    report.approved_at = None
    report = _decide(report=report, by=by, action=ReportDecision.Action.REOPEN, status=Report.Status.RETURNED,
                     reason=reason.strip())
    approved_figures_changed.send(sender=Report, report=report)
    return report


def _decide(*, report: Report, by, action: str, status: str, reason: str = "",
            value_reasons: dict | None = None) -> Report:
    decision = ReportDecision.objects.create(report=report, action=action, reason=reason,
                                             value_reasons=value_reasons or {}, by=by)
    old_status = report.status
    report.status = status
    report.save(update_fields=["status", "approved_at", "updated_at"])
    changes = {"status": [old_status, status]}
    if value_reasons:
        changes["value_reasons"] = [None, value_reasons]
    audit_record(actor=by, action=AuditEvent.Action.UPDATE, instance=report, changes=changes, note=reason)
    decision_notify(report=report, decision=decision, by=by)
    return report


@dataclass(frozen=True)
class Refusal:
    report: Report
    message: str


@dataclass(frozen=True)
class BulkApproval:
    approved: list[Report]
    refused: list[Refusal]


def reports_approve(*, report_ids: list[int], by, visible) -> BulkApproval:
    """Approve the reports chosen in the queue, each through `report_approve` (its checks, its audit row, its
    notification) and in its own transaction: one refused, for whatever reason, leaves the others approved.

    `visible` is the reports the user may read (reports_visible_to): an id outside it reads as missing.
    Deliberately not atomic as a whole, so that each approval is committed, and announced, on its own.
    """
    found = {report.pk: report for report in visible.filter(pk__in=report_ids)}
    approved, refused = [], []
    for pk in dict.fromkeys(report_ids):
        report = found.get(pk)
        if report is None:
            refused.append(Refusal(Report(pk=pk), _("No such report in your scope.")))
            continue
        try:
            approved.append(report_approve(report=report, by=by))
        except ApplicationError as exc:
            refused.append(Refusal(report, exc.message))
        except ValidationError as exc:
            refused.append(Refusal(report, " ".join(exc.messages)))
    return BulkApproval(approved=approved, refused=refused)


def submission_changes(*, report: Report) -> dict[str, dict[str, list]]:
    """Indicator id → field → [before, now] between the last two submissions."""
    last_two = list(report.submissions.order_by("-number")[:2])
    if len(last_two) < 2:
        return {}
    now, before = last_two[0].values, last_two[1].values
    changes = {}
    for indicator_id in set(now) | set(before):
        old, new = before.get(indicator_id, {}), now.get(indicator_id, {})
        fields = {name: [old.get(name), new.get(name)] for name in VALUE_FIELDS if old.get(name) != new.get(name)}
        if fields:
            changes[indicator_id] = fields
    return changes



def _evidence_attach_all(*, report: Report, evidence: list[EvidenceInput], by, indicators) -> None:
    """Each file onto its indicator; a refusal is reported on that indicator's file ("code.evidence")."""
    codes = {indicator.pk: indicator.code for indicator in indicators}
    attached = []
    try:
        for item in evidence:
            try:
                attached.append(evidence_attach(report=report, indicator_id=item.indicator_id, upload=item.upload,
                                                by=by))
            except ValidationError as exc:
                key = f"{codes.get(item.indicator_id, item.indicator_id)}.evidence"
                raise ValidationError({key: [m for msgs in exc.message_dict.values() for m in msgs]}) from exc
    except Exception:
        for done in attached:  # their rows are rolled back with the save: their files go too
            done.file.delete(save=False)
        raise


@transaction.atomic
def evidence_attach(*, report: Report, indicator_id: int, upload, by) -> Evidence:
    """Attach a file to one value: a real PDF, image or office document (no program, macro or archive inside, a
    name that agrees with its content), within the size limit; stored under a random name of its real kind."""
    _require_clerk(user=by, unit=report.unit)
    report = _locked(report)
    if report.status not in EDITABLE:
        raise ApplicationError(_("This report is %(status)s and can no longer be edited.")
                               % {"status": report.get_status_display().lower()})
    indicator = next((i for i in report_indicators(report=report) if i.pk == indicator_id), None)
    if indicator is None:
        raise ValidationError({"indicator": _("This indicator is not part of this report.")})
    limit = settings.PORTAL_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"file": _("The file is %(size)s MB; files may be at most %(limit)s MB.") % {
            "size": number_format(upload.size / 2**20), "limit": number_format(limit / 2**20)}})
    try:
        kind = evidence_kind(upload)
    except ApplicationError as exc:
        raise ValidationError({"file": exc.message}) from exc
    evidence = Evidence(report=report, indicator=indicator, original_name=upload.name[:255],
                        content_type=kind.content_type, size=upload.size, uploaded_by=by)
    evidence.file.save(upload.name, upload, save=False)
    try:
        evidence.save()
        audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=report,
                     changes={f"{indicator.code}.evidence": [None, evidence.original_name]})
    except Exception:
        evidence.file.delete(save=False)  # no row, no file
        raise
    return evidence


@transaction.atomic
def report_values_import(*, unit: Unit, period: dt.date, values: list[ValueInput], by) -> Report:
    """Figures a reviewer imports for a unit below them (bulk Excel): into the draft, never over a sent report."""
    if not user_can_oversee(user=by, unit=unit):
        raise ApplicationError(_("You do not review this unit's reports."))
    report, created = _open(unit=unit, period=period, by=by)
    if not created:
        report = _locked(report)
    if report.status not in EDITABLE:
        raise ApplicationError(_("the report of %(unit)s for this month is %(status)s and cannot be overwritten.")
                               % {"unit": unit.code, "status": report.get_status_display().lower()})
    return _values_save(report=report, by=by, values=values, version=report.version,
                        indicators=report_indicators(report=report))[0]
