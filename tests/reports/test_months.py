"""A report exists only for a month that has begun and that a plan binding the unit covers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.models import ComplianceRun
from compliance.selectors import latest_computed_month
from core.exceptions import ApplicationError
from reports.models import Report
from reports.services import ValueInput, report_open, report_save, report_values_import
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
NOT_BEGUN = "chưa bắt đầu"
NO_PLAN = "Không có kế hoạch nào áp dụng"


def _next_month() -> dt.date:
    this = timezone.localdate().replace(day=1)
    return (this + dt.timedelta(days=32)).replace(day=1)


def _far_months() -> list[dt.date]:
    return [_next_month(), dt.date(2027, 6, 1), dt.date(2099, 5, 1), dt.date(9999, 12, 1)]


@pytest.fixture
def long_plan(world):
    """A plan far into the future, so that only the month not having begun can be the reason for refusal."""
    return PlanFactory(issuer=world.province, year_start=2020, year_end=9999)


@pytest.mark.parametrize("period", _far_months())
def test_the_service_refuses_a_month_that_has_not_begun(world, long_plan, period):
    with pytest.raises(ApplicationError) as refused:
        report_open(unit=world.ward, period=period, by=world.clerk)
    assert NOT_BEGUN in refused.value.message and f"{period.month:02d}/{period.year}" in refused.value.message
    with pytest.raises(ApplicationError):
        report_save(unit=world.ward, period=period, by=world.clerk, version=0,
                    values=[ValueInput(world.signed.pk, numerator=1, denominator=2)])
    with pytest.raises(ApplicationError):
        report_values_import(unit=world.ward, period=period, by=world.reviewer,
                             values=[ValueInput(world.signed.pk, numerator=1, denominator=2)])
    assert not Report.objects.exists()


def test_the_service_refuses_a_month_no_plan_covers(world):
    # The world's plan covers 2026 only.
    with pytest.raises(ApplicationError) as refused:
        report_open(unit=world.ward, period=dt.date(2025, 12, 1), by=world.clerk)
    assert NO_PLAN in refused.value.message and world.ward.name in refused.value.message
    # A plan of another province does not cover this unit.
    PlanFactory(year_start=2025, year_end=2025)
    with pytest.raises(ApplicationError):
        report_open(unit=world.ward, period=dt.date(2025, 12, 1), by=world.clerk)
    assert not Report.objects.exists()


def test_this_month_and_past_months_of_the_plan_open(world):
    this_month = timezone.localdate().replace(day=1)
    PlanFactory(issuer=world.province, year_start=this_month.year, year_end=this_month.year)
    assert report_open(unit=world.ward, period=this_month, by=world.clerk).status == Report.Status.DRAFT
    assert report_open(unit=world.ward, period=dt.date(2026, 1, 1), by=world.clerk).pk


@pytest.mark.parametrize("period", _far_months())
def test_the_form_refuses_a_month_that_has_not_begun_with_a_message(client, world, long_plan, period):
    client.force_login(world.clerk)
    url = reverse("reports:form", kwargs={"code": world.ward.code, "period": period})
    response = client.get(url, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("reports:mine")
    assert NOT_BEGUN in response.content.decode()
    response = client.post(url, {"version": "0", "ky_so-numerator": "1", "ky_so-denominator": "2", "save": "1"})
    assert response.status_code == 302
    template = reverse("reports:template", kwargs={"code": world.ward.code, "period": period})
    assert NOT_BEGUN in client.get(template, follow=True).content.decode()
    upload = reverse("reports:import", kwargs={"code": world.ward.code, "period": period})
    assert NOT_BEGUN in client.post(upload, follow=True).content.decode()
    assert not Report.objects.exists()


def test_a_month_outside_the_plans_is_refused_on_the_form(client, world):
    client.force_login(world.clerk)
    url = reverse("reports:form", kwargs={"code": world.ward.code, "period": dt.date(2025, 5, 1)})
    assert NO_PLAN in client.get(url, follow=True).content.decode()


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "2026-00", "99999-01"])
def test_an_impossible_month_in_the_address_is_no_page(client, world, month):
    client.force_login(world.clerk)
    assert client.get(f"/reports/{world.ward.code}/{month}/").status_code == 404


def test_the_bulk_template_refuses_a_month_that_has_not_begun(client, world, long_plan):
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:bulk-import"),
                          {"unit": world.province.code, "month": f"{_next_month():%Y-%m}"}, follow=True)
    assert response.status_code == 200 and NOT_BEGUN in response.content.decode()


@pytest.mark.parametrize("period", ["9999-12", "2099-05", "2026-13", "0000-01", "2025-05"])
def test_the_api_refuses_impossible_and_future_months_with_a_message(world, long_plan, period):
    long_plan.year_start = 2026
    long_plan.save()
    api = APIClient()
    api.force_authenticate(world.clerk)
    response = api.post("/api/v1/reports/", {"unit": world.ward.code, "period": period}, format="json")
    assert response.status_code == 400, response.content
    body = response.content.decode()
    assert any(text in body for text in (NOT_BEGUN, NO_PLAN, "không phải là một tháng")), body
    assert not Report.objects.exists()


def test_the_dashboard_never_jumps_to_a_month_that_has_not_begun(client, world):
    past = dt.date(2026, 10, 1)
    for period in (past, _next_month(), dt.date(2099, 5, 1)):
        ComplianceRun.objects.create(period=period, state=ComplianceRun.State.DONE, is_current=True,
                                     as_of=timezone.now())
    assert latest_computed_month() == past
    client.force_login(world.reviewer)
    html = client.get(reverse("compliance:dashboard")).content.decode()
    assert "10/2026" in html and "05/2099" not in html


def test_a_month_begins_at_midnight_in_vietnam_not_on_the_server_clock(world, monkeypatch):
    december = dt.date(2026, 12, 1)
    # 23:30 on 30/11 in Hà Nội: December has not begun there, although it is 16:30 UTC.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC))
    with pytest.raises(ApplicationError):
        report_open(unit=world.ward, period=december, by=world.clerk)
    # 00:30 on 1/12 in Hà Nội, still 30/11 in UTC: December has begun.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC))
    assert report_open(unit=world.ward, period=december, by=world.clerk).period == december
