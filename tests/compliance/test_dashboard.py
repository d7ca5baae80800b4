import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from compliance.models import ComplianceResult, Reminder
from compliance.services import compliance_compute
from core.formatting import percent_format
from tests.compliance.helpers import AFTER_DUE, OCT, october_computed, report
from tests.factories import MembershipFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("compliance:dashboard")


@pytest.fixture
def computed(tree):
    return october_computed(tree)


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
    # The scorecard's reads, the header's notifications bell and the tasks panel (plans, then their tasks).
    with django_assert_max_num_queries(16):
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


# --- item 8: units without a target collapsed, sort by status, only units behind, a legend for every symbol ----------

CELL_SYMBOL = re.compile(r'<b role="img" title="([^"]*)">([^<]*)</b>')
CONFLICT_MARK = re.compile(r'<i class="conflict" role="img" title="([^"]*)">([^<]*)</i>')
LEGEND_ITEM = re.compile(r'<li><span class="st st-[a-z_]+" aria-hidden="true">([^<]*)</span> ([^<]*)</li>')


def _rows(html: str) -> list[str]:
    """The unit names of the scorecard's rows, top to bottom."""
    body = html.split('<table class="scorecard">')[1].split("</tbody>")[0]
    return re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a>', body)


def _untargeted(html: str) -> list[str]:
    if '<details class="untargeted">' not in html:
        return []
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a></li>', html.split('<details class="untargeted">')[1]
                      .split("</details>")[0])


