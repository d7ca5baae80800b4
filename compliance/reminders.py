"""Reminders before and after the due date, each sent once per unit, month and kind."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import ComplianceRun, Reminder, ReportingResult
from core.exceptions import ApplicationError
from core.formatting import date_format
from core.models import AuditEvent
from core.services import audit_record
from notifications.models import Notification
from notifications.selectors import users_by_ids, users_wanting_email
from notifications.services import notify
from reports.models import Report
from units.access import user_can_oversee
from units.models import Membership, Unit


@dataclass
class ReminderPass:
    sent: int = 0
    skipped: int = 0


def _people(*, unit: Unit, role: str) -> list:
    return users_by_ids(Membership.objects.filter(unit=unit, role=role).values_list("user_id", flat=True))


def _recipients(*, unit: Unit, role: str) -> list[str]:
    """The e-mail addresses of the unit's people in the role, less those who turned e-mail off."""
    return sorted({user.email for user in users_wanting_email(users=_people(unit=unit, role=role))})


def _send_once(*, unit: Unit, period: dt.date, kind: str, recipients: list[str], subject: str, body: str,
               by=None, audience: Unit | None = None, role: str = Membership.Role.CLERK) -> bool:
    """Record the reminder first, under its unique key; only the run that recorded it sends it.

    Each person in `role` of the unit (or of `audience`, the unit above for an escalation) is also told under the
    bell (notifications), once per reminder; the e-mail goes to `recipients`, the addresses of those who did not
    turn e-mail off."""
    people = _people(unit=audience or unit, role=role)
    if not recipients and not people:
        return False
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(unit=unit, period=period, kind=kind, recipients=recipients)
            audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=reminder,
                         changes={"kind": [None, kind], "recipients": [None, recipients]})
            url = reverse("reports:form", args=[unit.code, period]) if role == Membership.Role.CLERK else ""
            notify(recipients=people, key=f"reminder:{reminder.pk}", kind=Notification.Kind.REMINDER,
                   title=subject, body=body, url=url, email=False)
            if recipients:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False  # already sent by an earlier run
    return True


def _expected(*, period: dt.date):
    """The month's expected units and due dates, from its current computation (computed now if there is none)."""
    from compliance.services import compliance_compute

    run = ComplianceRun.objects.filter(period=period, is_current=True).first() or compliance_compute(period=period)
    if run is None:
        # The month's first computation is still running: the daily task retries rather than send nobody a thing.
        raise RuntimeError(f"compliance for {period:%Y-%m} is still being computed")
    return (ReportingResult.objects.filter(run=run).exclude(own=ReportingResult.Own.NOT_EXPECTED)
            .select_related("unit").order_by("unit__path"))


def reminders_send(*, period: dt.date, today: dt.date | None = None, days_before: int | None = None,
                   escalate_after: int | None = None) -> ReminderPass:
    """The daily pass for one month's reports: clerks N days before and the day after the due date,
    the reviewers above M days after it. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    days_before = settings.PORTAL_REMIND_DAYS_BEFORE if days_before is None else days_before
    escalate_after = settings.PORTAL_ESCALATE_DAYS_AFTER if escalate_after is None else escalate_after
    submitted = set(Report.objects.filter(period=period, submitted_at__isnull=False)
                    .exclude(status=Report.Status.DRAFT).values_list("unit_id", flat=True))
    result = ReminderPass()
    month = period.strftime("%m/%Y")
    for row in _expected(period=period):
        unit, due = row.unit, row.due_on
        if unit.pk in submitted:
            continue
        words = {"unit": unit.name, "month": month, "due": date_format(due)}
        if due - dt.timedelta(days=days_before) <= today <= due:
            sent = _send_once(
                unit=unit, period=period, kind=Reminder.Kind.BEFORE_DUE,
                recipients=_recipients(unit=unit, role=Membership.Role.CLERK),
                subject=_("Reminder: the %(month)s report of %(unit)s is due by %(due)s") % words,
                body=_("The monthly digital-transformation report of %(unit)s for %(month)s is due by %(due)s. "
                       "Please enter and submit the figures on the portal.") % words)
        elif today > due:
            sent = _send_once(
                unit=unit, period=period, kind=Reminder.Kind.AFTER_DUE,
                recipients=_recipients(unit=unit, role=Membership.Role.CLERK),
                subject=_("Overdue: the %(month)s report of %(unit)s was due by %(due)s") % words,
                body=_("The monthly digital-transformation report of %(unit)s for %(month)s was due by %(due)s "
                       "and has not been submitted. Please submit it on the portal as soon as possible.") % words)
            if today >= due + dt.timedelta(days=escalate_after):
                parent = Unit.objects.get_parent(unit)
                sent = parent is not None and _send_once(
                    unit=unit, period=period, kind=Reminder.Kind.ESCALATION, audience=parent,
                    role=Membership.Role.REVIEWER,
                    recipients=_recipients(unit=parent, role=Membership.Role.REVIEWER),
                    subject=_("%(unit)s has not submitted its %(month)s report") % words,
                    body=_("%(unit)s has still not submitted its monthly report for %(month)s, due by %(due)s.")
                    % words) or sent
        else:
            sent = False
        result.sent += int(bool(sent))
        result.skipped += int(not sent)
    return result


def reminder_send_now(*, unit: Unit, period: dt.date, by) -> int:
    """A reviewer's reminder from the dashboard: the same message and record as the daily pass's."""
    if not user_can_oversee(user=by, unit=unit):
        raise ApplicationError(_("You do not review this unit's reports."))
    recipients = _recipients(unit=unit, role=Membership.Role.CLERK)
    if not recipients:
        raise ApplicationError(_("%(unit)s has no clerk with an e-mail address.") % {"unit": unit.name})
    row = ReportingResult.objects.filter(run__period=period, run__is_current=True, unit=unit).first()
    words = {"unit": unit.name, "month": period.strftime("%m/%Y"),
             "due": date_format(row.due_on) if row and row.due_on else "—"}
    _send_once(unit=unit, period=period, kind=Reminder.Kind.MANUAL, recipients=recipients, by=by,
               subject=_("Overdue: the %(month)s report of %(unit)s was due by %(due)s") % words,
               body=_("The monthly digital-transformation report of %(unit)s for %(month)s was due by %(due)s "
                      "and has not been submitted. Please submit it on the portal as soon as possible.") % words)
    return len(recipients)
