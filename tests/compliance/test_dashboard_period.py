import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse

from compliance.services import compliance_compute
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("compliance:dashboard")
SEP = dt.date(2026, 9, 1)


@pytest.fixture
def two_months(tree, client):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True}, period=SEP)
    report(tree.w1, {tree.signed: (90, 100), tree.ai: True})
    compliance_compute(period=SEP, as_of=AFTER_DUE)
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    client.force_login(MembershipFactory(unit=tree.province, role=Membership.Role.REVIEWER).user)
    return tree


def _opened_on(client, today: dt.date) -> str:
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        return client.get(DASHBOARD).content.decode()


def test_the_dashboard_opens_on_the_month_most_recently_due_not_the_latest_computed(client, two_months):
    # On 05/11 October is computed but its reports are due only on 20/11: the board opens on September.
    html = _opened_on(client, dt.date(2026, 11, 5))
    assert "Tháng 09/2026" in html and "số liệu tháng 09/2026" in html
    assert 'value="09/2026"' in html
    # From October's due day on, October.
    html = _opened_on(client, dt.date(2026, 11, 20))
    assert "Tháng 10/2026" in html and "số liệu tháng 10/2026" in html


def test_a_period_typed_the_vietnamese_way_is_read(client, two_months):
    html = client.get(DASHBOARD, {"period": "tháng 9/2026"}).content.decode()
    assert "số liệu tháng 09/2026" in html
    html = client.get(DASHBOARD, {"period": "Quý IV/2026"}).content.decode()
    assert "Quý IV/2026" in html and "số liệu tháng 10/2026" in html  # a quarter is read at its latest month


def test_the_period_label_is_in_the_part_a_change_of_period_replaces(client, two_months):
    html = client.get(DASHBOARD, {"period": "09/2026"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Tháng 09/2026" in html and "số liệu tháng 09/2026" in html


def test_a_period_nobody_can_read_is_answered_with_a_message(client, two_months):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 21)):
        response = client.get(DASHBOARD, {"period": "tháng mười"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“tháng mười” không phải là kỳ báo cáo; hãy ghi theo dạng 09/2026, Quý III/2026, 2026." in html
    assert "số liệu tháng 10/2026" in html  # and the board opens on the month most recently due


def test_only_those_who_may_remind_see_the_reminder_button(client, two_months):
    # W2 sent nothing for October: the reviewer may remind its clerks, a viewer of the province may not.
    assert "Gửi nhắc nhở" in client.get(DASHBOARD, {"period": "10/2026"}).content.decode()
    client.force_login(MembershipFactory(unit=two_months.province, role=Membership.Role.VIEWER).user)
    html = client.get(DASHBOARD, {"period": "10/2026"}).content.decode()
    assert "số liệu tháng 10/2026" in html and "Gửi nhắc nhở" not in html


def test_the_reminder_button_sends_what_the_shared_form_holds(client, two_months):
    # Each overdue row's button posts the one reminder form with its unit: what a browser sends is the form's
    # hidden fields and the button's name and value.
    MembershipFactory(unit=two_months.w2, role=Membership.Role.CLERK, user__email="vanthu@example.vn")
    html = client.get(DASHBOARD, {"period": "10/2026"}).content.decode()
    form = re.search(r'<form id="remind-form" method="post" action="([^"]+)">(.*?)</form>', html).groups()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))
    button = re.search(r'<button type="submit" form="remind-form" name="unit" value="([^"]+)"', html).group(1)
    assert button == two_months.w2.code and fields["month"] == "2026-10-01"

    response = client.post(form[0], {**fields, "unit": button}, follow=True)
    assert f"Đã gửi nhắc nhở tới 1 văn thư của {two_months.w2.name}." in response.content.decode()