def test_units_without_a_target_collapse_into_one_line(client, computed, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    # Below the province: W1 and W2 are bound (wards); P.OLD closed 30/06/2025 and P.NEW opens 01/12/2026, so in
    # 10/2026 neither has a result on any indicator: 2 units without a target, collapsed, with links to their pages.
    assert _rows(html) == [computed.w1.name, computed.w2.name]
    assert "2 đơn vị chưa có chỉ tiêu" in html
    assert _untargeted(html) == [computed.closed.name, computed.new.name]
    assert f'href="/dashboard/unit/{computed.closed.code}/?period=2026-10"' in html
    everything = client.get(DASHBOARD, {"period": "2026-10", "all": "1"}).content.decode()
    assert sorted(_rows(everything)) == sorted([computed.w1.name, computed.w2.name, computed.closed.name,
                                                computed.new.name])
    assert "chưa có chỉ tiêu</summary>" not in everything


@pytest.fixture
def three_wards(computed):
    """A third ward: signed 10/100 (behind the path of 83,2%), AI in use (met). Names fix the order by name."""
    from units.models import Unit

    Unit.objects.filter(pk=computed.w1.pk).update(name="Phường A")
    Unit.objects.filter(pk=computed.w2.pk).update(name="Phường B")
    w3 = unit_make(parent=computed.province, kind=UnitKind.WARD, code="P.W3", name="Phường C",
                   opened_on=dt.date(2025, 7, 1))
    report(w3, {computed.signed: (10, 100), computed.ai: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    statuses = {(r.unit.code, r.indicator.code): r.sub_status for r in ComplianceResult.objects.filter(
        run__is_current=True, unit__depth=computed.w1.depth).select_related("unit", "indicator")}
    assert statuses == {
        ("P.W1", "ky_so"): "at_risk", ("P.W1", "ai"): "met",  # 80% against a path of 83,2%; 1/2 units use AI, 50%
        ("P.W2", "ky_so"): "behind", ("P.W2", "ai"): "behind",  # 50% against 83,2%; 0/1 units, 0% against 25%
        ("P.W3", "ky_so"): "behind", ("P.W3", "ai"): "met",  # 10% against 83,2%; 1/1 units, 100%
    }
    return computed


def test_sort_by_status_worst_first_and_by_one_indicator(client, three_wards, reviewer):
    client.force_login(reviewer)
    get = lambda **extra: client.get(DASHBOARD, {"period": "2026-10", **extra}).content.decode()  # noqa: E731
    assert _rows(get()) == ["Phường A", "Phường B", "Phường C"]  # by name
    # Counts (Chậm, Quá hạn, Có nguy cơ, Chưa có số liệu, Đúng tiến độ, Đạt) per row, compared worst first:
    # B (2, 0, 0, 0, 0, 0), C (1, 0, 0, 0, 0, 1), A (0, 0, 1, 0, 0, 1): B has most Chậm, then C, then A.
    assert _rows(get(sort="status")) == ["Phường B", "Phường C", "Phường A"]
    # By the AI indicator alone: B Chậm first; A and C both Đạt, by name.
    assert _rows(get(sort="ai")) == ["Phường B", "Phường A", "Phường C"]
    # By signed documents: B and C Chậm (by name), then A Có nguy cơ.
    assert _rows(get(sort="ky_so")) == ["Phường B", "Phường C", "Phường A"]
    assert _rows(get(sort="khong_co")) == ["Phường A", "Phường B", "Phường C"]  # an unknown sort: by name


def test_only_units_behind_and_links_that_keep_the_filters(client, three_wards, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10", "behind": "1", "sort": "status"}).content.decode()
    # A has no Chậm or Quá hạn cell (Đạt, Có nguy cơ); B and C each have at least one Chậm.
    assert _rows(html) == ["Phường B", "Phường C"]
    assert "Chỉ đơn vị chậm: 2 trên 3 đơn vị có chỉ tiêu." in html
    assert 'name="behind" value="1" checked' in html and '<option value="status" selected>' in html
    # Drilling down keeps the sort and the filter; the way back to every unit keeps the rest.
    assert f"?unit={three_wards.w2.code}&amp;period=2026-10&amp;sort=status&amp;behind=1" in html
    assert 'href="?period=2026-10&amp;sort=status">Hiện mọi đơn vị</a>' in html
    ward = client.get(DASHBOARD, {"period": "2026-10", "unit": three_wards.w1.code, "behind": "1"}).content.decode()
    assert _rows(ward) == [] and "Không có đơn vị trực thuộc nào chậm." in ward  # C1: Chưa có số liệu only


def test_the_legend_names_every_symbol_the_scorecard_shows(client, three_wards, reviewer):
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10", "all": "1"}).content.decode()
    legend = dict(LEGEND_ITEM.findall(html))
    shown = CELL_SYMBOL.findall(html)
    # ✓ Đạt, ! Có nguy cơ, ✗ Chậm in the rows; · on the totals (the province has no target of its own) and on the
    # closed and unopened wards' empty cells.
    assert {symbol for _, symbol in shown} == {"✓", "!", "✗", "·"}
    for title, symbol in shown:
        assert title == legend[symbol], symbol  # the symbol's words (its title, its name as an image) are the legend's
    assert set(legend) >= {"✓", "↗", "!", "✗", "–", "◔", "·", "—", "»", "⚠"}
    assert legend["·"].startswith("Chưa có chỉ tiêu")
    ward = client.get(DASHBOARD, {"period": "2026-10", "unit": three_wards.w1.code}).content.decode()
    # C1 is overdue: – Chưa có số liệu for its subtree, and no value: — with its words as a title.
    assert {symbol for _, symbol in CELL_SYMBOL.findall(ward)} >= {"–"}
    assert f'<span title="{legend["—"]}">—</span>' in ward


@pytest.fixture
def demo(demo_seeded):
    from reports.models import Report

    month = max(Report.objects.values_list("period", flat=True))
    return compliance_compute(period=month)


def test_on_the_demo_data_the_dashboard_explains_every_unit_and_symbol(client, demo):
    from units.models import Unit

    period = f"{demo.period:%Y-%m}"
    judged = set(ComplianceResult.objects.filter(run=demo).exclude(target=None, sub_status="")
                 .values_list("unit_id", flat=True))
    behind = set(ComplianceResult.objects.filter(run=demo, sub_status__in=["behind", "overdue"])
                 .values_list("unit_id", flat=True))
    pages, collapsed, behind_rows, conflicts = 0, 0, 0, 0
    for code in ("DN", "HP"):
        province = Unit.objects.get(code=code)
        client.force_login(MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user)
        parents = [province, *Unit.objects.filter(path__startswith=province.path, numchild__gt=0)
                   .exclude(pk=province.pk).order_by("path")[:6]]
        for parent in parents:
            children = list(Unit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                            .order_by("name"))
            html = client.get(DASHBOARD, {"unit": parent.code, "period": period}).content.decode()
            pages += 1
            # The rows are the units below with a judged cell; the collapsed line counts and lists the rest.
            assert _rows(html) == [c.name for c in children if c.pk in judged], parent.code
            without = [c.name for c in children if c.pk not in judged]
            assert _untargeted(html) == without, parent.code
            if without:
                assert f"{len(without)} đơn vị chưa có chỉ tiêu</summary>" in html
                collapsed += len(without)
            legend = dict(LEGEND_ITEM.findall(html))
            for title, symbol in CELL_SYMBOL.findall(html):
                assert title == legend[symbol], (parent.code, symbol)
            for title, symbol in CONFLICT_MARK.findall(html):  # the legend's words, then the conflict's own
                assert title.startswith(f"{legend[symbol]}: "), (parent.code, symbol)
                conflicts += 1
            only = client.get(DASHBOARD, {"unit": parent.code, "period": period, "behind": "1"}).content.decode()
            assert _rows(only) == [c.name for c in children if c.pk in judged and c.pk in behind], parent.code
            behind_rows += len(_rows(only))
    # The checks above were not vacuous (the seed plans' open conflicts reach cells on these pages).
    assert pages == 6 and collapsed > 0 and behind_rows > 0 and conflicts > 0
