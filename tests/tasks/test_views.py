"""The pages: the board's counts follow the round; the task page offers each role its own forms only."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.periods import DueKind
from plans.models import PlanTask, Recurrence
from tasks.models import TaskRecord
from tasks.selectors import occurrence_current, occurrence_of
from tasks.status import State
from tests.tasks.conftest import PDF

pytestmark = pytest.mark.django_db


def _row(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start:html.index("</tr>", start)]


def test_board_counts_follow_the_round(client, world):
    client.force_login(world.acceptor)
    board = client.get(reverse("tasks:board")).content.decode()
    # 1 assigned, 0 done, at risk (10 days left)
    assert "<td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td>" in _row(
        board, 'data-unit="P.VP.CDS"')
    client.force_login(world.clerk)
    detail = reverse("tasks:detail", args=[world.task.pk])
    client.post(reverse("tasks:product", args=[world.task.pk]), {"file": SimpleUploadedFile("bb.pdf", PDF)})
    client.post(reverse("tasks:submit", args=[world.task.pk]), {"version": 1, "document_number": "7-BB"})
    assert TaskRecord.objects.get().state == State.SUBMITTED
    client.force_login(world.acceptor)
    page = client.get(detail).content.decode()
    assert "Accept the product" in page or "Công nhận sản phẩm" in page
    client.post(reverse("tasks:decide", args=[world.task.pk]), {"action": "accept"})
    board = client.get(reverse("tasks:board")).content.decode()
    # 1 assigned, 1 done, 1 on time, 0 late, 0 overdue, 0 at risk, 1 accepted, 100%
    assert "<td>1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>100%</td>" in _row(
        board, 'data-unit="P.VP.CDS"')


def test_refusals_read_on_the_page_and_write_nothing(client, world):
    client.force_login(world.clerk)
    before = dt.date(world.plan.year_start - 1, 6, 1).isoformat()
    response = client.post(reverse("tasks:progress", args=[world.task.pk]),
                           {"version": 0, "on": before, "text": "Sớm"}, follow=True)
    assert f"Ngày 01/06/{world.plan.year_start - 1} trước ngày bắt đầu của kế hoạch" in response.content.decode()
    assert not TaskRecord.objects.filter(notes__isnull=False).exists()
    client.force_login(world.outsider)
    response = client.post(reverse("tasks:decide", args=[world.task.pk]), {"action": "accept"}, follow=True)
    assert "Chỉ đơn vị công nhận (Văn phòng Tỉnh ủy thử) công nhận hoặc trả lại" in response.content.decode()
    assert not TaskRecord.objects.filter(state=State.ACCEPTED).exists()


def test_forms_by_role(client, world):
    detail = reverse("tasks:detail", args=[world.task.pk])
    client.force_login(world.clerk)
    page = client.get(detail).content.decode()
    assert 'class="task-submit"' in page and 'class="task-progress"' in page
    client.force_login(world.helper_clerk)
    page = client.get(detail).content.decode()
    assert 'class="task-submit"' not in page and 'class="task-progress"' in page
    client.force_login(world.outsider)
    page = client.get(detail).content.decode()
    assert 'class="task-submit"' not in page and 'class="task-progress"' not in page


def test_the_unit_page_shows_the_tasks_panel(client, world):
    client.force_login(world.acceptor)
    page = client.get(reverse("compliance:unit", args=["P.VP"])).content.decode()
    assert "tasks-panel" in page and "?unit=P.VP" in page


def test_recurring_work_has_one_occurrence_per_period(world):
    task = PlanTask.objects.create(plan=world.plan, number=2, title="Báo cáo số hóa", lead_unit=world.lead,
                                   due_kind=DueKind.RECURRING, recurrence=Recurrence.QUARTERLY)
    year = world.plan.year_start
    # 15/05 is in Q2: due 30/06
    current = occurrence_current(task=task, today=dt.date(year, 5, 15))
    assert (current.period, current.due_on) == (f"{year}-Q2", dt.date(year, 6, 30))
    # before the plan: its first quarter; after it: its last
    assert occurrence_current(task=task, today=dt.date(year - 3, 1, 1)).period == f"{year}-Q1"
    assert occurrence_current(task=task, today=dt.date(year + 9, 1, 1)).period == f"{world.plan.year_end}-Q4"
    task.recurrence = Recurrence.MONTHLY
    # February of the plan's first year: due on its last day
    assert occurrence_of(task=task, period=f"{year}-02").due_on.month == 2
    with pytest.raises(ValueError):
        occurrence_of(task=task, period=f"{year + 5}-02")


def test_recurring_work_pages_go_from_quarter_to_quarter(client, world):
    task = PlanTask.objects.create(plan=world.plan, number=3, title="Báo cáo số hóa hằng quý", lead_unit=world.lead,
                                   due_kind=DueKind.RECURRING, recurrence=Recurrence.QUARTERLY)
    client.force_login(world.clerk)
    first = f"{world.plan.year_start}-Q1"
    page = client.get(reverse("tasks:detail", args=[task.pk]), {"period": first}).content.decode()
    # the plan's first quarter: no quarter before it, Q2 after it, due 31/03
    assert f"?period={world.plan.year_start}-Q2" in page and "‹" not in page
    assert f"31/03/{world.plan.year_start}" in page
    assert client.get(reverse("tasks:detail", args=[task.pk]), {"period": "2001-Q1"}).status_code == 404
    client.post(reverse("tasks:progress", args=[task.pk]),
                {"version": 0, "period": first, "on": world.today.isoformat(), "text": "Đã số hóa 1.200 trang"})
    assert TaskRecord.objects.get(task=task).period == first


def test_the_dashboard_shows_the_tasks_panel(client, world):
    client.force_login(world.acceptor)
    page = client.get(reverse("compliance:dashboard"), {"unit": "P.VP"}).content.decode()
    # Loaded after the page (htmx), as it is counted for each person.
    assert f'hx-get="{reverse("compliance:tasks-panel")}?unit=P.VP"' in page
    panel = client.get(reverse("compliance:tasks-panel"), {"unit": "P.VP"}).content.decode()
    assert 'class="panel tasks-panel"' in panel and "?unit=P.VP" in panel
