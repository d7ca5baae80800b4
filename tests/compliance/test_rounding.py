"""Percentages are divided over whole counts (`engine.pct`) and verdicts that read alike share their sentence
(`engine.Judge`): each rounding below is worked by hand, on the engine and through a month's computation, so that
SQLite and PostgreSQL (the same tests with DATABASE_URL) are seen to round alike.

The tree (tests/conftest.py): province P; wards P.W1 and P.W2; cell P.W1.C1 under W1. "ky_so" ≥ 100% by
31/12/2026 binds wards and cells, from 01/01/2026 with no baseline: its path starts from 0 and, at the end of
October (303 of the 364 days from 01/01 to 31/12), needs 100 × 303/364 = 83,2417… → 83,24.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from compliance.computation import _copy_text
from compliance.engine import EXACT_BELOW, Judge, judge, own_value, pct
from compliance.models import ComplianceResult, Status
from compliance.services import compliance_compute
from targets.binding import Stage
from targets.models import Comparator, Measure
from tests.compliance.helpers import AFTER_DUE, OCT, report

pytestmark = pytest.mark.django_db


def test_a_percentage_rounds_half_up_to_hundredths():
    assert str(pct(1, 3)) == "33.33"  # 100/3 = 33,333… → 33,33
    assert str(pct(2, 3)) == "66.67"  # 200/3 = 66,666… → 66,67
    assert str(pct(1, 8)) == "12.50"  # 12,5 exactly: two places kept, as the column stores them
    assert str(pct(1, 800)) == "0.13"  # 0,125: a half, rounded up (to even it would be 0,12)
    assert str(pct(3, 800)) == "0.38"  # 0,375: a half, up
    assert str(pct(1, 1600)) == "0.06"  # 0,0625: under a half, down
    assert str(pct(7, 5)) == "140.00"  # 700/5: above 100% stays as it is
    assert str(pct(0, 5)) == "0.00"
    assert pct(3, 0) is None and pct(None, 5) is None
    # A reduction is what falls below the baseline: 100 − 33,33 = 66,67.
    assert str(own_value(measure=Measure.REDUCTION, numerator=1, denominator=3)) == "66.67"


def test_counts_beyond_whole_number_division_round_alike():
    # At EXACT_BELOW and above, and for Decimal counts, the Decimal route: 10¹⁵ × 100/3 = 33 333 333 333 333 333,33…
    assert EXACT_BELOW == 10**15
    assert str(pct(10**15, 3)) == "33333333333333333.33"
    assert str(pct(10**15 - 1, 3)) == "33333333333333300.00"  # (10¹⁵ − 1) × 100/3 = 33 333 333 333 333 300 exactly
    assert str(pct(D(1), D(800))) == str(pct(1, 800)) == "0.13"


def test_values_that_read_alike_share_the_sentence_not_the_status():
    stage = Stage(target_id=1, comparator=Comparator.AT_LEAST, value=D(100), value_max=None,
                  due_on=dt.date(2026, 12, 31), starts_on=dt.date(2026, 1, 1), previous_value=None)
    october = dt.date(2026, 10, 31)
    judging = Judge(month_end=october)
    # 83,24 is on the path (gap 83,24 − 83,24 = 0: on track); 83,16 is 0,08 under it (at risk): both read 83,2%.
    on_path, under = judging(stage, D("83.24"), None), judging(stage, D("83.16"), None)
    assert (on_path.status, under.status) == (Status.ON_TRACK, Status.AT_RISK)
    assert on_path.reason == under.reason
    assert (on_path.path, under.path) == (D("83.24"), D("83.24"))
    # 73,24 is 10 points under (at risk, the margin included); 73,23 is 10,01 under (behind).
    assert judging(stage, D("73.24"), None).status == Status.AT_RISK
    assert judging(stage, D("73.23"), None).status == Status.BEHIND
    # Each verdict is the one `judge` gives alone.
    for value in ("83.24", "83.16", "73.24", "73.23", "100.00", "0.13"):
        alone = judge(stage=stage, value=D(value), done=None, month_end=october)
        shared = judging(stage, D(value), None)
        assert (shared.status, shared.reason, shared.path) == (alone.status, alone.reason, alone.path)


def test_rows_reach_copy_as_text_unless_a_value_needs_escaping():
    rows = [(1, None, True, D("12.50"), "đạt."), (2, 3, False, D("0.00"), "")]
    assert _copy_text(rows, 5) == "1\tNone\tTrue\t12.50\tđạt.\n2\t3\tFalse\t0.00\t\n"
    for awkward in ("a\tb", "a\nb", "a\\b", "a\rb"):  # written as CSV instead
        assert _copy_text([(1, awkward)], 2) is None



def _row(unit, indicator) -> ComplianceResult:
    return ComplianceResult.objects.get(run__is_current=True, run__period=OCT, unit=unit, indicator=indicator)


def test_a_month_rounds_on_the_path_and_at_a_half_as_worked_by_hand(tree):
    report(tree.w1, {tree.signed: (8324, 10000)})  # 83,24: exactly on the path
    report(tree.c1, {tree.signed: (8316, 10000)})  # 83,16: under the path, reading 83,2% as W1 does
    report(tree.w2, {tree.signed: (1, 800)})  # 0,125 → 0,13: a half, rounded up
    compliance_compute(period=OCT, as_of=AFTER_DUE)

    w1, c1, w2 = _row(tree.w1, tree.signed), _row(tree.c1, tree.signed), _row(tree.w2, tree.signed)
    assert (w1.value, w1.path_value, w1.status) == (D("83.24"), D("83.24"), Status.ON_TRACK)  # gap 0
    assert (c1.value, c1.path_value, c1.status) == (D("83.16"), D("83.24"), Status.AT_RISK)  # gap 0,08 ≤ 10
    assert w1.reason == c1.reason == "83,2% / mục tiêu 100% đến 31/12/2026; lộ trình cần 83,2% đến 31/10/2026."
    assert (w2.value, w2.status) == (D("0.13"), Status.BEHIND)  # gap 83,24 − 0,13 = 83,11 > 10
    assert w2.reason == "0,1% / mục tiêu 100% đến 31/12/2026; lộ trình cần 83,2% đến 31/10/2026."
    # W1's subtree: (8324 + 8316) / (10000 + 10000) = 16640/20000 = 83,20: 0,04 under the path, at risk.
    assert (w1.sub_numerator, w1.sub_denominator, w1.sub_value, w1.sub_status) == (
        16640, 20000, D("83.20"), Status.AT_RISK)
    # The province's: (16640 + 1) / (20000 + 800) = 16641/20800 = 80,0048… → 80,00: 3,24 under, at risk.
    province = _row(tree.province, tree.signed)
    assert (province.sub_numerator, province.sub_denominator, province.sub_value, province.sub_status) == (
        16641, 20800, D("80.00"), Status.AT_RISK)
    assert province.sub_reason == ("0/3 đơn vị đạt. 80% / mục tiêu 100% đến 31/12/2026; lộ trình cần 83,2% "
                                   "đến 31/10/2026.")


@pytest.mark.postgres
def test_rows_with_a_value_needing_escapes_are_copied_intact():
    from compliance.computation import RESULT_COLUMNS, _insert

    width = len(RESULT_COLUMNS)
    plain = (1, 10, 20, None, 3, 4, True, D("75.00"), None, D("83.24"), "at_risk", "đạt.", 3, 4, 1, 1, 0,
             D("75.00"), "at_risk", "1/1 đơn vị đạt.", '{"2025-12-01": [3, 4]}')
    awkward = (1, 11, 20, None, None, None, False, None, None, None, "", "a\\b\tc\nd", None, None, 1, 0, 0,
               None, "no_data", "None", '{"2025-12-01": [1, 2]}')
    assert len(plain) == len(awkward) == width
    _insert(ComplianceResult, RESULT_COLUMNS, [plain])  # as COPY text
    _insert(ComplianceResult, RESULT_COLUMNS, [awkward])  # as CSV: the reason holds a backslash, a tab, a line break
    stored = {row[1]: row for row in ComplianceResult.objects.filter(run_id=1).values_list(*RESULT_COLUMNS)}
    assert stored[10] == plain[:-1] + ({"2025-12-01": [3, 4]},)
    assert stored[11] == awkward[:-1] + ({"2025-12-01": [1, 2]},)
