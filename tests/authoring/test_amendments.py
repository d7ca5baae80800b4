"""The working copy of an amendment: an issued plan changed over several saves by its office, shared between its
writers, binding no one until applied as one version with one reason, re-checked when applied."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from authoring.amendments import (
    amendment_apply,
    amendment_discard,
    amendment_edit_drop,
    amendment_open,
    amendment_review,
    amendment_target_remove,
    amendment_target_retire,
    amendment_target_save,
    amendment_task_close,
    amendment_task_remove,
    amendment_task_save,
)
from authoring.models import PlanAmendment
from authoring.services import plan_draft_from_parent, plan_issue
from core.exceptions import ApplicationError
from core.models import AuditEvent
from plans.models import PlanVersion
from reports.models import Report, ReportValue
from targets.binding import targets_for_unit
from targets.models import Comparator, Target
from tasks.models import TaskClosure, TaskRecord

pytestmark = pytest.mark.django_db
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def _issued(world):
    plan = plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune,
                                  title="Kế hoạch chuyển đổi số xã X", year_start=2026, year_end=2026)
    plan_issue(by=world.author, plan=plan)
    return plan


def _approved(unit, period, indicator):
    report = Report.objects.create(unit=unit, period=period, status=Report.Status.APPROVED)
    ReportValue.objects.create(report=report, indicator=indicator, numerator=8, denominator=10)


NEW_TASK = {"title": "Tập huấn ký số cho chi bộ", "due": "Quý IV/2026", "expected_output": "Báo cáo kết quả"}


def test_a_working_copy_over_several_saves_becomes_one_version_with_one_reason(world):
    plan = _issued(world)
    first, second = plan.targets.order_by("position")
    copy = amendment_open(by=world.author, plan=plan)
    amendment_target_save(by=world.author, amendment=copy, target=first, data={"value": Decimal(85)})
    # The same target saved again: the later value replaces the earlier one (the page posts the whole target).
    amendment_target_save(by=world.author, amendment=copy, target=first, data={"value": Decimal(90)})
    # A second writer of the plan opening "its" amendment continues the same copy.
    shared = amendment_open(by=world.colleague, plan=plan)
    assert shared.pk == copy.pk
    amendment_task_save(by=world.colleague, amendment=shared, task=None, data=NEW_TASK)
    amendment_target_retire(by=world.colleague, amendment=shared, target=second, from_month=dt.date(2026, 10, 15))

    # Nothing has changed yet: target 1 still asks 80%, no version 2, no third task.
    first.refresh_from_db()
    assert (first.value, plan.versions.count(), plan.tasks.count()) == (80, 1, 2)
    assert second in targets_for_unit(unit=world.school, period=OCT)  # the retirement binds no one yet
    review = amendment_review(by=world.author, amendment=PlanAmendment.objects.get(pk=copy.pk))
    assert review.lines == ["Mục tiêu 1: ≥ 80% → ≥ 90%", "Mục tiêu 2 thôi áp dụng từ 10/2026", "Thêm nhiệm vụ 3"]
    assert [(item.label, item.action) for item in review.items] == [
        ("Mục tiêu 1", "sửa"), ("Nhiệm vụ mới: Tập huấn ký số cho chi bộ", "thêm"),
        ("Mục tiêu 2", "thôi áp dụng từ 10/2026")]
    assert review.may_apply and not review.problems

    events = AuditEvent.objects.count()
    version = amendment_apply(by=world.colleague, amendment=copy, reason="Tỉnh giao thêm chỉ tiêu")
    # One new version with the three lines and the reason, and one audit row naming who applied it.
    assert (version.number, version.reason, version.created_by) == (2, "Tỉnh giao thêm chỉ tiêu", world.colleague)
    assert version.changes == review.lines
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.object_type, event.changes["version"]) == (world.colleague, "plans.plan", [1, 2])
    first.refresh_from_db()
    assert first.value == 90 and plan.tasks.count() == 3
    assert second not in targets_for_unit(unit=world.school, period=OCT)
    copy.refresh_from_db()
    assert (copy.status, copy.version) == (PlanAmendment.Status.APPLIED, version)
    # Applied, it is closed: the next opening is a new copy, amending version 2.
    again = amendment_open(by=world.author, plan=plan)
    assert again.pk != copy.pk and again.based_on == 2


def test_a_working_copy_is_for_the_plans_writers_only(world):
    plan = _issued(world)
    for outsider in (world.neighbour, world.clerk):
        with pytest.raises(ApplicationError):
            amendment_open(by=outsider, plan=plan)
    copy = amendment_open(by=world.author, plan=plan)
    with pytest.raises(ApplicationError):
        amendment_target_save(by=world.neighbour, amendment=copy, target=None, data={})
    draft = plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune, title="Bản nháp",
                                   year_start=2026, year_end=2026)
    with pytest.raises(ApplicationError) as refused:
        amendment_open(by=world.author, plan=draft)
    assert "chỉ kế hoạch đã ban hành mới cần điều chỉnh" in refused.value.message
    assert PlanAmendment.objects.count() == 1


def test_a_refused_edit_is_not_kept_and_says_why(world):
    plan = _issued(world)
    first = plan.targets.get(position=1)
    copy = amendment_open(by=world.author, plan=plan)
    # A range with its upper value below the lower one is refused by the target's own checks, as a draft's is.
    with pytest.raises(ValidationError):
        amendment_target_save(by=world.author, amendment=copy, target=first,
                              data={"comparator": Comparator.RANGE, "value": Decimal(90), "value_max": Decimal(80)})
    with pytest.raises(ValidationError) as refused:
        amendment_target_save(by=world.author, amendment=copy, target=None, data={"due": "cuối năm"})
    assert "“cuối năm” không phải là hạn" in str(refused.value)
    _approved(world.commune, SEP, world.signed)
    with pytest.raises(ApplicationError) as refused:
        amendment_target_remove(by=world.author, amendment=copy, target=first)
    assert "thôi áp dụng từ một tháng" in refused.value.message
    copy.refresh_from_db()
    assert copy.edits == [] and copy.added == 0


def test_applying_rechecks_the_plan_as_it_is_then(world):
    plan = _issued(world)
    first = plan.targets.get(position=1)
    copy = amendment_open(by=world.author, plan=plan)
    amendment_target_remove(by=world.author, amendment=copy, target=first)  # no approved figures yet: kept
    amendment_task_save(by=world.author, amendment=copy, task=None, data=NEW_TASK)
    _approved(world.commune, SEP, world.signed)  # meanwhile, the commune's September figures are approved

    review = amendment_review(by=world.author, amendment=copy)
    refused = {item.key: item.refusal for item in review.items if item.refusal}
    assert list(refused) == [f"target-{first.pk}"] and "đã có số liệu được duyệt" in refused[f"target-{first.pk}"][0]
    assert not review.may_apply
    with pytest.raises(ApplicationError) as stopped:
        amendment_apply(by=world.author, amendment=copy, reason="Bỏ chỉ tiêu")
    assert "thôi áp dụng từ một tháng" in stopped.value.message
    # Nothing written: the target, no new task, version 1 alone, the copy still open with its two edits.
    assert Target.objects.filter(pk=first.pk).exists() and plan.tasks.count() == 2
    assert list(plan.versions.values_list("number", flat=True)) == [1]
    copy.refresh_from_db()
    assert copy.status == PlanAmendment.Status.OPEN and len(copy.edits) == 2

    # The way out it names: take the removal back, retire the target from October instead, apply.
    amendment_edit_drop(by=world.author, amendment=copy, key=f"target-{first.pk}")
    amendment_target_retire(by=world.author, amendment=copy, target=first, from_month=OCT)
    version = amendment_apply(by=world.author, amendment=copy, reason="Chỉ tiêu đã đạt")
    assert version.changes == ["Mục tiêu 1 thôi áp dụng từ 10/2026", "Thêm nhiệm vụ 3"]


def test_a_reason_is_required_and_an_empty_copy_changes_nothing(world):
    plan = _issued(world)
    copy = amendment_open(by=world.author, plan=plan)
    with pytest.raises(ApplicationError) as refused:
        amendment_apply(by=world.author, amendment=copy, reason="Lý do")
    assert refused.value.message == "Lần điều chỉnh này không thay đổi gì."
    amendment_target_save(by=world.author, amendment=copy, target=plan.targets.get(position=1),
                          data={"value": Decimal(90)})
    with pytest.raises(ValidationError):
        amendment_apply(by=world.author, amendment=copy, reason="  ")
    assert plan.versions.count() == 1


def test_discarding_leaves_the_plan_as_issued(world):
    plan = _issued(world)
    first = plan.targets.get(position=1)
    copy = amendment_open(by=world.author, plan=plan)
    amendment_target_save(by=world.author, amendment=copy, target=first, data={"value": Decimal(90)})
    amendment_discard(by=world.author, amendment=copy)
    first.refresh_from_db()
    assert first.value == 80 and plan.versions.count() == 1
    with pytest.raises(ApplicationError):
        amendment_apply(by=world.author, amendment=copy, reason="Muộn")
    # Kept for the record, marked discarded; each step left its audit row (opened, saved, discarded).
    assert PlanAmendment.objects.get(pk=copy.pk).status == PlanAmendment.Status.DISCARDED
    assert AuditEvent.objects.filter(object_type="authoring.planamendment", object_id=str(copy.pk)).count() == 3
    assert amendment_open(by=world.author, plan=plan).pk != copy.pk


def test_one_open_copy_per_plan_in_the_database(world):
    plan = _issued(world)
    amendment_open(by=world.author, plan=plan)
    with pytest.raises(IntegrityError):
        PlanAmendment.objects.create(plan=plan, based_on=1)


def test_a_task_with_progress_is_closed_not_removed(world):
    plan = _issued(world)
    reported, bare = plan.tasks.order_by("number")
    TaskRecord.objects.create(task=reported, state="in_progress")  # its lead unit has reported progress
    copy = amendment_open(by=world.author, plan=plan)
    with pytest.raises(ApplicationError) as refused:
        amendment_task_remove(by=world.author, amendment=copy, task=reported)
    assert "không thể bỏ" in refused.value.message and "kết thúc nhiệm vụ từ một ngày" in refused.value.message
    with pytest.raises(ValidationError):  # before the plan's years
        amendment_task_close(by=world.author, amendment=copy, task=reported, from_day=dt.date(2025, 12, 1))
    amendment_task_close(by=world.author, amendment=copy, task=reported, from_day=dt.date(2026, 10, 1))
    amendment_task_remove(by=world.author, amendment=copy, task=bare)  # nothing recorded: it may go
    assert not TaskClosure.objects.exists()  # nothing until applied
    version = amendment_apply(by=world.author, amendment=copy, reason="Nhiệm vụ đã chuyển cho đơn vị khác")
    assert version.changes == ["Bỏ nhiệm vụ 2", "Nhiệm vụ 1 kết thúc từ 01/10/2026"]
    assert TaskClosure.objects.get(task=reported).closed_from == dt.date(2026, 10, 1)
    # In the history: version 2 keeps the closed task and its day; version 1 keeps it as issued.
    kept = {v.number: v.snapshot["tasks"] for v in PlanVersion.objects.filter(plan=plan)}
    assert [t["closed_from"] for t in kept[2]] == ["2026-10-01"] and len(kept[1]) == 2
