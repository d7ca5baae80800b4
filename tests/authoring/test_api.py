"""`/api/v1/plans/` writes through the same services as the pages: a clerk is refused, the author writes, issues and
amends, another reviewer does not see the draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.models import AuditEvent
from plans.models import Plan, PlanStatus
from tests.authoring.test_views import DOCUMENT

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _create(client, world, **extra):
    return client.post("/api/v1/plans/", {"issuer": world.commune.code, "title": "Kế hoạch xã X", "year_start": 2026,
                                          "year_end": 2026, "parent": world.parent.key, **extra}, format="json")


def test_a_clerk_cannot_create_or_change_a_plan(world):
    client = _client(world.clerk)
    assert _create(client, world).status_code == 404  # not a committee the clerk writes for
    response = client.post(f"/api/v1/plans/{world.parent.key}/targets/", {"clause": "x"}, format="json")
    assert response.status_code == 404
    assert not Plan.objects.filter(issuer=world.commune).exists()


def test_the_author_drafts_fills_and_issues_and_others_do_not_see_the_draft(world):
    client = _client(world.author)
    response = _create(client, world, from_parent=True)
    assert response.status_code == 201, response.json()
    key = response.json()["key"]
    assert response.json()["status"] == "draft"
    plan = Plan.objects.get(key=key)
    assert (plan.targets.count(), plan.tasks.count()) == (2, 2)  # 3 parent targets, one retired

    assert _client(world.colleague).get(f"/api/v1/plans/{key}/").status_code == 404
    assert _client(world.colleague).post(f"/api/v1/plans/{key}/issue/").status_code == 404

    response = client.post(f"/api/v1/plans/{key}/targets/", {
        "indicator": "ky_so", "comparator": "at_least", "value": "95", "due": "Quý IV/2026",
        "clause": "95% văn bản được ký số"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["due_on"] == "2026-12-31" and response.json()["position"] == 3
    response = client.post(f"/api/v1/plans/{key}/targets/", {
        "indicator": "ky_so", "comparator": "at_least", "value": "95", "due": "cuối năm", "clause": "x"},
        format="json")
    assert response.status_code == 400 and "không phải là hạn" in str(response.json())
    first = plan.targets.get(position=1)
    assert client.patch(f"/api/v1/plans/{key}/targets/{first.pk}/", {"value": "85"}, format="json").json()[
        "value"] == "85.00"
    task = plan.tasks.get(number=2)
    assert client.delete(f"/api/v1/plans/{key}/tasks/{task.pk}/").status_code == 204

    response = client.post(f"/api/v1/plans/{key}/issue/")
    assert response.status_code == 200 and response.json()["status"] == PlanStatus.ISSUED
    # Each write left its row: the draft, the copy, a target added, one edited, a task deleted, the issue.
    assert AuditEvent.objects.filter(actor=world.author).count() == 6


def test_an_issued_plan_is_amended_with_its_reason(world):
    client = _client(world.author)
    key = _create(client, world, from_parent=True).json()["key"]
    client.post(f"/api/v1/plans/{key}/issue/")
    plan = Plan.objects.get(key=key)
    first = plan.targets.get(position=1)
    # A draft's editing route refuses an issued plan.
    response = client.patch(f"/api/v1/plans/{key}/targets/{first.pk}/", {"value": "90"}, format="json")
    assert response.status_code == 400 and "điều chỉnh" in response.json()["detail"]
    response = client.post(f"/api/v1/plans/{key}/amend/", {
        "reason": "Tỉnh giao thêm", "targets": [{"id": first.pk, "value": "90"}]}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert plan.versions.get(number=2).changes == ["Mục tiêu 1: ≥ 80% → ≥ 90%"]
    response = client.post(f"/api/v1/plans/{key}/amend/", {"reason": "", "targets": []}, format="json")
    assert response.status_code == 400


def test_the_working_copy_through_the_api(world):
    client = _client(world.author)
    key = _create(client, world, from_parent=True).json()["key"]
    client.post(f"/api/v1/plans/{key}/issue/")
    plan = Plan.objects.get(key=key)
    first, task = plan.targets.get(position=1), plan.tasks.get(number=1)
    assert client.get(f"/api/v1/plans/{key}/amendment/").status_code == 404  # none open yet
    response = client.post(f"/api/v1/plans/{key}/amendment/")
    assert response.status_code == 201 and response.json()["lines"] == [] and response.json()["based_on"] == 1
    # Two requests of edits, as the pages make them: target 1 to 90%, then task 1 closed from 01/10/2026.
    response = client.post(f"/api/v1/plans/{key}/amendment/edits/", {"targets": [{"id": first.pk, "value": "90"}]},
                           format="json")
    assert response.status_code == 200 and response.json()["lines"] == ["Mục tiêu 1: ≥ 80% → ≥ 90%"]
    response = client.post(f"/api/v1/plans/{key}/amendment/edits/", {
        "tasks": [{"id": task.pk, "close_from": "2026-10-01"}]}, format="json")
    answer = response.json()
    assert answer["lines"] == ["Mục tiêu 1: ≥ 80% → ≥ 90%", "Nhiệm vụ 1 kết thúc từ 01/10/2026"]
    assert answer["may_apply"] and [item["key"] for item in answer["items"]] == [f"target-{first.pk}",
                                                                                  f"task-{task.pk}"]
    # A refused row keeps nothing of its request: a bad deadline for a new target.
    response = client.post(f"/api/v1/plans/{key}/amendment/edits/", {
        "targets": [{"id": first.pk, "value": "95"}, {"due": "cuối năm"}]}, format="json")
    assert response.status_code == 400 and "không phải là hạn" in str(response.json())
    assert client.get(f"/api/v1/plans/{key}/amendment/").json()["lines"][0] == "Mục tiêu 1: ≥ 80% → ≥ 90%"
    # Another reviewer and the clerk do not see it.
    for outsider in (world.neighbour, world.clerk):
        assert _client(outsider).get(f"/api/v1/plans/{key}/amendment/").status_code == 404
        assert _client(outsider).post(f"/api/v1/plans/{key}/amendment/apply/", {"reason": "x"}).status_code == 404
    assert client.post(f"/api/v1/plans/{key}/amendment/apply/", {"reason": ""}).status_code == 400
    response = client.post(f"/api/v1/plans/{key}/amendment/apply/", {"reason": "Tỉnh giao thêm"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert plan.versions.get(number=2).changes == ["Mục tiêu 1: ≥ 80% → ≥ 90%", "Nhiệm vụ 1 kết thúc từ 01/10/2026"]
    # Discarding a new copy leaves version 2 as it is.
    client.post(f"/api/v1/plans/{key}/amendment/edits/", {"targets": [{"id": first.pk, "value": "95"}]},
                format="json")
    assert client.delete(f"/api/v1/plans/{key}/amendment/").status_code == 204
    assert client.get(f"/api/v1/plans/{key}/amendment/").status_code == 404
    first.refresh_from_db()
    assert first.value == 90 and plan.versions.count() == 2


def test_the_working_copy_is_in_the_schema(world):
    schema = _client(world.author).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post", "delete"} <= set(paths["/api/v1/plans/{key}/amendment/"])
    assert "post" in paths["/api/v1/plans/{key}/amendment/edits/"]
    assert "post" in paths["/api/v1/plans/{key}/amendment/apply/"]
    assert "AmendmentOutput" in schema["components"]["schemas"]


# The document path's reading, through the API: proposals only, nothing written.


def test_the_author_reads_a_document_and_a_missed_passage_and_nothing_is_written(world):
    client = _client(world.author)
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/plans/read/", {"text": DOCUMENT, "passages": ["Tăng cường   lãnh đạo."]},
                           format="json")
    assert response.status_code == 200, response.json()
    target, task = response.json()["candidates"]
    # The reading's target: at least 95% of documents signed, by 31/12/2026; then the passage pointed at, read on its
    # own: nothing the rules read, so a task to complete, marked where it stands in the text.
    assert (target["kind"], target["indicator"], target["comparator"], target["value"], target["due"]) == (
        "target", "ky_so", "at_least", 95, "2026-12-31")
    assert (task["kind"], task["clause"], task["due"]) == ("task", "Tăng cường lãnh đạo.", None)
    assert DOCUMENT[task["start"]:task["end"]] == "Tăng cường lãnh đạo."
    assert AuditEvent.objects.count() == events and not Plan.objects.filter(issuer=world.commune).exists()


def test_a_document_read_through_the_api_refuses_what_the_page_refuses(world):
    assert _client(world.clerk).post("/api/v1/plans/read/", {"text": DOCUMENT}, format="json").status_code == 404
    client = _client(world.author)
    response = client.post("/api/v1/plans/read/", {"text": DOCUMENT, "passages": ["Tăng cường kiểm tra."]},
                           format="json")
    assert response.status_code == 400
    assert response.json()["passages"] == [
        "Đoạn này không có trong văn bản: hãy chọn nó trong văn bản hiển thị ở trên, hoặc dán đúng như văn bản viết."]
    response = client.post("/api/v1/plans/read/", {"text": "  "}, format="json")
    assert response.json() == {"non_field_errors": ["Hãy dán nội dung kế hoạch hoặc chọn tệp văn bản."]}
    upload = SimpleUploadedFile("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64,
                                content_type="application/msword")
    response = client.post("/api/v1/plans/read/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "là tệp Word định dạng cũ (.doc)" in response.json()["detail"]
