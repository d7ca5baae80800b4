"""Separation of duties: whoever entered figures in a report or submitted it does not approve or return it."""

import datetime as dt

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from reports.models import Report, ReportDecision
from reports.services import (
    ValueInput,
    report_approve,
    report_open,
    report_return,
    report_submit,
    report_values_save,
)
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)
REFUSAL = "Bạn đã nhập số liệu hoặc gửi báo cáo này"


def _values(world, signed=80):
    return [ValueInput(world.signed.pk, numerator=signed, denominator=100),
            ValueInput(world.digitised.pk, numerator=500, denominator=1000),
            ValueInput(world.milestone.pk, done=False)]


@pytest.fixture
def both(world):
    """Clerk of the ward and reviewer of the province: the person the rule is about."""
    user = MembershipFactory(unit=world.ward, role=Membership.Role.CLERK).user
    MembershipFactory(user=user, unit=world.province, role=Membership.Role.REVIEWER)
    return user


def _submitted(world, *, saved_by, submitted_by) -> Report:
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    report = report_values_save(report=report, by=saved_by, values=_values(world), version=report.version)
    return report_submit(report=report, by=submitted_by, version=report.version)


def test_the_submitter_cannot_approve_or_return_and_another_reviewer_can(world, both):
    report = _submitted(world, saved_by=both, submitted_by=both)
    with pytest.raises(ApplicationError) as refused:
        report_approve(report=report, by=both)
    assert REFUSAL in refused.value.message
    with pytest.raises(ApplicationError) as refused:
        report_return(report=report, by=both, reason="Sai")
    assert REFUSAL in refused.value.message
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and not ReportDecision.objects.exists()

    assert report_approve(report=report, by=world.reviewer).status == Report.Status.APPROVED


def test_saving_figures_is_enough_to_be_excluded(world, both):
    # `both` typed the figures, a colleague pressed submit.
    report = _submitted(world, saved_by=both, submitted_by=world.clerk)
    with pytest.raises(ApplicationError):
        report_approve(report=report, by=both)


def test_an_earlier_round_counts_too(world, both):
    report = _submitted(world, saved_by=world.clerk, submitted_by=both)
    report = report_return(report=report, by=world.reviewer, reason="Xem lại ký số")
    report = report_values_save(report=report, by=world.clerk, values=_values(world, signed=90),
                                version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    with pytest.raises(ApplicationError):
        report_return(report=report, by=both, reason="Sai")


def test_staff_cannot_decide_on_what_they_submitted(world):
    staff = UserFactory(is_staff=True)
    MembershipFactory(user=staff, unit=world.ward, role=Membership.Role.CLERK)
    MembershipFactory(user=staff, unit=world.province, role=Membership.Role.REVIEWER)
    report = _submitted(world, saved_by=staff, submitted_by=staff)
    with pytest.raises(ApplicationError):
        report_approve(report=report, by=staff)


def test_a_reviewer_who_only_opened_the_report_may_decide(world, both):
    """Opening a month's report is not entering figures in it."""
    report = report_open(unit=world.ward, period=MAY, by=both)
    report = report_values_save(report=report, by=world.clerk, values=_values(world), version=report.version)
    report = report_submit(report=report, by=world.clerk, version=report.version)
    assert report_approve(report=report, by=both).status == Report.Status.APPROVED


def test_the_review_page_says_why_and_offers_no_buttons(client, world, both):
    report = _submitted(world, saved_by=both, submitted_by=both)
    detail = reverse("reports:detail", kwargs={"pk": report.pk})
    client.force_login(both)
    html = client.get(detail).content.decode()
    assert REFUSAL in html and 'value="approve"' not in html and 'value="return"' not in html
    response = client.post(reverse("reports:decide", kwargs={"pk": report.pk}), {"action": "approve"}, follow=True)
    assert REFUSAL in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    client.force_login(world.reviewer)
    html = client.get(detail).content.decode()
    assert REFUSAL not in html and 'value="approve"' in html
    client.post(reverse("reports:decide", kwargs={"pk": report.pk}), {"action": "approve"})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
