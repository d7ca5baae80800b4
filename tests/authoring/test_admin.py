"""The amendments being prepared and the closed tasks are read in the admin, never written there: they change only
through the services, which try each edit and leave the audit rows."""

import datetime as dt

import pytest
from django.urls import reverse

from authoring.amendments import amendment_apply, amendment_open, amendment_task_close
from authoring.services import plan_draft_from_parent, plan_issue
from tasks.models import TaskClosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "pw-admin-2026"))
    return client


def _closing(world):
    plan = plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune,
                                  title="Kế hoạch chuyển đổi số xã X", year_start=2026, year_end=2026)
    plan_issue(by=world.author, plan=plan)
    copy = amendment_open(by=world.author, plan=plan)
    amendment_task_close(by=world.author, amendment=copy, task=plan.tasks.get(number=1),
                         from_day=dt.date(2026, 10, 1))
    return plan, copy


def test_an_amendment_is_listed_searched_by_plan_and_only_read(staff, world):
    plan, copy = _closing(world)
    url = reverse("admin:authoring_planamendment_changelist")
    page = staff.get(url, {"q": plan.key}).content.decode()
    # Its plan, who opened it, its state and its one pending edit.
    rows = page.split('id="result_list"')[1].split("</table>")[0]
    assert plan.key in rows and copy.opened_by_name in rows and "Đang mở" in rows
    assert 'id="result_list"' not in staff.get(url, {"q": "p-2026-khac"}).content.decode()  # no other plan's
    assert staff.get(reverse("admin:authoring_planamendment_add")).status_code == 403
    assert staff.get(reverse("admin:authoring_planamendment_delete", args=[copy.pk])).status_code == 403
    change = staff.get(reverse("admin:authoring_planamendment_change", args=[copy.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()


def test_a_task_closure_is_listed_searched_by_plan_and_only_read(staff, world):
    plan, copy = _closing(world)
    amendment_apply(by=world.author, amendment=copy, reason="Nhiệm vụ đã được giao cho đơn vị khác")
    closure = TaskClosure.objects.get()
    page = staff.get(reverse("admin:tasks_taskclosure_changelist"), {"q": plan.key}).content.decode()
    assert plan.key in page and "01/10/2026" in page
    assert staff.get(reverse("admin:tasks_taskclosure_add")).status_code == 403
    assert staff.get(reverse("admin:tasks_taskclosure_delete", args=[closure.pk])).status_code == 403
