"""A task closed from a day (by an amendment of its plan) leaves the board, the counts, the reminders and the
workbook's later quarters from that day; before it, and on its own page, it is still there."""

import datetime as dt

import pytest
from django.test import TestCase

from core.periods import DueKind, Quarter
from plans.models import PlanTask
from tasks.models import TaskReminder
from tasks.reminders import task_reminders_send
from tasks.selectors import BoardFilters, task_board, task_get, task_quarter_rows, unit_task_counts
from tasks.services import task_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    """Task 1 closed from the first day of next quarter; task 2, led by the same department, stays open."""
    PlanTask.objects.create(plan=world.plan, number=2, title="Số hóa hồ sơ lưu trữ", lead_unit=world.lead,
                            due_kind=DueKind.DATE, due_on=world.task.due_on)
    this_quarter = Quarter.of(world.today)
    next_quarter = Quarter.of(this_quarter.last_day + dt.timedelta(days=1))
    task_close(task=world.task, closed_from=next_quarter.first_day, by=world.acceptor)
    return type("Closed", (), dict(day=next_quarter.first_day, this_quarter=this_quarter, next_quarter=next_quarter))


def _numbers(rows) -> list[int]:
    return sorted(row.task.number if hasattr(row, "task") else row.number for row in rows)


def test_the_board_and_counts_drop_a_closed_task_from_its_day(world, closed):
    before, on = closed.day - dt.timedelta(days=1), closed.day
    assert _numbers(task_board(user=world.acceptor, filters=BoardFilters(), today=before).rows) == [1, 2]
    assert _numbers(task_board(user=world.acceptor, filters=BoardFilters(), today=on).rows) == [2]
    # The department's counts: 2 assigned the day before, 1 (task 2 alone) from the closing day.
    assert unit_task_counts(user=world.acceptor, unit=world.lead, today=before).assigned == 2
    assert unit_task_counts(user=world.acceptor, unit=world.lead, today=on).assigned == 1
    assert task_get(user=world.acceptor, pk=world.task.pk) == world.task  # its page and history stay


def test_the_workbook_lists_it_in_the_quarters_before_its_day(world, closed):
    assert _numbers(task_quarter_rows(unit=world.province, quarter=closed.this_quarter, today=world.today)) == [1, 2]
    assert _numbers(task_quarter_rows(unit=world.province, quarter=closed.next_quarter, today=world.today)) == [2]


def test_a_closed_task_is_not_reminded(world, closed):
    # On the closing day both tasks (due today + 10) are at risk or overdue alike; task 2 alone is reminded.
    with TestCase.captureOnCommitCallbacks(execute=True):
        task_reminders_send(today=closed.day, escalate_after=10_000)
    assert set(TaskReminder.objects.values_list("task__number", flat=True)) == {2}
    # The day before, both were.
    with TestCase.captureOnCommitCallbacks(execute=True):
        task_reminders_send(today=closed.day - dt.timedelta(days=1), escalate_after=10_000)
    assert set(TaskReminder.objects.values_list("task__number", flat=True)) == {1, 2}


def test_the_task_page_and_api_say_since_when_it_is_closed(world, closed, client):
    client.force_login(world.acceptor)
    day = closed.day.strftime("%d/%m/%Y")
    assert f"Kết thúc từ</dt><dd>{day}" in client.get(f"/tasks/{world.task.pk}/").content.decode()
    rows = {row["number"]: row for row in client.get("/api/v1/tasks/").json()["results"]}
    assert (rows[1]["closed_from"], rows[2]["closed_from"]) == (closed.day.isoformat(), None)
