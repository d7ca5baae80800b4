"""Writing a plan: a draft from its parent, issued to bind, amended with its reason, a target retired not removed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from authoring.services import (
    TargetEdit,
    TaskEdit,
    due_read,
    plan_amend,
    plan_draft_create,
    plan_draft_from_parent,
    plan_issue,
    target_delete,
    target_retire,
    target_save,
    task_save,
)
from compliance.models import ComplianceRun
from core.exceptions import ApplicationError
from core.models import AuditEvent
from core.periods import DueKind
from plans.models import Plan, PlanStatus, PlanVersion
from reports.models import Report, ReportValue
from targets.binding import targets_for_unit
from targets.models import Comparator, Counts, Target
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def _child(world, **kwargs):
    return plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune,
                                  title="Kế hoạch chuyển đổi số xã X", year_start=2026, year_end=2026, **kwargs)


@pytest.mark.parametrize(("text", "kind", "day"), [
    ("Quý II/2026", DueKind.QUARTER, dt.date(2026, 6, 30)),  # the quarter's last day
    ("09/2026", DueKind.DATE, dt.date(2026, 9, 30)),  # a month: its last day
    ("31/12/2026", DueKind.DATE, dt.date(2026, 12, 31)),
    ("Năm 2027", DueKind.YEAR, dt.date(2027, 12, 31)),
    ("2026", DueKind.YEAR, dt.date(2026, 12, 31)),
])
def test_a_deadline_is_read_as_plans_write_it(text, kind, day):
    due = due_read(text)
    assert (due.kind, due.on) == (kind, day)


def test_a_deadline_that_is_no_date_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as refused:
        due_read("31/02/2026")
    assert "không phải là hạn" in str(refused.value)


def test_from_the_parent_copies_its_targets_and_tasks_with_their_links(world):
    draft = _child(world)

    assert draft.status == PlanStatus.DRAFT and draft.parent == world.parent
    assert draft.key == "p-x-2026"  # issuer code P.X → "p-x", then the year
    assert list(draft.authors.all()) == [world.author]
    # The parent has 3 targets, one retired from 07/2026: 3 − 1 = 2 copied, in order, each linked to its source.
    targets = list(draft.targets.order_by("position"))
    assert [(t.position, t.parent_target) for t in targets] == [(1, world.held), (2, world.named)]
    assert [t.value_label for t in targets] == ["≥ 80%", "30 – 40%"]
    # Re-based on the commune: no scope unit (the commune itself); of the named units the school (under the
    # commune) stays and commune Y (beside it) goes.
    assert all(t.scope_unit is None and t.scope == world.commune for t in targets)
    assert targets[1].counts == Counts.NAMED and list(targets[1].applies_to_units.all()) == [world.school]
    # 2 tasks, linked; the lead (commune Y, outside) is dropped, of the cooperating units only the commune stays.
    tasks = list(draft.tasks.order_by("number"))
    assert [(t.number, t.parent_task.plan, t.lead_unit) for t in tasks] == [(1, world.parent, None),
                                                                             (2, world.parent, None)]
    assert [list(t.cooperating_units.all()) for t in tasks] == [[world.commune], [world.commune]]
    assert AuditEvent.objects.filter(object_type="plans.plan", object_id=str(draft.pk)).count() == 2


def test_a_second_draft_of_the_same_years_gets_the_next_key(world):
    assert _child(world).key == "p-x-2026"
    assert _child(world).key == "p-x-2026-2"


def test_only_the_issuers_office_writes_its_plan(world):
    for stranger in (world.clerk, world.neighbour):
        with pytest.raises(ApplicationError):
            plan_draft_from_parent(by=stranger, parent=world.parent, issuer=world.commune, title="x",
                                   year_start=2026, year_end=2026)
    assert not Plan.objects.filter(issuer=world.commune).exists()
    draft = _child(world)
    # A colleague of the same office does not write someone else's draft (and does not see it).
    with pytest.raises(ApplicationError):
        target_save(by=world.colleague, plan=draft, data={"clause": "x"})


def test_a_parent_must_be_above_the_issuer(world):
    with pytest.raises(ValidationError) as refused:
        plan_draft_create(by=world.author, issuer=world.commune, title="x", year_start=2026, year_end=2026,
                          parent=Plan.objects.create(key="other", title="x", issuer=world.other, year_start=2026,
                                                     year_end=2026))
    assert "đơn vị cấp trên" in str(refused.value)


def test_a_target_is_checked_whole_and_its_named_units_stay_under_its_scope(world):
    draft = _child(world)
    data = {"indicator": world.signed, "comparator": Comparator.RANGE, "value": Decimal(90), "value_max": Decimal(80),
            "due": "Quý IV/2026", "clause": "Từ 80 đến 90%"}
    with pytest.raises(ValidationError) as refused:
        target_save(by=world.author, plan=draft, data=data)
    assert "value_max" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        target_save(by=world.author, plan=draft, data={**data, "value": Decimal(80), "value_max": Decimal(90),
                                                        "counts": Counts.NAMED, "applies_to_units": [world.other]})
    assert "Đảng ủy xã Y" in refused.value.message_dict["applies_to_units"][0]
    target = target_save(by=world.author, plan=draft, data={**data, "value": Decimal(80), "value_max": Decimal(90)})
    # The third target of the draft, due on the last day of Quý IV/2026.
    assert (target.position, target.due_kind, target.due_on) == (3, DueKind.QUARTER, dt.date(2026, 12, 31))


def test_issuing_makes_the_commune_bound_at_once(world):
    draft = _child(world)
    own = target_save(by=world.author, plan=draft, data={
        "indicator": world.signed, "comparator": Comparator.AT_LEAST, "value": Decimal(95), "due": "2026",
        "clause": "95% văn bản của xã được ký số"})
    assert own not in targets_for_unit(unit=world.commune, period=OCT)  # a draft binds no one

    version = plan_issue(by=world.author, plan=draft)

    draft.refresh_from_db()
    assert (draft.status, draft.version, version.number) == (PlanStatus.ISSUED, 1, 1)
    assert own in targets_for_unit(unit=world.commune, period=OCT)
    # The snapshot keeps the 3 targets (2 adopted + 1 own) and 2 tasks as plain JSON.
    assert [t["value_label"] for t in version.snapshot["targets"]] == ["≥ 80%", "30 – 40%", "≥ 95%"]
    assert len(version.snapshot["tasks"]) == 2 and version.created_by == world.author
    # An issued plan changes only by an amendment.
    with pytest.raises(ApplicationError):
        target_save(by=world.author, plan=draft, target=own, data={"value": Decimal(99)})


def test_issuing_asks_compliance_for_the_computed_months_of_the_plans_years(world, monkeypatch):
    asked = []
    monkeypatch.setattr("compliance.receivers.compliance_request", lambda *, period: asked.append(period))
    for period in (dt.date(2025, 12, 1), SEP, OCT):
        ComplianceRun.objects.create(period=period, is_current=True, state=ComplianceRun.State.DONE,
                                     as_of=timezone.now())
    ComplianceRun.objects.create(period=dt.date(2026, 11, 1), is_current=False, as_of=timezone.now())
    plan_issue(by=world.author, plan=_child(world))
    # The plan is of 2026: of the four runs, 12/2025 is outside its years and 11/2026 is not current.
    assert asked == [SEP, OCT]


def test_an_empty_plan_or_a_broken_target_is_not_issued(world):
    draft = plan_draft_create(by=world.author, issuer=world.commune, title="Trống", year_start=2026, year_end=2026)
    with pytest.raises(ApplicationError) as refused:
        plan_issue(by=world.author, plan=draft)
    assert "chưa có mục tiêu" in refused.value.message
    Target.objects.create(plan=draft, position=1, indicator=world.signed, comparator=Comparator.RANGE, value=30,
                          due_kind=DueKind.YEAR, due_on=dt.date(2026, 12, 31), clause="thiếu giá trị trên")
    with pytest.raises(ApplicationError) as refused:
        plan_issue(by=world.author, plan=draft)
    assert refused.value.message.count("Mục tiêu 1") == 1
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT and not PlanVersion.objects.exists()


def test_an_amendment_keeps_version_1_and_says_what_changed_and_why(world):
    draft = _child(world)
    plan_issue(by=world.author, plan=draft)
    first, second = draft.targets.order_by("position")
    task = draft.tasks.get(number=2)

    with pytest.raises(ValidationError):
        plan_amend(by=world.author, plan=draft, reason=" ", targets=[TargetEdit(first, {"value": Decimal(90)})])
    version = plan_amend(
        by=world.author, plan=draft, reason="Tỉnh giao thêm chỉ tiêu",
        targets=[TargetEdit(first, {"value": Decimal(90)}), TargetEdit(second, {"due": "Quý III/2026"}),
                 TargetEdit(None, {"indicator": world.ai, "comparator": Comparator.AT_LEAST, "value": Decimal(50),
                                   "due": "2026", "clause": "50% chi bộ ứng dụng AI"})],
        tasks=[TaskEdit(task, remove=True)])

    draft.refresh_from_db()
    assert (draft.version, version.number, version.reason) == (2, 2, "Tỉnh giao thêm chỉ tiêu")
    assert version.changes == [
        "Mục tiêu 1: ≥ 80% → ≥ 90%",
        "Mục tiêu 2: hạn Năm 2026 → Quý III/2026",
        "Thêm mục tiêu 3",
        "Bỏ nhiệm vụ 2",
    ]
    kept = PlanVersion.objects.get(plan=draft, number=1)
    assert [t["value_label"] for t in kept.snapshot["targets"]] == ["≥ 80%", "30 – 40%"]  # as issued
    assert len(kept.snapshot["tasks"]) == 2


def test_a_plan_loaded_from_its_document_keeps_its_first_version_when_amended(world):
    version = plan_amend(by=_office(world), plan=world.parent, reason="Điều chỉnh",
                         targets=[TargetEdit(world.held, {"value": Decimal(85)})])
    # The seed plan had no version row: its version 1 is recorded as it was, then version 2 with the change.
    assert list(world.parent.versions.values_list("number", flat=True)) == [1, 2]
    assert version.changes == ["Mục tiêu 1: ≥ 80% → ≥ 85%"]
    assert world.parent.versions.get(number=1).snapshot["targets"][0]["value_label"] == "≥ 80%"


def _office(world):
    return MembershipFactory(user=UserFactory(), unit=world.province, role=Membership.Role.REVIEWER).user


def _approved(unit, period, indicator):
    report = Report.objects.create(unit=unit, period=period, status=Report.Status.APPROVED)
    ReportValue.objects.create(report=report, indicator=indicator, numerator=8, denominator=10)


def test_a_target_with_approved_figures_is_retired_not_removed(world):
    draft = _child(world)
    plan_issue(by=world.author, plan=draft)
    own = draft.targets.get(position=1)
    _approved(world.commune, SEP, world.signed)  # the commune's September figures, approved

    with pytest.raises(ApplicationError) as refused:
        plan_amend(by=world.author, plan=draft, reason="Bỏ", targets=[TargetEdit(own, remove=True)])
    assert "đã có số liệu được duyệt" in refused.value.message and "thôi áp dụng từ một tháng" in refused.value.message
    assert Target.objects.filter(pk=own.pk).exists() and draft.versions.count() == 1

    version = target_retire(by=world.author, target=own, from_month=OCT, reason="Chỉ tiêu đã đạt")
    assert version.changes == ["Mục tiêu 1 thôi áp dụng từ 10/2026"]
    assert own in targets_for_unit(unit=world.commune, period=SEP)  # the month before stays bound
    assert own not in targets_for_unit(unit=world.commune, period=OCT)


def test_a_target_without_approved_figures_is_removed_by_amendment(world):
    draft = _child(world)
    plan_issue(by=world.author, plan=draft)
    second = draft.targets.get(position=2)
    _approved(world.commune, SEP, world.signed)  # figures of another indicator do not hold it
    version = plan_amend(by=world.author, plan=draft, reason="Không phù hợp", targets=[TargetEdit(second, remove=True)])
    assert version.changes == ["Bỏ mục tiêu 2"]


def test_a_draft_target_and_task_are_edited_and_deleted_with_an_audit_row(world):
    draft = _child(world)
    target = draft.targets.get(position=1)
    target_save(by=world.author, plan=draft, target=target, data={"value": Decimal(85)})
    event = AuditEvent.objects.get(object_type="targets.target", object_id=str(target.pk))
    assert event.changes == {"value": ["80.00", "85"]}
    task = task_save(by=world.author, plan=draft, data={"title": "Số hóa hồ sơ", "due": "", "recurrence": "monthly",
                                                         "cooperating_units": [world.school]})
    assert (task.number, task.due_kind, task.due_on) == (3, DueKind.RECURRING, None)  # after tasks 1 and 2
    target_delete(by=world.author, target=target)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(object_type="targets.target", action=AuditEvent.Action.DELETE).count() == 1
