"""Who is told when a report moves: reviewers of a submission in their scope, clerks of a return or approval."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_preference_set
from reports.services import ValueInput, report_approve, report_open, report_return, report_save
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)


def _values(world, numerator=80):
    return [ValueInput(world.signed.pk, numerator=numerator, denominator=100),
            ValueInput(world.digitised.pk, numerator=500, denominator=1000),
            ValueInput(world.milestone.pk, done=False)]


def _submit(world, version=0, numerator=80):
    return report_save(unit=world.ward, period=MAY, by=world.clerk, values=_values(world, numerator),
                       version=version, submit=True)


def test_a_submission_tells_the_reviewers_above_the_unit_and_no_one_else(world, django_capture_on_commit_callbacks):
    elsewhere = MembershipFactory(role=Membership.Role.REVIEWER).user  # reviews another province
    sibling_clerk = MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user
    with django_capture_on_commit_callbacks(execute=True):
        report = _submit(world)
    told = Notification.objects.get()
    assert told.recipient == world.reviewer and told.kind == Notification.Kind.SUBMITTED
    assert told.title == f"{world.ward.name} đã nộp báo cáo tháng 05/2026"
    assert told.url == reverse("reports:detail", args=[report.pk])
    assert not Notification.objects.filter(recipient__in=[elsewhere, sibling_clerk, world.clerk]).exists()
    # The e-mail left after the commit, to the reviewer alone, with the link.
    assert [m.to for m in mail.outbox] == [[world.reviewer.email]]
    assert mail.outbox[0].subject == told.title and told.url in mail.outbox[0].body


def test_a_return_and_an_approval_tell_the_clerk_with_the_reasons(world, django_capture_on_commit_callbacks):
    report = _submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_return(report=report, by=world.reviewer, reason="Xem lại",
                               value_reasons={"ky_so": "Tử số chưa khớp"})
    returned = Notification.objects.get(recipient=world.clerk)
    assert returned.kind == Notification.Kind.RETURNED
    assert returned.title == f"Báo cáo tháng 05/2026 của {world.ward.name} bị trả lại để chỉnh sửa"
    assert returned.body == f"Lý do: Xem lại\n– {world.signed.name}: Tử số chưa khớp"
    assert returned.url == reverse("reports:form", args=["P1.X1", MAY])
    report = _submit(world, version=report.version, numerator=90)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, by=world.reviewer)
    approved = Notification.objects.get(recipient=world.clerk, kind=Notification.Kind.APPROVED)
    assert approved.title == f"Báo cáo tháng 05/2026 của {world.ward.name} đã được duyệt"
    # The reviewer: two submissions, two notifications; the clerk: a return and an approval.
    assert Notification.objects.filter(recipient=world.reviewer).count() == 2
    assert Notification.objects.filter(recipient=world.clerk).count() == 2


def test_no_email_for_who_turned_it_off_and_nothing_for_a_rolled_back_submission(world,
                                                                                django_capture_on_commit_callbacks):
    notification_preference_set(user=world.reviewer, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world)
    assert Notification.objects.filter(recipient=world.reviewer).count() == 1  # still under the bell
    assert mail.outbox == []
    # A submission whose transaction is rolled back after it told the reviewer tells nobody anything.
    other_clerk = MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user
    notification_preference_set(user=world.reviewer, email=True)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        report_save(unit=world.other_ward, period=MAY, by=other_clerk, values=_values(world), version=0, submit=True)
        assert Notification.objects.count() == 2
        raise RuntimeError("the request failed after the submission")
    assert mail.outbox == []
    assert Notification.objects.count() == 1


def test_the_bell_counts_unread_and_the_list_marks_read(client, world):
    report = report_open(unit=world.ward, period=MAY, by=world.clerk)
    _submit(world, version=report.version)
    client.force_login(world.reviewer)
    home = client.get(reverse("reports:queue")).content.decode()
    assert 'aria-label="Thông báo: 1 chưa đọc"' in home and '<span class="badge" aria-hidden="true">1</span>' in home
    listing = client.get(reverse("notifications:list")).content.decode()
    assert f"{world.ward.name} đã nộp báo cáo tháng 05/2026" in listing
    told = Notification.objects.get()
    response = client.post(reverse("notifications:read"), {"id": str(told.pk)})
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    told.refresh_from_db()
    assert told.read_at is not None
    assert 'aria-label="Thông báo: 0 chưa đọc"' in client.get(reverse("reports:queue")).content.decode()
