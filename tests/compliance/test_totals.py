"""Every total a target's scope covers is judged, from its issuer down, and none above it.

Each figure is worked out by hand in the comment beside it. The targets run from 01/01/2026 to 31/12/2026 (364
days), without a baseline, so a path starts from 0: on 30/09 it needs 100×272/364 = 74,73%, on 31/10
100×303/364 = 83,24%; a value within 10 points below the path is "Có nguy cơ", further below "Chậm".
"""

import datetime as dt
from collections import Counter
from decimal import Decimal as D

import pytest
from django.utils import translation

from compliance.models import ComplianceResult, Status
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.workbook import export_data
from reports.models import Report
from targets.models import Counts, Judged, Measure, Rollup, Target
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
SEP = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def result(unit, indicator, period=OCT) -> ComplianceResult:
    return ComplianceResult.objects.get(run__is_current=True, run__period=period, unit=unit, indicator=indicator)


@pytest.fixture
def ward_plan(root):
    """Province P, ward W issuing "100% chi bộ sử dụng Sổ tay đảng viên" for its three cells only."""
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P.W", opened_on=dt.date(2025, 7, 1))
    cells = [unit_make(parent=ward, kind=UnitKind.CELL, code=f"P.W.C{n}", opened_on=dt.date(2025, 7, 1))
             for n in (1, 2, 3)]
    handbook = IndicatorFactory(code="so_tay", measure=Measure.UNIT_SHARE, rollup=Rollup.UNIT_SHARE,
                                numerator_label="", denominator_label="")
    target = TargetFactory(plan=PlanFactory(issuer=ward), indicator=handbook, value=100,
                           applies_to_kinds=[UnitKind.CELL])
    for cell, done in zip(cells, (True, True, False), strict=True):
        report(cell, {handbook: done}, period=SEP)
    return type("WardPlan", (), dict(province=province, ward=ward, cells=cells, handbook=handbook, target=target))


def test_a_ward_total_of_its_cells_is_judged_against_the_ward_target(ward_plan):
    compliance_compute(period=SEP, as_of=AFTER_DUE)
    ward = result(ward_plan.ward, ward_plan.handbook, SEP)
    # The ward is not bound itself (cells only): no own verdict, but its total is judged and names the target.
    assert (ward.status, ward.reason) == ("", "")
    assert ward.target_id == ward_plan.target.pk
    # 2 of 3 cells use it: 2/3 = 66,67%. On 30/09 the path needs 100×272/364 = 74,73%; 66,67 is 8,06 short
    # (within 10 points) → at risk.
    assert (ward.sub_expected, ward.sub_meeting, ward.sub_value) == (3, 2, D("66.67"))
    assert ward.sub_status == Status.AT_RISK
    assert ward.sub_reason == "2/3 đơn vị đạt. 66,7% / mục tiêu 100% đến 31/12/2026; lộ trình cần 74,7% đến 30/09/2026."


def test_a_month_later_the_same_ward_total_is_behind(ward_plan):
    for cell, done in zip(ward_plan.cells, (True, True, False), strict=True):
        report(cell, {ward_plan.handbook: done})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    ward = result(ward_plan.ward, ward_plan.handbook)
    # Still 2/3 = 66,67%; on 31/10 the path needs 100×303/364 = 83,24%; 66,67 is 16,57 short → behind.
    assert (ward.sub_value, ward.sub_status) == (D("66.67"), Status.BEHIND)
    assert "lộ trình cần 83,2% đến 31/10/2026" in ward.sub_reason


def test_the_province_total_above_a_ward_plan_stays_unjudged(ward_plan):
    compliance_compute(period=SEP, as_of=AFTER_DUE)
    province = result(ward_plan.province, ward_plan.handbook, SEP)
    # The same 2/3 rolls up to the province, but the ward's target does not reach above the ward.
    assert (province.sub_expected, province.sub_meeting, province.sub_value) == (3, 2, D("66.67"))
    assert (province.target_id, province.sub_status) == (None, "")
    assert province.sub_reason == "2/3 đơn vị đạt."


