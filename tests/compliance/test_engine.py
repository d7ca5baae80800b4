"""Hand-worked cases for every target shape; each expected figure is worked out in the comment beside it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from compliance.engine import Node, judge, own_value, path_value, pct, rolled_value
from compliance.models import Status
from targets.binding import Stage

Y26 = dt.date(2026, 1, 1)


def stage(comparator="at_least", value="100", value_max=None, due=dt.date(2026, 12, 31), starts=Y26, previous=None):
    return Stage(1, comparator, D(value) if value is not None else None, D(value_max) if value_max else None, due,
                 starts, D(previous) if previous else None)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


OCT = dt.date(2026, 10, 31)
JUN = dt.date(2026, 6, 30)


@pytest.mark.parametrize(("case", "kwargs", "status", "path"), [
    # Floor 100% by 31/12/2026 from a baseline of 40% on 01/01: 303 of 364 days gone → 40 + 60×303/364 = 89,95.
    ("floor met", dict(stage=stage(), value=D(100), baseline=D(40), month_end=OCT), Status.MET, None),
    ("floor above path", dict(stage=stage(), value=D(95), baseline=D(40), month_end=OCT), Status.ON_TRACK, D("89.95")),
    ("floor within 10 points", dict(stage=stage(), value=D(82), baseline=D(40), month_end=OCT), Status.AT_RISK,
     D("89.95")),
    ("floor far below", dict(stage=stage(), value=D(70), baseline=D(40), month_end=OCT), Status.BEHIND, D("89.95")),
    ("floor missed at deadline", dict(stage=stage(), value=D(99), baseline=D(40), month_end=dt.date(2026, 12, 31)),
     Status.BEHIND, D(100)),
    # Range 30 – 40%: the floor decides. From 0 on 01/01, 180 of 364 days → 30×180/364 = 14,84.
    ("range inside", dict(stage=stage("range", "30", "40"), value=D(35), month_end=JUN), Status.MET, None),
    ("range above the top still meets", dict(stage=stage("range", "30", "40"), value=D(55), month_end=JUN),
     Status.MET, None),
    ("range on path", dict(stage=stage("range", "30", "40"), value=D(25), baseline=D(0), month_end=JUN),
     Status.ON_TRACK, D("14.84")),
    # At most 5%, from 20%: path 20 − 15×180/364 = 12,58; lower is better.
    ("ceiling met", dict(stage=stage("at_most", "5"), value=D(4), baseline=D(20), month_end=JUN), Status.MET, None),
    ("ceiling under path", dict(stage=stage("at_most", "5"), value=D(10), baseline=D(20), month_end=JUN),
     Status.ON_TRACK, D("12.58")),
    ("ceiling over path", dict(stage=stage("at_most", "5"), value=D(18), baseline=D(20), month_end=JUN),
     Status.AT_RISK, D("12.58")),
    # Staged 50% (2026) → 80% (2027): in March 2027 the 80% stage starts from the 50% of the stage before:
    # 50 + 30×89/364 = 57,34.
    ("staged second year", dict(stage=stage(value="80", due=dt.date(2027, 12, 31), starts=dt.date(2027, 1, 1),
                                            previous="50"), value=D(60), month_end=dt.date(2027, 3, 31)),
     Status.ON_TRACK, D("57.34")),
    # Reduce by at least 30%: 7 days against a 10-day baseline is a 30% reduction.
    ("reduction met", dict(stage=stage("reduce_by", "30"), value=own_value(
        measure="reduction", numerator=7, denominator=10), month_end=OCT), Status.MET, None),
    ("reduction short", dict(stage=stage("reduce_by", "30"), value=own_value(
        measure="reduction", numerator=9, denominator=10), baseline=D(0), month_end=OCT),
     Status.BEHIND, D("24.97")),
    # Milestones: done, or not done with the deadline past, near (≤ 92 days) or far.
    ("milestone done", dict(stage=stage("done", None), value=None, done=True, month_end=OCT), Status.MET, None),
    ("milestone past", dict(stage=stage("done", None, due=dt.date(2025, 6, 30)), value=None, done=False,
                            month_end=OCT), Status.BEHIND, None),
    ("milestone near", dict(stage=stage("done", None, due=dt.date(2026, 9, 30)), value=None, done=False,
                            month_end=dt.date(2026, 7, 31)), Status.AT_RISK, None),
    ("milestone far", dict(stage=stage("done", None), value=None, done=False, month_end=dt.date(2026, 5, 31)),
     Status.ON_TRACK, None),
    ("no figures", dict(stage=stage(), value=None, month_end=OCT), Status.NO_DATA, None),
])
def test_hand_worked_statuses(case, kwargs, status, path):
    kwargs.setdefault("done", None)
    verdict = judge(**kwargs)
    assert verdict.status == status, case
    assert verdict.path == path, case


def test_the_reason_reads_like_the_plans():
    verdict = judge(stage=stage(), value=D(82), done=None, baseline=D(40), month_end=dt.date(2026, 11, 30))
    # 333 of 364 days: 40 + 60×333/364 = 94,89 → "94,9%".
    assert verdict.reason == "82% / mục tiêu 100% đến 31/12/2026; lộ trình cần 94,9% đến 30/11/2026."


def test_path_ends_at_the_target():
    assert path_value(stage(), D(40), dt.date(2026, 12, 31)) == D(100)
    assert path_value(stage(), D(40), dt.date(2026, 1, 1)) == D(40)


def test_roll_up_is_a_ratio_of_sums_never_a_mean_of_percentages():
    # 80/100 and 1/2: the mean of percentages would be 65%; the ratio of sums is 81/102 = 79,41%.
    node = Node(numerator=80, denominator=100, has_counts=True)
    node.add(Node(numerator=1, denominator=2, has_counts=True))
    assert rolled_value(node, rollup="sum_ratio", measure="ratio") == D("79.41")


def test_share_of_units_counts_expected_units_only():
    node = Node(expected=3, meeting=2)
    assert rolled_value(node, rollup="unit_share", measure="unit_share") == D("66.67")
    assert rolled_value(Node(), rollup="unit_share", measure="unit_share") is None
    assert pct(3, 3) == D(100)


@pytest.mark.parametrize(("case", "kwargs", "status", "path"), [
    # "At most 5%" by 31/12/2026 with no baseline: the path starts from the worst share, 100%, on 01/01 and runs
    # down: 180 of 364 days → 100 − 95×180/364 = 100 − 46,98 = 53,02. 30% is below it → on track. (From 0, the
    # path read 5×180/364 = 2,47 and 30% was 27,5 points "behind" a path climbing towards the ceiling.)
    ("ceiling without baseline, under path", dict(stage=stage("at_most", "5"), value=D(30), month_end=JUN),
     Status.ON_TRACK, D("53.02")),
    # 60% is 6,98 points above 53,02 → at risk; 70% is 16,98 above → behind.
    ("ceiling without baseline, a little over", dict(stage=stage("at_most", "5"), value=D(60), month_end=JUN),
     Status.AT_RISK, D("53.02")),
    ("ceiling without baseline, far over", dict(stage=stage("at_most", "5"), value=D(70), month_end=JUN),
     Status.BEHIND, D("53.02")),
    # A later stage of a ceiling starts from the stage before it (10%), not from 100%: at most 5% in 2027,
    # in March 2027 89 of 364 days → 10 − 5×89/364 = 10 − 1,22 = 8,78.
    ("ceiling second stage", dict(stage=stage("at_most", "5", due=dt.date(2027, 12, 31), starts=dt.date(2027, 1, 1),
                                              previous="10"), value=D(8), month_end=dt.date(2027, 3, 31)),
     Status.ON_TRACK, D("8.78")),
    # A floor without baseline still starts from 0: 100×180/364 = 49,45.
    ("floor without baseline", dict(stage=stage(), value=D(50), month_end=JUN), Status.ON_TRACK, D("49.45")),
])
def test_a_path_without_baseline_starts_from_the_worst_value(case, kwargs, status, path):
    verdict = judge(done=None, **kwargs)
    assert (verdict.status, verdict.path) == (status, path), case


def test_a_subtree_baseline_is_a_ratio_of_sums_per_baseline_month():
    dec, mar = dt.date(2025, 12, 1), dt.date(2026, 3, 1)
    # W1 had 40/100 in 12/2025; its cell 1/2 in 12/2025 and 3/4 in 03/2026; a second cell no baseline at all.
    ward = Node(numerator=80, denominator=100, has_counts=True, bases={dec: (40, 100)})
    ward.add(Node(numerator=2, denominator=2, has_counts=True, bases={dec: (1, 2), mar: (3, 4)}))
    ward.add(Node(numerator=5, denominator=10, has_counts=True))
    # 12/2025: (40 + 1)/(100 + 2) = 41/102 = 40,20% (not the mean of 40% and 50%, 45%); 03/2026: 3/4 = 75%.
    assert ward.baseline(dec, measure="ratio") == D("40.20")
    assert ward.baseline(mar, measure="ratio") == D("75.00")
    assert ward.baseline(dt.date(2026, 6, 1), measure="ratio") is None
    # A reduction's baseline reads as the reduction then: 41/102 of the time → 100 − 40,20 = 59,80.
    assert ward.baseline(dec, measure="reduction") == D("59.80")
    # The parent's sums do not leak into the child that was added to it.
    province = Node()
    province.add(ward)
    province.add(Node(bases={dec: (9, 98)}))
    assert province.baseline(dec, measure="ratio") == D("25.00")  # (41 + 9)/(102 + 98) = 50/200
    assert ward.baseline(dec, measure="ratio") == D("40.20")
