"""Reminders reach people under the bell too, once per reminder, and e-mail only those who did not turn it off."""

import datetime as dt

import pytest
from django.core import mail

from compliance.models import Reminder
from compliance.reminders import reminders_send
from compliance.services import compliance_compute
from notifications.models import Notification
from notifications.services import notification_preference_set
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db


def test_an_overdue_reminder_is_a_notification_once_and_an_email_only_for_those_who_want_it(tree):
    wants = UserFactory(email="vanthu@example.vn")
    quiet = UserFactory(email="vanthu2@example.vn")
    for clerk in (wants, quiet):
        MembershipFactory(user=clerk, unit=tree.w2, role=Membership.Role.CLERK)
    notification_preference_set(user=quiet, email=False)
    report(tree.w1, {tree.signed: (80, 100)})  # W1 reported; W2 did not
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    for _repeat in range(3):  # the daily task may run again the same day
        reminders_send(period=OCT, today=dt.date(2026, 11, 21))
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["after_due"]
    # Both clerks are told under the bell, once each; only the one who kept e-mail on gets the mail.
    told = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    assert sorted(told.values_list("recipient__email", flat=True)) == ["vanthu2@example.vn", "vanthu@example.vn"]
    assert all("10/2026" in n.title and "20/11/2026" in n.title for n in told)
    assert told.first().url == "/reports/P.W2/2026-10/"
    assert [message.to for message in mail.outbox] == [["vanthu@example.vn"]]
