"""In the browser: the lead unit reports progress and submits its product, the accepting Văn phòng returns it
with a reason and then accepts it; the board's counts follow."""

import pytest
from django.urls import reverse

from tasks.models import TaskRecord
from tasks.status import State
from tests.browser.conftest import login
from tests.tasks.conftest import PDF, world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(root, settings, tmp_path):
    return world_build(settings=settings, media=tmp_path / "media")


def _counts(page, code: str) -> list[str]:
    return page.locator(f"tr[data-unit='{code}'] td").all_inner_texts()


def test_lead_reports_office_returns_then_accepts(browser, live_server, world, shot, tmp_path):
    task = world.task
    clerk = login(browser, live_server, "vanthu.cds")
    clerk.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert "Rõ thẩm quyền" in clerk.content() and "Văn phòng Tỉnh ủy thử" in clerk.content()
    clerk.fill("textarea[name=text]", "Đã lắp đặt máy chủ, đang cấu hình ảo hóa")
    clerk.fill("textarea[name=obstacles]", "Thiếu giấy phép phần mềm")
    clerk.click("form.task-progress button[type=submit]")
    clerk.wait_for_load_state()
    assert "Đã ghi nhận tiến độ." in clerk.content()
    assert "Thiếu giấy phép phần mềm" in clerk.content()

    product = tmp_path / "bien-ban-nghiem-thu.pdf"
    product.write_bytes(PDF)
    clerk.set_input_files("input[name=file]", str(product))
    clerk.click("form.task-file button[type=submit]")
    clerk.wait_for_load_state()
    shot(clerk, "task-lead-form")
    clerk.fill("input[name=document_number]", "12-BB/VPTU")
    clerk.fill("textarea[name=document_summary]", "Biên bản nghiệm thu kỹ thuật")
    clerk.click("form.task-submit button[type=submit]")
    clerk.wait_for_load_state()
    assert "Đã gửi sản phẩm đến Văn phòng Tỉnh ủy thử." in clerk.content()
    assert "Hoàn thành đúng hạn" in clerk.content()

    office = login(browser, live_server, "vanphong")
    office.goto(f"{live_server.url}/tasks/")
    # assigned 1, done 1, on time 1, late 0, overdue 0, at risk 0, accepted 0, 100%
    assert _counts(office, "P.VP.CDS")[1:] == ["1", "1", "1", "0", "0", "0", "0", "100%"]
    office.click(f"tr[data-task='{task.pk}'] a")
    office.fill("textarea[name=reason]", "Biên bản chưa đủ chữ ký các thành phần")
    office.click("button[value=return]")
    office.wait_for_load_state()
    assert "Đã trả lại sản phẩm cho đơn vị chủ trì." in office.content()
    office.goto(f"{live_server.url}/tasks/")
    # returned: not done; 10 days left ≤ 30, at risk, the unit turns Vàng
    assert _counts(office, "P.VP.CDS")[:2] == ["! Vàng", "1"]
    assert _counts(office, "P.VP.CDS")[2:] == ["0", "0", "0", "0", "1", "0", "0%"]

    clerk.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert "Biên bản chưa đủ chữ ký các thành phần" in clerk.content()
    clerk.fill("input[name=document_number]", "12b-BB/VPTU")
    clerk.click("form.task-submit button[type=submit]")
    clerk.wait_for_load_state()

    office.goto(f"{live_server.url}/tasks/{task.pk}/")
    office.click("button[value=accept]")
    office.wait_for_load_state()
    assert "Đã công nhận sản phẩm." in office.content()
    assert TaskRecord.objects.get().state == State.ACCEPTED
    shot(office, "task-detail")
    office.goto(f"{live_server.url}/tasks/")
    # accepted: done 1, on time 1, accepted 1, 100%, Xanh
    assert _counts(office, "P.VP.CDS") == ["✓ Xanh", "1", "1", "1", "0", "0", "0", "1", "100%"]
    shot(office, "tasks-board")
    # the unit page beside the indicators: the office's subtree has the one task, accepted on time
    office.goto(live_server.url + reverse("compliance:unit", args=["P.VP"]))
    assert "1 nhiệm vụ được giao, 1 hoàn thành (100%): 1 đúng hạn, 0 chậm, 1 đã công nhận" in office.content()
