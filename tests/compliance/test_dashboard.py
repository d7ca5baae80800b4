from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from compliance.models import ComplianceResult, Reminder
from compliance.services import compliance_compute
from core.formatting import percent_format
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("compliance:dashboard")


@pytest.fixture
def computed(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    return tree


@pytest.fixture
def reviewer(computed):
    return MembershipFactory(unit=computed.province, role=Membership.Role.REVIEWER).user


def test_the_scorecard_shows_each_unit_below_with_the_engines_numbers(client, computed, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    for child in (computed.w1, computed.w2):
        assert child.name in html
    w2 = ComplianceResult.objects.get(run__is_current=True, unit=computed.w2, indicator=computed.signed)
    assert percent_format(w2.sub_value) in html  # 50% as the engine computed it
    province = ComplianceResult.objects.get(run__is_current=True, unit=computed.province, indicator=computed.signed)
    assert "79,4%" in html and str(province.sub_value) == "79.41"
    assert "Có nguy cơ" in html and "Quá hạn báo cáo" in html  # statuses in words, not colour alone
    assert "Toàn bộ" in html


def test_drill_down_and_breadcrumbs(client, computed, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"unit": computed.w1.code, "period": "2026-10"}).content.decode()
    assert computed.c1.name in html and computed.w2.name not in html.split("scorecard")[-1]
    assert f'?unit={computed.province.code}&amp;period=2026-10' in html


def test_quarter_and_year_read_their_latest_computed_month(client, computed, reviewer):
    client.force_login(reviewer)
    for period, label in [("2026-Q4", "Quý IV/2026"), ("2026", "Năm 2026")]:
        html = client.get(DASHBOARD, {"period": period}).content.decode()
        assert label in html and "79,4%" in html


def test_scope_and_missing_look_the_same(client, computed):
    other = unit_make(kind=UnitKind.PROVINCE, code="Q")
    viewer = MembershipFactory(unit=other, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    assert client.get(DASHBOARD, {"unit": computed.province.code}).status_code == 404
    assert client.get(DASHBOARD, {"unit": "KHONG.CO"}).status_code == 404
    ward_viewer = MembershipFactory(unit=computed.w1, role=Membership.Role.VIEWER).user
    client.force_login(ward_viewer)
    assert client.get(DASHBOARD, {"unit": computed.province.code}).status_code == 404
    assert client.get(DASHBOARD).status_code == 200


def test_htmx_gets_only_the_scorecard(client, computed, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "scorecard" in html


def test_the_reminder_button_uses_the_reminder_service(client, computed, reviewer):
    clerk = UserFactory(email="c1@example.vn")
    MembershipFactory(user=clerk, unit=computed.c1, role=Membership.Role.CLERK)
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    assert "c1@example.vn" in html  # the overdue unit's clerk, to call or write to
    response = client.post(reverse("compliance:remind"), {"unit": computed.c1.code, "month": "2026-10-01",
                                                          "next": DASHBOARD}, follow=True)
    assert "Đã gửi nhắc nhở" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["c1@example.vn"]]
    assert Reminder.objects.get().kind == Reminder.Kind.MANUAL
    client.force_login(MembershipFactory(unit=computed.w2, role=Membership.Role.VIEWER).user)
    assert client.post(reverse("compliance:remind"), {"unit": computed.c1.code, "month": "2026-10-01"}
                       ).status_code == 404


def test_indicator_and_unit_pages(client, computed, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("compliance:indicator", kwargs={"code": "ky_so"}),
                      {"unit": computed.province.code, "period": "2026-10"}).content.decode()
    assert 'id="trend-data"' in page and "79.41" in page and computed.w2.name in page
    assert "chart.umd.min.js" in page
    unit = client.get(reverse("compliance:unit", kwargs={"code": computed.w1.code}), {"period": "2026-10"})
    html = unit.content.decode()
    assert "80% / mục tiêu 100% đến 31/12/2026" in html and "10/2026" in html


def test_dashboard_query_count(client, computed, reviewer, django_assert_max_num_queries):
    client.force_login(reviewer)
    with django_assert_max_num_queries(15):
        client.get(DASHBOARD, {"period": "2026-10"})


def test_the_first_page_is_light(client, computed, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content
    static = Path(__file__).resolve().parents[2] / "static"
    assets = [static / "css" / "portal.css", static / "vendor" / "htmx" / "htmx.min.js"]
    assert b"chart.umd" not in html  # the charts load only on the indicator page
    assert len(html) + sum(path.stat().st_size for path in assets) < 300 * 1024


def test_a_new_computation_shows_at_once(client, computed, reviewer):
    from reports.models import ReportValue

    client.force_login(reviewer)
    assert "79,4%" in client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    ReportValue.objects.filter(report__unit=computed.w2, indicator=computed.signed).update(numerator=2)
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    assert "80,4%" in html and "79,4%" not in html  # 82/102: the cached scorecard belonged to the old run
