"""The review page's history, decisions and submissions when an event has no account behind it."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from core.services import audit_record
from reports.services import (
    ValueInput,
    report_open,
    report_return,
    report_submit,
    report_values_save,
)

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)


def _section(html: str, start: str, end: str | None = None) -> str:
    part = html.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_review_page_names_the_system_and_a_deleted_account_as_it_was(client, world):
    world.clerk.first_name = "Nguyễn Thị Lan"
    world.clerk.save()
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, version=report.version, values=[
        ValueInput(world.signed.pk, numerator=8, denominator=10),
        ValueInput(world.digitised.pk, numerator=5, denominator=10),
        ValueInput(world.milestone.pk, done=True),
    ])
    report = report_submit(report=report, by=world.clerk, version=report.version)
    report = report_return(report=report, by=world.reviewer, reason="Thiếu số liệu", value_reasons={})
    audit_record(actor=None, action=AuditEvent.Action.UPDATE, instance=report, changes={"due_on": ["a", "b"]})
    world.clerk.delete()  # the clerk left; what they did stays theirs

    client.force_login(world.reviewer)
    response = client.get(reverse("reports:detail", kwargs={"pk": report.pk}))

    assert response.status_code == 200
    html = response.content.decode()
    history = _section(html, 'class="grid history"')
    assert history.count("Nguyễn Thị Lan") == 3  # opened, saved, submitted
    assert "Hệ thống" in history
    assert "(tài khoản đã xóa)" in _section(html, "<h2>Các lần nộp</h2>", 'class="grid history"')
    reviewer = world.reviewer.get_full_name() or world.reviewer.username
    assert reviewer in history


def test_returned_form_names_a_reviewer_whose_account_was_deleted(client, world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=world.clerk, version=report.version, values=[
        ValueInput(world.signed.pk, numerator=8, denominator=10),
        ValueInput(world.digitised.pk, numerator=5, denominator=10),
        ValueInput(world.milestone.pk, done=True),
    ])
    report = report_submit(report=report, by=world.clerk, version=report.version)
    report_return(report=report, by=world.reviewer, reason="Thiếu số liệu", value_reasons={})
    world.reviewer.delete()

    client.force_login(world.clerk)
    response = client.get(reverse("reports:form", kwargs={"code": world.ward.code, "period": MAY}))

    assert response.status_code == 200
    assert "(tài khoản đã xóa)" in response.content.decode()
    assert "Thiếu số liệu" in response.content.decode()