def test_a_total_without_figures_lacks_them_only_where_a_target_judges_it(ward_plan):
    compliance_compute(period=OCT, as_of=AFTER_DUE)  # no cell reported for October
    ward = result(ward_plan.ward, ward_plan.handbook)
    province = result(ward_plan.province, ward_plan.handbook)
    # 0 of 3 cells reported: the ward's total is judged and has no figures; the province's is not judged at all.
    assert (ward.sub_reporting, ward.sub_status) == (0, Status.NO_DATA)
    assert (province.sub_reporting, province.sub_status) == (0, "")
    assert province.sub_reason == ward.sub_reason == "Chưa có số liệu được duyệt trong các đơn vị trực thuộc."


def test_the_workbook_and_the_scorecard_read_the_ward_total_target(ward_plan, staff_user):
    from compliance.selectors import scorecard

    run = compliance_compute(period=SEP, as_of=AFTER_DUE)
    data = export_data(unit=ward_plan.ward, quarter=Quarter(2026, 3))
    summary = data.results[(ward_plan.ward.pk, ward_plan.handbook.pk)]
    assert data.targets[summary.target_id] == ward_plan.target
    assert (summary.sub_status, summary.units_meeting) == (Status.AT_RISK, "2/3")
    card = scorecard(user=staff_user, unit=ward_plan.ward, run=run)
    assert [(cell.status, cell.target, cell.bound) for cell in card.totals] == [
        (Status.AT_RISK, ward_plan.target.value_label, True)]


@pytest.fixture
def province_plan(root):
    """Province P issuing "100% văn bản ký số" for party cells only; wards W1 (cells C1, C2) and W2 (cell C3)."""
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    w1, w2 = (unit_make(parent=province, kind=UnitKind.WARD, code=f"P.W{n}", opened_on=dt.date(2025, 7, 1))
              for n in (1, 2))
    c1, c2 = (unit_make(parent=w1, kind=UnitKind.CELL, code=f"P.W1.C{n}", opened_on=dt.date(2025, 7, 1))
              for n in (1, 2))
    c3 = unit_make(parent=w2, kind=UnitKind.CELL, code="P.W2.C3", opened_on=dt.date(2025, 7, 1))
    signed = IndicatorFactory(code="ky_so")
    plan = PlanFactory(issuer=province)
    target = TargetFactory(plan=plan, indicator=signed, value=100, applies_to_kinds=[UnitKind.CELL])
    return type("ProvincePlan", (), dict(province=province, w1=w1, w2=w2, c1=c1, c2=c2, c3=c3, signed=signed,
                                         plan=plan, target=target))


