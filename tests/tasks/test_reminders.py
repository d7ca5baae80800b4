"""Reminders about a task's deadline: the lead unit's clerks when at risk and after it, the accepting office's
reviewers 5 days after it; each once, sent by e-mail after the commit."""

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase

from tasks.models import TaskReminder
from tasks.reminders import task_reminders_send
from tasks.services import ProductInput, task_submit

pytestmark = pytest.mark.django_db


def _pass(today):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return task_reminders_send(today=today, escalate_after=5)


def test_each_reminder_once_and_the_escalation_to_the_accepting_unit(world):
    due = world.task.due_on  # today + 10
    # 31 days before the deadline: on track, nothing sent
    assert _pass(due - dt.timedelta(days=31)).sent == 0
    # 30 days before: at risk, the lead's clerk is reminded once, however often the pass runs
    assert _pass(due - dt.timedelta(days=30)).sent == 1
    assert _pass(due - dt.timedelta(days=2)).sent == 0
    assert [m.to for m in mail.outbox] == [["vanthu.cds@example.vn"]]
    # the day after: overdue, reminded again; 4 days after: not yet escalated
    assert _pass(due + dt.timedelta(days=1)).sent == 1
    assert _pass(due + dt.timedelta(days=4)).sent == 0
    # 5 days after: the accepting office's reviewer hears of it
    assert _pass(due + dt.timedelta(days=5)).sent == 1
    assert mail.outbox[-1].to == ["vanphong@example.vn"]
    assert sorted(TaskReminder.objects.values_list("kind", flat=True)) == ["after_due", "before_due", "escalation"]
    assert _pass(due + dt.timedelta(days=9)).sent == 0 and len(mail.outbox) == 3


def test_a_task_reported_done_is_not_reminded(world):
    task_submit(task=world.task, by=world.clerk, product=ProductInput(document_number="1-BB"))
    assert _pass(world.task.due_on + dt.timedelta(days=6)).sent == 0
    assert not mail.outbox
