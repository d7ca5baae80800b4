"""The API: computed status and reason, and the four actions through the same services, scoped to the user."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post(client, user, task, name, data):
    client.force_login(user)
    return client.post(reverse(f"task-{name}", args=[task.pk]), data, content_type="application/json")


def test_the_whole_round_through_the_api(client, world):
    client.force_login(world.clerk)
    row = client.get(reverse("task-detail", args=[world.task.pk])).json()
    # due today + 10: at risk
    assert row["status"] == "at_risk" and "10" in row["status_reason"]
    assert row["accepting_unit"] == "P.VP" and row["contributions"] == {"P.VP.QT": "Bố trí mặt bằng"}
    answer = _post(client, world.clerk, world.task, "progress",
                   {"on": world.today.isoformat(), "text": "Đã lắp máy chủ", "version": 0})
    assert answer.status_code == 200 and answer.json()["state"] == "in_progress"
    answer = _post(client, world.clerk, world.task, "submit", {"document_number": "12-BB/VPTU",
                                                               "document_summary": "Biên bản", "version": 1})
    assert answer.json()["status"] == "done_on_time"
    refused = _post(client, world.outsider, world.task, "return-", {"reason": "x"})
    assert refused.status_code in (400, 404)
    answer = _post(client, world.acceptor, world.task, "return-", {"reason": "Thiếu chữ ký"})
    assert answer.json()["state"] == "returned" and answer.json()["status"] == "at_risk"
    _post(client, world.clerk, world.task, "submit", {"link": "https://vptu.example.vn/bb"})
    answer = _post(client, world.acceptor, world.task, "accept", {})
    assert answer.json()["status"] == "accepted" and answer.json()["accepted_at"]


def test_acceptance_outside_the_accepting_unit_answers_in_vietnamese(client, world):
    _post(client, world.clerk, world.task, "submit", {"document_number": "1-BB"})
    # Ban Tổ chức's reviewer sees the province's plan (issued above them) but is not its accepting office.
    client.force_login(world.outsider)
    assert client.get(reverse("task-list")).json()["count"] == 1
    refused = _post(client, world.outsider, world.task, "accept", {})
    assert refused.status_code == 400
    assert "Văn phòng Tỉnh ủy thử" in refused.json()["detail"]


def test_a_user_without_the_plan_does_not_see_the_task(client, world, plain_user):
    client.force_login(plain_user)
    assert client.get(reverse("task-list")).json()["count"] == 0
    assert client.get(reverse("task-detail", args=[world.task.pk])).status_code == 404
    assert _post(client, plain_user, world.task, "accept", {}).status_code == 404
