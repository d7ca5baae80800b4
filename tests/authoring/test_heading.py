"""An issued plan's heading (number, title, date, years, the plan it implements) changes only through the working copy
of its amendment, like its targets and tasks: kept over saves, shown line by line against the version in force,
applied in the one version with the rest, refused in Vietnamese when the years would leave a deadline outside them,
the number is another plan's of the same issuer, or the parent would make a cycle."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from authoring.amendments import (
    amendment_apply,
    amendment_heading_save,
    amendment_open,
    amendment_review,
    amendment_target_save,
    amendment_task_save,
)
from authoring.models import PlanAmendment
from authoring.services import plan_draft_from_parent, plan_issue, task_save
from compliance.models import ComplianceRun
from core.exceptions import ApplicationError
from core.models import AuditEvent
from plans.models import Plan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
TITLE = "Kế hoạch chuyển đổi số xã X"
LONGER = "Kế hoạch chuyển đổi số xã X giai đoạn 2026–2030"
CYCLE = "Một kế hoạch không thể thực hiện chính nó hoặc một kế hoạch đang thực hiện nó."


def _issued(world, *, year_end: int = 2026, late_task: bool = False) -> Plan:
    """The commune's plan from the province's 1-KH/TU: targets 1, 2 due 2026, tasks 1, 2 due Quý II/2026, and with
    `late_task` a task 3 due Quý II/2027."""
    plan = plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune, title=TITLE,
                                  year_start=2026, year_end=year_end)
    if late_task:
        task_save(by=world.author, plan=plan, data={"title": "Số hóa hồ sơ năm 2027", "due": "Quý II/2027"})
    plan_issue(by=world.author, plan=plan)
    return plan


def _another_parent(world) -> Plan:
    return PlanFactory(issuer=world.province, key="p-2026-2030", number="2-KH/TU", year_start=2026, year_end=2030,
                       source_text="Kế hoạch giai đoạn của tỉnh")


# ------------------------------------------------------------------------------------------------------ services


def test_the_heading_is_kept_in_the_copy_shown_line_by_line_and_applied_in_one_version(world):
    plan = _issued(world)
    later = _another_parent(world)
    copy = amendment_open(by=world.author, plan=plan)
    amendment_heading_save(by=world.author, amendment=copy, data={
        "number": "7-KH/ĐU", "title": LONGER, "year_end": 2030, "parent": later, "issued_on": dt.date(2026, 3, 2)})
    # A second save of the whole form: the date set back as issued (none) is no edit; the rest is kept.
    amendment_heading_save(by=world.colleague, amendment=copy, data={
        "number": "7-KH/ĐU", "kind": "ke_hoach", "title": LONGER, "issued_on": None, "year_start": 2026,
        "year_end": 2030, "parent": later})
    amendment_target_save(by=world.colleague, amendment=copy, target=plan.targets.get(position=1),
                          data={"value": Decimal(90)})
    # Each heading save left its audit row on the copy, naming who: the author, then the colleague.
    saves = AuditEvent.objects.filter(object_type="authoring.planamendment", action=AuditEvent.Action.UPDATE,
                                      changes__has_key="plan")
    assert [event.actor_id for event in saves.order_by("pk")] == [world.author.pk, world.colleague.pk]

    # Nothing written yet: the plan still reads as issued.
    plan.refresh_from_db()
    assert (plan.title, plan.year_end, plan.parent_id, plan.number, plan.version) == (TITLE, 2026, world.parent.pk,
                                                                                      "", 1)
    review = amendment_review(by=world.author, amendment=PlanAmendment.objects.get(pk=copy.pk))
    heading_lines = [
        "Số ký hiệu: — → 7-KH/ĐU",  # the draft had none
        f"Tiêu đề: {TITLE} → {LONGER}",
        "Năm: 2026 → 2026–2030",  # one year, 2026, becomes five, 2026 to 2030
        "Thực hiện kế hoạch: 1-KH/TU → 2-KH/TU",
    ]
    assert review.lines == [*heading_lines, "Mục tiêu 1: ≥ 80% → ≥ 90%"]
    assert [(item.label, item.action) for item in review.items] == [
        ("Thông tin chung của kế hoạch", "sửa"), ("Mục tiêu 1", "sửa")]
    assert review.may_apply
    assert copy.edits == [] and PlanAmendment.objects.get(pk=copy.pk).edits[0]["data"] == {
        "number": "7-KH/ĐU", "title": LONGER, "year_end": 2030, "parent": later.pk}

    events = AuditEvent.objects.count()
    version = amendment_apply(by=world.author, amendment=copy, reason="Tỉnh ban hành kế hoạch giai đoạn")
    plan.refresh_from_db()
    assert (plan.title, plan.year_end, plan.parent_id, plan.number, plan.version) == (LONGER, 2030, later.pk,
                                                                                      "7-KH/ĐU", 2)
    # One version, saying the heading's lines and the target's, its snapshot holding the new heading.
    assert version.number == 2 and version.changes == [*heading_lines, "Mục tiêu 1: ≥ 80% → ≥ 90%"]
    assert {name: version.snapshot["plan"][name] for name in ("title", "year_end", "parent", "parent_label")} == {
        "title": LONGER, "year_end": 2030, "parent": later.key, "parent_label": "2-KH/TU"}
    assert plan.versions.get(number=1).snapshot["plan"]["year_end"] == 2026  # the earlier version kept as it was
    assert AuditEvent.objects.count() == events + 1  # one row: the plan's new version, with who and why


def test_years_leaving_a_deadline_outside_are_refused_and_nothing_is_kept(world):
    plan = _issued(world, year_end=2027, late_task=True)
    copy = amendment_open(by=world.author, plan=plan)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        amendment_heading_save(by=world.author, amendment=copy, data={"year_end": 2026})
    # 2026–2027 → 2026: task 3, due Quý II/2027 (30/06/2027), would fall after the plan's last year.
    assert refused.value.message_dict == {"year_end": [
        "Với thời gian này, nhiệm vụ 3 (hạn Quý II/2027) sẽ nằm ngoài thời gian của kế hoạch: hãy sửa các thời hạn "
        "đó trước, trong cùng bản điều chỉnh, hoặc chọn năm khác."]}
    with pytest.raises(ValidationError) as refused:
        amendment_heading_save(by=world.author, amendment=copy, data={"year_start": 2027})
    # → 2027–2027: targets 1, 2 (due 2026) and tasks 1, 2 (due Quý II/2026) would fall before its first year.
    assert refused.value.message_dict["year_start"] == [
        "Với thời gian này, mục tiêu 1 (hạn Năm 2026), mục tiêu 2 (hạn Năm 2026), nhiệm vụ 1 (hạn Quý II/2026), "
        "nhiệm vụ 2 (hạn Quý II/2026) sẽ nằm ngoài thời gian của kế hoạch: hãy sửa các thời hạn đó trước, trong "
        "cùng bản điều chỉnh, hoặc chọn năm khác."]
    copy.refresh_from_db()
    plan.refresh_from_db()
    assert copy.edits == [] and (plan.year_start, plan.year_end) == (2026, 2027)
    assert AuditEvent.objects.count() == events  # nothing written


def test_a_deadline_moved_in_the_same_copy_lets_the_years_shrink(world):
    plan = _issued(world, year_end=2027, late_task=True)
    copy = amendment_open(by=world.author, plan=plan)
    late = plan.tasks.get(number=3)
    amendment_task_save(by=world.author, amendment=copy, task=late, data={"due": "Quý IV/2026"})
    amendment_heading_save(by=world.author, amendment=copy, data={"year_end": 2026})
    version = amendment_apply(by=world.author, amendment=copy, reason="Rút ngắn thời gian thực hiện")
    assert version.changes == ["Năm: 2026–2027 → 2026", "Nhiệm vụ 3: hạn Quý II/2027 → Quý IV/2026"]


def test_years_shortened_ask_compliance_for_the_months_the_plan_no_longer_covers(world, monkeypatch):
    plan = _issued(world, year_end=2027)
    asked = []
    monkeypatch.setattr("compliance.receivers.compliance_request", lambda *, period: asked.append(period))
    months = (dt.date(2025, 12, 1), dt.date(2026, 10, 1), dt.date(2027, 3, 1))
    for period in months:
        ComplianceRun.objects.create(period=period, is_current=True, state=ComplianceRun.State.DONE,
                                     as_of=timezone.now())
    copy = amendment_open(by=world.author, plan=plan)
    amendment_heading_save(by=world.author, amendment=copy, data={"year_end": 2026})
    amendment_apply(by=world.author, amendment=copy, reason="Rút ngắn thời gian thực hiện")
    # 2026–2027 → 2026: 10/2026 is still in its years; 03/2027 no longer is, and the plan bound it until now, so
    # it is recomputed too; 12/2025 was never in its years.
    assert asked == [dt.date(2026, 10, 1), dt.date(2027, 3, 1)]


def test_a_number_of_another_plan_of_the_issuer_and_a_cycle_are_refused(world):
    plan = _issued(world)
    PlanFactory(issuer=world.commune, key="x-2025", number="3-KH/ĐU", title="Kế hoạch năm 2025 của xã X",
                year_start=2025, year_end=2025)
    child = PlanFactory(issuer=world.school, key="s-2026", number="9-KH/CB", parent=plan)
    copy = amendment_open(by=world.author, plan=plan)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        amendment_heading_save(by=world.author, amendment=copy, data={"number": "3-KH/ĐU"})
    assert refused.value.message_dict == {"number": [
        "Số ký hiệu 3-KH/ĐU đã là của một kế hoạch khác của Đảng ủy xã X: Kế hoạch năm 2025 của xã X."]}
    with pytest.raises(ValidationError) as refused:  # the school's plan implements this one
        amendment_heading_save(by=world.author, amendment=copy, data={"parent": child})
    assert refused.value.message_dict == {"parent": [CYCLE]}
    with pytest.raises(ApplicationError) as refused:
        amendment_heading_save(by=world.author, amendment=copy, data={"title": TITLE})
    assert refused.value.message == "Thông tin chung vẫn như đã ban hành: không có gì để ghi vào bản điều chỉnh."
    copy.refresh_from_db()
    plan.refresh_from_db()
    assert copy.edits == [] and (plan.number, plan.parent_id) == ("", world.parent.pk)
    assert AuditEvent.objects.count() == events


def test_a_number_taken_meanwhile_is_refused_when_applied(world):
    plan = _issued(world)
    copy = amendment_open(by=world.author, plan=plan)
    amendment_heading_save(by=world.author, amendment=copy, data={"number": "3-KH/ĐU"})
    PlanFactory(issuer=world.commune, key="x-2025", number="3-KH/ĐU", year_start=2025, year_end=2025)
    review = amendment_review(by=world.author, amendment=copy)
    assert not review.may_apply and review.items[0].refusal[0].startswith("Số ký hiệu 3-KH/ĐU đã là của")
    with pytest.raises(ValidationError):
        amendment_apply(by=world.author, amendment=copy, reason="Sửa số ký hiệu")
    plan.refresh_from_db()
    assert (plan.number, plan.version) == ("", 1)


# ---------------------------------------------------------------------------------------------------------- pages


def _heading_post(plan, **extra):
    return {"parent": plan.parent_id, "kind": plan.kind, "title": plan.title, "number": plan.number,
            "issued_on": "", "year_start": plan.year_start, "year_end": plan.year_end, **extra}


def test_the_heading_form_of_an_issued_plan_keeps_the_change_in_the_copy(client, world):
    plan = _issued(world, year_end=2027, late_task=True)
    later = _another_parent(world)
    client.force_login(world.author)
    page = client.get(f"/plans/{plan.key}/").content.decode()
    assert "Điều chỉnh: thông tin chung" in page
    # The years refused at their field, in Vietnamese; nothing kept.
    response = client.post(f"/plans/{plan.key}/edit/", _heading_post(plan, year_end=2026))
    assert response.status_code == 200 and "nhiệm vụ 3 (hạn Quý II/2027) sẽ nằm ngoài" in response.content.decode()
    assert PlanAmendment.objects.get(plan=plan).edits == []
    response = client.post(f"/plans/{plan.key}/edit/", _heading_post(plan, title=LONGER, year_end=2030,
                                                                     parent=later.pk))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.key}/amendment/"
    page = client.get(response["Location"]).content.decode()
    for line in (f"Tiêu đề: {TITLE} → {LONGER}", "Năm: 2026–2027 → 2026–2030",
                 "Thực hiện kế hoạch: 1-KH/TU → 2-KH/TU"):
        assert line in page
    # The form shows what the copy holds, not the issued heading.
    assert LONGER in client.get(f"/plans/{plan.key}/edit/").content.decode()
    plan.refresh_from_db()
    assert (plan.title, plan.year_end) == (TITLE, 2027)
    client.post(f"/plans/{plan.key}/amendment/apply/", {"reason": "Tỉnh ban hành kế hoạch giai đoạn"})
    page = client.get(f"/plans/{plan.key}/").content.decode()
    assert "Phiên bản 2" in page and "Năm: 2026–2027 → 2026–2030" in page  # the version history says it
    # Another reviewer of the province's communes does not reach the form.
    client.force_login(world.neighbour)
    assert client.get(f"/plans/{plan.key}/edit/").status_code == 404


def test_the_heading_form_page_stays_within_its_queries(client, world, django_assert_max_num_queries):
    plan = _issued(world)
    for year in range(2020, 2026):  # parents to choose from, named by issuer and years (no number): one query
        PlanFactory(issuer=world.province, number="", year_start=year, year_end=year)
    client.force_login(world.author)
    client.post(f"/plans/{plan.key}/edit/", _heading_post(plan, title=LONGER))
    with django_assert_max_num_queries(16):
        response = client.get(f"/plans/{plan.key}/edit/")
    assert response.status_code == 200 and "Tỉnh ủy P 2020" in response.content.decode()


# ------------------------------------------------------------------------------------------------------------ API


def test_the_api_takes_the_heading_with_the_edits_all_or_none(world):
    plan = _issued(world)
    later = _another_parent(world)
    PlanFactory(issuer=world.commune, key="x-2025", number="3-KH/ĐU", year_start=2025, year_end=2025)
    first = plan.targets.get(position=1)
    client = APIClient()
    client.force_authenticate(world.author)
    url = f"/api/v1/plans/{plan.key}/amendment/edits/"
    # A number another plan of the commune carries: the whole request refused, the target's edit with it.
    response = client.post(url, {"heading": {"number": "3-KH/ĐU"}, "targets": [{"id": first.pk, "value": "90"}]},
                           format="json")
    assert response.status_code == 400 and "Số ký hiệu 3-KH/ĐU đã là của" in str(response.json())
    assert not PlanAmendment.objects.filter(plan=plan).exists()  # not even the copy the request opened
    response = client.post(url, {"heading": {"year_end": 2030, "parent": later.key},
                                 "targets": [{"id": first.pk, "value": "90"}]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["lines"] == ["Năm: 2026 → 2026–2030", "Thực hiện kế hoạch: 1-KH/TU → 2-KH/TU",
                                        "Mục tiêu 1: ≥ 80% → ≥ 90%"]
    assert [item["key"] for item in response.json()["items"]] == ["plan", f"target-{first.pk}"]
    response = client.post(f"/api/v1/plans/{plan.key}/amendment/apply/", {"reason": "Giai đoạn 2026–2030"},
                           format="json")
    assert response.status_code == 200 and response.json()["version"] == 2 and response.json()["year_end"] == 2030


def test_the_heading_edit_is_in_the_schema(world):
    client = APIClient()
    client.force_authenticate(world.author)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    edits = schema["components"]["schemas"]["AmendmentEdits"]["properties"]
    assert "heading" in edits
    heading = schema["components"]["schemas"]["HeadingEdit"]["properties"]
    assert {"number", "title", "issued_on", "year_start", "year_end", "parent"} <= set(heading)


def test_the_api_amends_the_heading_at_once_with_its_reason(world):
    plan = _issued(world)
    client = APIClient()
    client.force_authenticate(world.author)
    response = client.post(f"/api/v1/plans/{plan.key}/amend/", {"reason": "Bổ sung số ký hiệu",
                                                                "heading": {"number": "7-KH/ĐU"}}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert plan.versions.get(number=2).changes == ["Số ký hiệu: — → 7-KH/ĐU"]
    response = client.post(f"/api/v1/plans/{plan.key}/amend/", {"reason": "Tự thực hiện",
                                                                "heading": {"parent": plan.key}}, format="json")
    # A plan implementing itself: refused as a cycle, version 2 stays the last.
    assert response.status_code == 400 and CYCLE in str(response.json()) and plan.versions.count() == 2


def test_a_draft_carrying_the_number_of_an_issued_plan_of_its_issuer_is_not_issued(world):
    draft = plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune, title=TITLE,
                                   year_start=2026, year_end=2026)
    Plan.objects.filter(pk=draft.pk).update(number="3-KH/ĐU")
    PlanFactory(issuer=world.commune, key="x-2025", number="3-kh/đu", title="Kế hoạch năm 2025 của xã X",
                year_start=2025, year_end=2025)
    with pytest.raises(ApplicationError) as refused:
        plan_issue(by=world.author, plan=draft)
    assert refused.value.message == ("Chưa thể ban hành kế hoạch: Số ký hiệu 3-KH/ĐU đã là của một kế hoạch khác "
                                     "của Đảng ủy xã X: Kế hoạch năm 2025 của xã X.")
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.versions.exists()
