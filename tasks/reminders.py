"""Reminders about task deadlines: the lead unit when the task becomes at risk and after the deadline, the
accepting unit when it is still not done some days later; each once per deadline, however often the pass runs."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import date_format
from core.models import AuditEvent
from core.outbox import enqueue_after_commit
from core.services import audit_record
from notifications.models import Notification
from notifications.services import notify
from plans.models import PlanStatus, PlanTask
from tasks.models import TaskReminder
from tasks.selectors import accepting_unit_of, task_rows, tasks_open_on
from tasks.status import Status
from units.models import Membership, Unit


@dataclass
class TaskReminderPass:
    sent: int = 0
    skipped: int = 0


def _recipients(*, unit: Unit | None, role: str) -> list[str]:
    if unit is None:
        return []
    return sorted(set(Membership.objects.filter(unit=unit, role=role).exclude(user__email="")
                      .values_list("user__email", flat=True)))


def task_notice_send(reminder: TaskReminder) -> None:
    """The one place a task notice leaves the portal: under the bell of each person it goes to, and by e-mail
    after commit (the reminder's own e-mail, so the bell does not send a second one)."""
    people = get_user_model().objects.filter(is_active=True, email__in=reminder.recipients)
    notify(recipients=people, key=f"task-reminder:{reminder.pk}", kind=Notification.Kind.REMINDER,
           title=reminder.subject, body=reminder.body, url=reverse("tasks:detail", args=[reminder.task_id]),
           email=False)
    enqueue_after_commit("tasks.tasks.send_task_reminder", reminder.pk)


def _send_once(*, task: PlanTask, due_on: dt.date, kind: str, recipients: list[str], subject: str,
               body: str) -> bool:
    if not recipients:
        return False
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(task=task, due_on=due_on, kind=kind, recipients=recipients,
                                                   subject=subject[:300], body=body)
            audit_record(actor=None, action=AuditEvent.Action.CREATE, instance=reminder,
                         changes={"kind": [None, kind], "recipients": [None, recipients]})
            task_notice_send(reminder)
    except IntegrityError:
        return False  # already sent by an earlier pass
    return True


def task_reminders_send(*, today: dt.date | None = None, escalate_after: int | None = None) -> TaskReminderPass:
    """The daily pass over every task with a deadline that is not reported done nor closed."""
    today = today or timezone.localdate()
    escalate_after = settings.PORTAL_ESCALATE_DAYS_AFTER if escalate_after is None else escalate_after
    tasks = (tasks_open_on(PlanTask.objects.exclude(lead_unit=None), today)
             .select_related("plan__issuer", "lead_unit", "accepting_unit")
             .filter(plan__status=PlanStatus.ISSUED, plan__year_end__gte=today.year - 1))
    result = TaskReminderPass()
    for row in task_rows(tasks=tasks, today=today):
        due, task = row.occurrence.due_on, row.task
        if due is None or row.status.is_done:
            continue
        words = {"task": task.title[:120], "unit": task.lead_unit.name, "due": date_format(due),
                 "reason": row.status.reason}
        sent = False
        clerks = _recipients(unit=task.lead_unit, role=Membership.Role.CLERK)
        if row.status.code == Status.AT_RISK:
            sent = _send_once(task=task, due_on=due, kind=TaskReminder.Kind.BEFORE_DUE, recipients=clerks,
                              subject=_("Reminder: the task “%(task)s” is due by %(due)s") % words,
                              body=_("%(unit)s leads the task “%(task)s”, due by %(due)s. %(reason)s Please report "
                                     "its progress and submit its product on the portal.") % words)
        elif row.status.code == Status.OVERDUE:
            sent = _send_once(task=task, due_on=due, kind=TaskReminder.Kind.AFTER_DUE, recipients=clerks,
                              subject=_("Overdue: the task “%(task)s” was due by %(due)s") % words,
                              body=_("%(unit)s leads the task “%(task)s”, due by %(due)s. %(reason)s Please submit "
                                     "its product or report the obstacles on the portal.") % words)
            if today >= due + dt.timedelta(days=escalate_after):
                acceptors = _recipients(unit=accepting_unit_of(task), role=Membership.Role.REVIEWER)
                sent = _send_once(task=task, due_on=due, kind=TaskReminder.Kind.ESCALATION, recipients=acceptors,
                                  subject=_("%(unit)s has not completed the task “%(task)s”") % words,
                                  body=_("The task “%(task)s”, led by %(unit)s, was due by %(due)s. %(reason)s")
                                  % words) or sent
        result.sent += int(sent)
        result.skipped += int(not sent)
    return result
