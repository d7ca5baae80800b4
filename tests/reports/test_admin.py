"""The admin shows reports read-only; its one workflow action goes through the service."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import ComplianceRun, Reminder
from core.models import AuditEvent
from reports.models import Report, ReportDecision, ReportValue
from reports.services import ValueInput, report_save
from tests.factories import unit_make
from units.models import Membership

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)


@pytest.fixture
def submitted(world):
    return report_save(unit=world.ward, period=MAY, by=world.clerk, version=0, submit=True, values=[
        ValueInput(world.signed.pk, numerator=8, denominator=10),
        ValueInput(world.digitised.pk, numerator=5, denominator=10),
        ValueInput(world.milestone.pk, done=True, note="Đã triển khai"),
    ])


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "pw-admin-2026")
    client.force_login(user)
    return user


def _state(report):
    report = Report.objects.get(pk=report.pk)
    values = sorted(ReportValue.objects.filter(report=report).values_list("indicator_id", "numerator",
                                                                          "denominator", "done", "note"))
    return report.status, report.version, report.approved_at, values


def test_the_report_change_page_shows_figures_and_decisions_without_fields_to_edit(client, superuser, submitted):
    response = client.get(reverse("admin:reports_report_change", args=[submitted.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã triển khai" in html and "Đã nộp" in html  # the note and the status, as text
    for name in ['name="status"', 'name="period"', 'name="values-0-numerator"', 'name="values-0-note"',
                 'name="_save"', "Xóa"]:
        assert name not in html, name
    assert client.get(reverse("admin:reports_report_add")).status_code == 403


def test_a_post_to_the_change_page_changes_nothing(client, superuser, submitted, world):
    before = _state(submitted)
    events = AuditEvent.objects.count()
    value = ReportValue.objects.filter(report=submitted).first()
    response = client.post(reverse("admin:reports_report_change", args=[submitted.pk]), {
        "unit": world.ward.pk, "period": "2026-05-01", "status": "approved", "version": "7",
        "values-TOTAL_FORMS": "1", "values-INITIAL_FORMS": "1", "values-0-id": value.pk,
        "values-0-report": submitted.pk, "values-0-indicator": value.indicator_id, "values-0-numerator": "10",
        "values-0-denominator": "10", "_save": "1",
    })

    assert response.status_code == 403
    assert _state(submitted) == before
    assert not ReportDecision.objects.exists()
    assert AuditEvent.objects.count() == events
    delete = client.post(reverse("admin:reports_report_delete", args=[submitted.pk]), {"post": "yes"})
    assert delete.status_code == 403 and Report.objects.filter(pk=submitted.pk).exists()


def _approve_action(client, report):
    return client.post(reverse("admin:reports_report_changelist"), {
        "action": "approve_selected", "_selected_action": [report.pk]}, follow=True)


def test_the_approve_action_refuses_someone_who_does_not_review_the_unit(client, superuser, submitted):
    before = _state(submitted)

    response = _approve_action(client, submitted)

    assert f"{submitted}: Bạn không được giao duyệt báo cáo của đơn vị này." in response.content.decode()
    assert _state(submitted) == before
    assert not ReportDecision.objects.exists()


def test_the_approve_action_goes_through_the_workflow(client, superuser, submitted, world):
    Membership.objects.create(user=superuser, unit=world.province, role=Membership.Role.REVIEWER)

    response = _approve_action(client, submitted)

    assert "Đã duyệt 1 báo cáo." in response.content.decode()
    report = Report.objects.get(pk=submitted.pk)
    assert report.status == Report.Status.APPROVED and report.approved_at
    decision = ReportDecision.objects.get(report=report)
    assert decision.action == ReportDecision.Action.APPROVE and decision.by == superuser
    event = AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk)).first()
    assert event.actor == superuser and event.changes["status"] == ["submitted", "approved"]
    again = _approve_action(client, report)
    assert "Chỉ có thể duyệt báo cáo đã nộp." in again.content.decode()
    assert ReportDecision.objects.filter(report=report).count() == 1


@pytest.mark.parametrize("model", [ComplianceRun, Reminder])
def test_compliance_runs_and_reminders_cannot_be_added_changed_or_deleted(client, superuser, model):
    run = ComplianceRun.objects.create(period=MAY, as_of=timezone.now())
    obj = run if model is ComplianceRun else Reminder.objects.create(
        unit=unit_make(code="R1"), period=MAY, kind=Reminder._meta.get_field("kind").choices[0][0])
    name = f"admin:compliance_{model._meta.model_name}"

    assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
