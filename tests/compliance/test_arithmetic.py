"""The arithmetic of a month over the database, each figure worked out by hand in the comment beside it.

The tree (tests/conftest.py): province P; wards P.W1 and P.W2; cell P.W1.C1 under W1. The plan's targets bind
wards and cells: "ky_so" ≥ 100% by 31/12/2026 (a level, ratio of sums), from 01/01/2026, so a path's baseline is
the approved figures of 12/2025 and October is 303 of the 364 days from 01/01 to 31/12.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from compliance.models import ComplianceResult, ReportingResult, Status
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.workbook import export_data
from targets.models import Comparator, Flow, Measure, Target
from tests.compliance.helpers import AFTER_DUE, OCT, at, report
from tests.factories import IndicatorFactory, TargetFactory, unit_make
from units.models import UnitKind
from units.selectors import unit_open_in_month

pytestmark = pytest.mark.django_db
DEC_2025 = dt.date(2025, 12, 1)
SEP = dt.date(2026, 9, 1)
BEFORE_DUE = at(15)  # 15/11/2026: October's reports are not yet overdue


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def result(unit, indicator) -> ComplianceResult:
    return ComplianceResult.objects.get(run__is_current=True, run__period=OCT, unit=unit, indicator=indicator)


def test_a_total_starts_its_path_from_the_subtree_baseline_as_the_unit_row_does(tree):
    report(tree.w1, {tree.signed: (40, 100)}, period=DEC_2025)
    report(tree.c1, {tree.signed: (60, 100)}, period=DEC_2025)
    report(tree.w1, {tree.signed: (80, 100)})
    report(tree.c1, {tree.signed: (90, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)

    w1 = result(tree.w1, tree.signed)
    # W1's own row from its baseline 40%: 40 + 60×303/364 = 40 + 49,95 = 89,95; 80 is 9,95 points short → at risk.
    assert (w1.value, w1.path_value, w1.status) == (D("80.00"), D("89.95"), Status.AT_RISK)
    c1 = result(tree.c1, tree.signed)
    # C1 from 60%: 60 + 40×303/364 = 60 + 33,30 = 93,30; 90 is 3,30 short → at risk.
    assert (c1.value, c1.path_value, c1.status) == (D("90.00"), D("93.30"), Status.AT_RISK)
    # W1's total: (80 + 90)/(100 + 100) = 85%. Its baseline is the subtree's 12/2025, (40 + 60)/(100 + 100) = 50%,
    # so the path needs 50 + 50×303/364 = 50 + 41,62 = 91,62%: 85 is 6,62 short → at risk. (From 0, as before,
    # the path needed only 100×303/364 = 83,24% and the total read "on track" while both its units were at risk.)
    assert (w1.sub_numerator, w1.sub_denominator, w1.sub_value) == (170, 200, D("85.00"))
    assert w1.sub_status == Status.AT_RISK
    assert w1.sub_reason == "0/2 đơn vị đạt. 85% / mục tiêu 100% đến 31/12/2026; lộ trình cần 91,6% đến 31/10/2026."


def test_a_total_baseline_counts_only_the_subtree_units_that_have_one(tree):
    report(tree.c1, {tree.signed: (30, 120)}, period=DEC_2025)  # W1 has no 12/2025 report
    report(tree.w1, {tree.signed: (70, 80)})
    report(tree.c1, {tree.signed: (60, 120)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    w1 = result(tree.w1, tree.signed)
    # W1 alone has no baseline: from 0, 100×303/364 = 83,24; 70/80 = 87,5% is above it → on track.
    assert (w1.value, w1.path_value, w1.status) == (D("87.50"), D("83.24"), Status.ON_TRACK)
    # Total (70 + 60)/(80 + 120) = 130/200 = 65%; baseline C1's 30/120 = 25%: 25 + 75×303/364 = 25 + 62,43 = 87,43;
    # 65 is 22,43 short → behind.
    assert (w1.sub_value, w1.sub_status) == (D("65.00"), Status.BEHIND)
    assert "lộ trình cần 87,4% đến 31/10/2026" in w1.sub_reason


@pytest.fixture
def shorter(tree):
    """'Rút ngắn ít nhất 30% thời gian': days now over days in the baseline year, counted each month."""
    indicator = IndicatorFactory(code="rut_ngan", measure=Measure.REDUCTION, flow=Flow.FLOW,
                                 numerator_label="Số ngày hiện nay", denominator_label="Số ngày năm gốc")
    TargetFactory(plan=Target.objects.get(indicator=tree.signed).plan, indicator=indicator,
                  comparator=Comparator.REDUCE_BY, value=30, applies_to_kinds=[UnitKind.WARD, UnitKind.CELL])
    return indicator


def test_a_reduction_without_its_baseline_says_so_and_stays_out_of_the_total(tree, shorter):
    report(tree.w1, {shorter: (11, 18)})
    report(tree.c1, {shorter: (3, 0)})  # the current 3 days, no baseline year to compare them with
    compliance_compute(period=OCT, as_of=AFTER_DUE)

    c1 = result(tree.c1, shorter)
    assert (c1.numerator, c1.denominator, c1.value, c1.status) == (3, 0, None, Status.NO_DATA)
    assert c1.reason == "Chưa có số liệu năm gốc để tính mức giảm."
    w1 = result(tree.w1, shorter)
    # W1: 11 days against 18 → 11/18 = 61,11% of the time → a reduction of 100 − 61,11 = 38,89% ≥ 30% → met.
    assert (w1.value, w1.status) == (D("38.89"), Status.MET)
    # The total leaves C1's 3 days out: 11/18 → 38,89%, met. Adding them to the numerator alone gave
    # (11 + 3)/18 = 77,78% → a reduction of 22,22%, "behind".
    assert (w1.sub_numerator, w1.sub_denominator, w1.sub_value) == (11, 18, D("38.89"))
    assert w1.sub_status == Status.MET


def test_a_month_without_its_baseline_stays_out_of_the_year_to_date_figure(tree, shorter):
    report(tree.w2, {shorter: (6, 10)}, period=SEP)
    report(tree.w2, {shorter: (4, 0)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    w2 = result(tree.w2, shorter)
    # Year to date only September counts: 6/10 = 60% of the time → a reduction of 40% ≥ 30% → met.
    # (With October's 4 days in the numerator: 10/10 → a reduction of 0%.)
    assert (w2.numerator, w2.denominator, w2.value, w2.status) == (6, 10, D("40.00"), Status.MET)


def test_a_total_with_only_reductions_without_baseline_reads_as_such(tree, shorter):
    report(tree.w1, {shorter: (5, 0)})
    report(tree.c1, {shorter: (3, 0)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    w1 = result(tree.w1, shorter)
    assert (w1.sub_value, w1.sub_status) == (None, Status.NO_DATA)
    assert w1.sub_reason == "0/2 đơn vị đạt. Chưa có số liệu năm gốc để tính mức giảm."


def test_an_empty_month_reads_zero_over_zero_not_missing_figures(tree):
    report(tree.w2, {tree.signed: (0, 0)})  # W2 approved 0 documents signed of 0 issued; W1 has not reported
    report(tree.c1, {tree.signed: (0, 0)})
    compliance_compute(period=OCT, as_of=BEFORE_DUE)

    w2 = result(tree.w2, tree.signed)
    assert (w2.numerator, w2.denominator, w2.value, w2.status) == (0, 0, None, Status.NO_DATA)
    assert w2.reason == "Mẫu số bằng 0: không có đối tượng để tính trong tháng."
    w1 = result(tree.w1, tree.signed)
    assert (w1.value, w1.status, w1.reason) == (None, Status.NO_DATA, "Chưa có số liệu được duyệt.")
    # W1's subtree: C1's 0/0 is the only approved figure; nothing to divide by, and the total says so.
    assert (w1.sub_value, w1.sub_status) == (None, Status.NO_DATA)
    assert w1.sub_reason == "0/2 đơn vị đạt. Mẫu số bằng 0: không có đối tượng để tính trong tháng."


@pytest.mark.parametrize(("closed_on", "expected"), [
    (dt.date(2026, 10, 10), False),  # closed before the month's last day: October is not asked of it
    (dt.date(2026, 10, 30), False),
    (dt.date(2026, 10, 31), True),  # served the whole month: it reports October
    (dt.date(2026, 11, 5), True),
])
def test_a_unit_closed_before_the_month_ends_is_not_expected_for_it(tree, closed_on, expected):
    ward = unit_make(parent=tree.province, kind=UnitKind.WARD, code="P.W3", opened_on=dt.date(2025, 7, 1),
                     closed_on=closed_on)
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert ReportingResult.objects.filter(run__is_current=True, unit=ward).exists() == expected
    assert ComplianceResult.objects.filter(run__is_current=True, unit=ward).exists() == expected
    rates = ReportingResult.objects.get(run__is_current=True, unit=tree.province)
    # W1, W2 and C1 are expected; W3 only if it served to 31/10.
    assert rates.expected == 3 + int(expected)


@pytest.mark.parametrize(("opened_on", "closed_on", "month_end", "open_"), [
    (None, None, dt.date(2026, 6, 30), True),
    (dt.date(2025, 7, 1), None, dt.date(2025, 6, 30), False),  # not yet open in June 2025
    (dt.date(2025, 6, 20), None, dt.date(2025, 6, 30), True),  # opened during June: June is asked of it
    (None, dt.date(2025, 6, 30), dt.date(2025, 6, 30), True),  # closed on the eve of the 2025 reorganisation
    (None, dt.date(2026, 6, 10), dt.date(2026, 6, 30), False),  # closed on 10/06: not expected for June
    (None, dt.date(2026, 6, 10), dt.date(2026, 5, 31), True),  # but expected for May
])
def test_the_open_rule(opened_on, closed_on, month_end, open_):
    assert unit_open_in_month(opened_on=opened_on, closed_on=closed_on, month_end=month_end) is open_


def test_the_workbook_lists_the_units_expected_in_some_month_of_the_quarter(tree):
    early = unit_make(parent=tree.province, kind=UnitKind.WARD, code="P.EARLY", closed_on=dt.date(2026, 7, 10))
    late = unit_make(parent=tree.province, kind=UnitKind.WARD, code="P.LATE", closed_on=dt.date(2026, 7, 31))
    codes = {unit.code for unit in export_data(unit=tree.province, quarter=Quarter(2026, 3)).units}
    # Closed on 10/07: expected for no month of Quý III/2026; closed on 31/07: expected for July.
    assert late.code in codes and early.code not in codes
    assert {"P", "P.W1", "P.W2", "P.W1.C1"} <= codes and not {"P.OLD", "P.NEW"} & codes
