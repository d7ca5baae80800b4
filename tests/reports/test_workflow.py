import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError
from core.models import AuditEvent
from plans.selectors import report_due_on
from reports.models import Report, ReportDecision
from reports.selectors import reports_visible_to, review_queue
from reports.services import (
    ValueInput,
    report_approve,
    report_open,
    report_reopen,
    report_return,
    report_submit,
    report_values_save,
    submission_changes,
)
from tests.factories import MembershipFactory, PlanFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)


def _full(world, **overrides):
    values = {
        "signed": ValueInput(world.signed.pk, numerator=80, denominator=100),
        "digitised": ValueInput(world.digitised.pk, numerator=500, denominator=1000),
        "milestone": ValueInput(world.milestone.pk, done=False),
    }
    values.update(overrides)
    return list(values.values())


def test_the_whole_round(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    assert report.status == Report.Status.DRAFT and report.due_on == dt.date(2026, 6, 20)

    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    assert report.status == Report.Status.SUBMITTED
    assert list(review_queue(user=world.reviewer)) == [report]

    report = report_return(report=report, by=world.reviewer, reason="Số văn bản ký số chưa khớp sổ",
                           value_reasons={"ky_so": "Kiểm tra lại tử số"})
    assert report.status == Report.Status.RETURNED
    decision = ReportDecision.objects.get(report=report)
    assert decision.value_reasons == {"ky_so": "Kiểm tra lại tử số"}

    corrected = _full(world, signed=ValueInput(world.signed.pk, numerator=90, denominator=100))
    report = report_values_save(report=report, by=world.clerk, values=corrected, version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    assert submission_changes(report=report) == {str(world.signed.pk): {"numerator": [80, 90]}}
    assert report.submissions.count() == 2

    report = report_approve(report=report, by=world.reviewer)
    assert report.status == Report.Status.APPROVED and report.approved_at
    with pytest.raises(ApplicationError):
        report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)

    report = report_reopen(report=report, by=world.reviewer, reason="Sai số liệu tháng 5")
    assert report.status == Report.Status.RETURNED
    statuses = [e.changes["status"] for e in AuditEvent.objects.filter(object_type="reports.report",
                                                                        changes__has_key="status").order_by("id")]
    assert statuses == [[None, "draft"], ["draft", "submitted"], ["submitted", "returned"],
                        ["returned", "submitted"], ["submitted", "approved"], ["approved", "returned"]]


def test_every_value_change_is_audited_with_old_and_new(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    report_values_save(report=report, by=world.clerk, version=report.version,
                       values=[ValueInput(world.signed.pk, numerator=85, denominator=100)])
    last = AuditEvent.objects.filter(object_type="reports.report").latest("id")
    assert last.actor == world.clerk
    assert last.changes == {"ky_so.numerator": [80, 85]}


def test_a_later_save_on_a_stale_version_is_refused_and_nothing_is_lost(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    opened = report.version
    report_values_save(report=report, by=world.clerk, values=_full(world), version=opened)
    with pytest.raises(ApplicationError) as caught:
        report_values_save(report=report, by=world.clerk, version=opened,
                           values=[ValueInput(world.signed.pk, numerator=1, denominator=100)])
    assert "Người khác đã lưu báo cáo này" in caught.value.message
    assert report.values.get(indicator=world.signed).numerator == 80


def test_wrong_values_are_refused_as_a_whole_with_vietnamese_messages(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    with pytest.raises(ValidationError) as caught:
        report_values_save(report=report, by=world.clerk, version=report.version, values=_full(
            world, signed=ValueInput(world.signed.pk, numerator=120, denominator=100),
            digitised=ValueInput(world.digitised.pk, numerator=0, denominator=0)))
    assert caught.value.message_dict["ky_so.numerator"] == ["Tử số không được lớn hơn mẫu số."]
    assert "so_hoa.note" in caught.value.message_dict
    assert not report.values.exists()


def test_a_level_below_the_last_approved_month_needs_a_note(world):
    april = report_open(unit=world.ward, period=dt.date(2026, 4, 1), by=world.clerk)
    april = report_values_save(report=april, by=world.clerk, values=_full(world), version=april.version)
    april = report_submit(report=april, by=world.clerk, version=april.version)
    report_approve(report=april, by=world.reviewer)

    may = report_open(unit=world.ward, period=MAY, by=world.clerk)
    lower = _full(world, digitised=ValueInput(world.digitised.pk, numerator=400, denominator=1000))
    with pytest.raises(ValidationError) as caught:
        report_values_save(report=may, by=world.clerk, values=lower, version=may.version)
    assert "500" in caught.value.message_dict["so_hoa.note"][0]
    explained = _full(world, digitised=ValueInput(world.digitised.pk, numerator=400, denominator=1000,
                                                  note="Loại bỏ hồ sơ trùng"))
    report_values_save(report=may, by=world.clerk, values=explained, version=may.version)


def test_submitting_twice_submits_once(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    version = report.version
    report_submit(report=report, by=world.clerk, version=version)
    report_submit(report=report, by=world.clerk, version=version)
    assert report.submissions.count() == 1


def test_an_incomplete_report_cannot_be_submitted(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, version=report.version,
                                values=_full(world)[:1])
    with pytest.raises(ApplicationError) as caught:
        report_submit(report=report, by=world.clerk, version=report.version)
    assert world.milestone.name in caught.value.message


def test_a_return_needs_a_reason(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    with pytest.raises(ValidationError) as caught:
        report_return(report=report, by=world.reviewer, reason="  ")
    assert "lý do" in caught.value.message_dict["reason"][0]
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


def test_roles_are_denied_then_allowed(world):
    outsider = UserFactory()
    other_clerk = MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user
    for user in (outsider, other_clerk, world.reviewer):
        with pytest.raises(ApplicationError):
            report_open(unit=world.ward, period=MAY, by=user)
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    for user in (outsider, other_clerk, world.clerk):
        with pytest.raises(ApplicationError):
            report_approve(report=report, by=user)
    report_approve(report=report, by=world.reviewer)


def test_reports_are_visible_only_in_scope(world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    other_clerk = MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user
    viewer = MembershipFactory(unit=world.province, role=Membership.Role.VIEWER).user
    assert list(reports_visible_to(user=world.clerk)) == [report]
    assert list(reports_visible_to(user=world.reviewer)) == [report]
    assert list(reports_visible_to(user=viewer)) == [report]
    assert list(reports_visible_to(user=other_clerk)) == []
    assert list(reports_visible_to(user=UserFactory())) == []


def test_the_due_date_follows_the_nearest_plan(world):
    PlanFactory(issuer=world.ward, report_due_day=15, source_text="Kế hoạch của phường")
    assert report_due_on(unit=world.ward, period=dt.date(2026, 12, 1)) == dt.date(2027, 1, 15)
    assert report_due_on(unit=world.other_ward, period=MAY) == dt.date(2026, 6, 20)


def test_a_viewer_reads_the_subtree_but_changes_nothing(world):
    viewer = MembershipFactory(unit=world.province, role=Membership.Role.VIEWER).user
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, values=_full(world), version=report.version)
    assert list(reports_visible_to(user=viewer)) == [report]
    with pytest.raises(ApplicationError):
        report_values_save(report=report, by=viewer, values=_full(world), version=report.version)
    with pytest.raises(ApplicationError):
        report_submit(report=report, by=viewer, version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    for decide in (lambda: report_approve(report=report, by=viewer),
                   lambda: report_return(report=report, by=viewer, reason="Không đồng ý")):
        with pytest.raises(ApplicationError):
            decide()
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