def test_a_province_cells_target_judges_each_ward_total_and_the_province_total(province_plan):
    p = province_plan
    report(p.c1, {p.signed: (80, 100)})
    report(p.c2, {p.signed: (60, 100)})
    report(p.c3, {p.signed: (90, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    w1, w2, province = (result(unit, p.signed) for unit in (p.w1, p.w2, p.province))
    # The path on 31/10 needs 83,24%.
    # W1: (80 + 60)/(100 + 100) = 140/200 = 70%; 13,24 short → behind.
    assert (w1.sub_numerator, w1.sub_denominator, w1.sub_value, w1.sub_status) == (140, 200, D("70.00"),
                                                                                   Status.BEHIND)
    # W2: C3 alone, 90/100 = 90% ≥ 83,24 → on track.
    assert (w2.sub_value, w2.sub_status) == (D("90.00"), Status.ON_TRACK)
    # P: (80 + 60 + 90)/300 = 230/300 = 76,67%; 6,57 short → at risk.
    assert (province.sub_numerator, province.sub_denominator, province.sub_value) == (230, 300, D("76.67"))
    assert province.sub_status == Status.AT_RISK
    assert province.sub_reason == ("0/3 đơn vị đạt. 76,7% / mục tiêu 100% đến 31/12/2026; "
                                   "lộ trình cần 83,2% đến 31/10/2026.")
    assert {w1.target_id, w2.target_id, province.target_id} == {p.target.pk}
    # None of them is bound itself: no own verdict, no report expected from them.
    assert {w1.status, w2.status, province.status} == {""}


def test_the_nearest_issuer_judges_a_total_two_targets_reach(province_plan):
    p = province_plan
    # W1 asks 80% of its own cell C2 (named); C1 keeps the province's 100%.
    ward_target = TargetFactory(plan=PlanFactory(issuer=p.w1), indicator=p.signed, value=80, counts=Counts.NAMED)
    ward_target.applies_to_units.set([p.c2])
    report(p.c1, {p.signed: (60, 100)})
    report(p.c2, {p.signed: (90, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert result(p.c1, p.signed).target_id == p.target.pk
    assert result(p.c2, p.signed).target_id == ward_target.pk
    w1 = result(p.w1, p.signed)
    # W1's total (60 + 90)/200 = 75% is reached by both; W1's own target, the nearer, holds: ≥ 80% from 0 needs
    # 80×303/364 = 66,59% on 31/10; 75 ≥ 66,59 → on track. (Against the province's 100%: 83,24, at risk.)
    assert (w1.target_id, w1.sub_value, w1.sub_status) == (ward_target.pk, D("75.00"), Status.ON_TRACK)
    assert "lộ trình cần 66,6% đến 31/10/2026" in w1.sub_reason
    # The ward's target does not reach the province: its total, the same 75% with W2 silent, is judged by the
    # province's 100% → path 83,24; 8,24 short → at risk.
    province = result(p.province, p.signed)
    assert (province.target_id, province.sub_value, province.sub_status) == (p.target.pk, D("75.00"),
                                                                             Status.AT_RISK)


def test_two_targets_of_one_plan_reaching_a_total_are_both_judged_and_the_one_behind_shows(province_plan):
    p = province_plan
    # A second target of the same plan on the same indicator, for W2's cells only, later in the plan; not a stage
    # of the first (no series), so both are judged where both reach.
    later = TargetFactory(plan=p.plan, indicator=p.signed, value=80, position=p.target.position + 50,
                          counts=Counts.NAMED)
    later.applies_to_units.set([p.w2])
    Target.objects.filter(pk=p.target.pk).update(counts=Counts.NAMED)
    p.target.applies_to_units.set([p.w1])
    report(p.c1, {p.signed: (90, 100)})
    report(p.c3, {p.signed: (70, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert result(p.w2, p.signed).target_id == later.pk
    province = result(p.province, p.signed)
    # Both reach P. (90 + 70)/200 = 80%: against the 100% its path needs 83,24 → 3,24 short → at risk; against
    # the 80%, met. The worse verdict shows, naming its target: the 100%.
    assert (province.target_id, province.sub_value, province.sub_status) == (p.target.pk, D("80.00"),
                                                                             Status.AT_RISK)


@pytest.fixture
def demo(demo_seeded):
    month = max(Report.objects.values_list("period", flat=True))
    return compliance_compute(period=month)


def test_on_the_demo_data_every_total_with_a_target_has_a_status(demo):
    handbook = ComplianceResult.objects.get(run=demo, unit__code="HP.XP.BACHDANG", indicator__code="chi_bo_so_tay")
    assert handbook.target.clause.startswith("5. 100% chi bộ, đảng bộ trực thuộc sử dụng ứng dụng Sổ tay")
    assert handbook.sub_status != ""
    counts = Counter()
    for province in Unit.objects.filter(code__in=["DN", "HP"]):
        totals = ComplianceResult.objects.filter(run=demo, unit__path__startswith=province.path,
                                                 target__isnull=False)
        counts[province.code] = totals.count()
        # The only totals without a status: a unit alone in its subtree, counted towards a target judged on the
        # total only (the Văn phòng's "80% cơ quan, đơn vị … được trang bị thiết bị hiện đại"), said in its reason.
        unjudged = totals.filter(sub_status="")
        assert not unjudged.exclude(target__judged=Judged.TOTAL, sub_expected=1).exists(), province.code
        assert all("mục tiêu chỉ đánh giá trên tổng" in r.sub_reason for r in unjudged), province.code
    assert counts["DN"] > 0 and counts["HP"] > 0, counts
    # Nothing is judged without a target: a total with a status names the target it was judged by.
    assert not ComplianceResult.objects.filter(run=demo, target__isnull=True).exclude(sub_status="").exists()
