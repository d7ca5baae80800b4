"""Cascade checks: a child plan's target asking less, or later, than its parent plan's is flagged. Tiny worlds;
each comparison is worked out beside its assertion."""

import datetime as dt

import pytest
from django.utils import translation

from authoring.cascade import LATER, WEAKER, cascade_flags, plan_cascade_flags, unit_cascade_flags
from core.periods import DueKind
from plans.models import Plan, PlanStatus
from targets.models import Comparator, Counts, Measure, Rollup, TargetUnitValue
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
END_2026, END_2027, END_2028 = dt.date(2026, 12, 31), dt.date(2027, 12, 31), dt.date(2028, 12, 31)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world(root):
    """Province P's plan 38-KH/TU asks ≥ 80% of documents signed by 2026 and ≥ 100% by 2027 (one series); commune X
    implements it in its own plan."""
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    commune = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.X")
    other = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.Y")
    signed = IndicatorFactory(code="ky_so")
    parent = PlanFactory(issuer=province, number="38-KH/TU", year_start=2026, year_end=2027)
    p2026 = TargetFactory(plan=parent, indicator=signed, value=80, due_on=END_2026, series="ky_so")
    p2027 = TargetFactory(plan=parent, indicator=signed, value=100, due_on=END_2027, series="ky_so")
    child = PlanFactory(issuer=commune, number="12-KH/ĐU", parent=parent, year_start=2026, year_end=2028)
    return type("World", (), dict(province=province, commune=commune, other=other, signed=signed, parent=parent,
                                  p2026=p2026, p2027=p2027, child=child))


def test_a_lower_value_for_the_same_year_is_weaker(world):
    w = world
    target = TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    (flag,) = cascade_flags(children=[w.child])
    # Child 50% by 31/12/2026; the parent's stage in force on 31/12/2026 is its 2026 stage, 80%: 50 < 80 → weaker.
    assert (flag.child_target, flag.parent_target, flag.kind) == (target, w.p2026, WEAKER)
    assert flag.words == ("Thấp hơn kế hoạch cấp trên: ≥ 50% đến 31/12/2026, cấp trên yêu cầu ≥ 80% "
                          "(38-KH/TU)")


def test_each_stage_is_compared_with_the_parents_stage_at_its_deadline(world):
    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=85, due_on=END_2026, series="s")
    mid = TargetFactory(plan=w.child, indicator=w.signed, value=90, due_on=END_2027, series="s")
    flags = cascade_flags(children=[w.child])
    # 2026: 85 ≥ 80 → fine. 2027: the parent's 2027 stage asks 100; 90 < 100 → weaker (against the 2027 stage).
    assert [(f.child_target, f.parent_target, f.kind) for f in flags] == [(mid, w.p2027, WEAKER)]


def test_a_deadline_after_the_parents_last_is_later(world):
    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=80, due_on=END_2026, series="s")
    late = TargetFactory(plan=w.child, indicator=w.signed, value=100, due_on=END_2028, series="s")
    (flag,) = cascade_flags(children=[w.child])
    # 2026: 80 ≥ 80 → fine. 2028: past the parent's last stage (100% by 31/12/2027), and no earlier stage of the
    # child asks 100% by then (its 2026 stage asks 80%) → later.
    assert (flag.child_target, flag.parent_target, flag.kind) == (late, w.p2027, LATER)
    assert flag.words == ("Muộn hơn kế hoạch cấp trên: ≥ 100% đến 31/12/2028, cấp trên yêu cầu ≥ 100% "
                          "đến 31/12/2027 (38-KH/TU)")


def test_a_stage_beyond_the_parents_horizon_is_not_later_when_the_child_already_met_it(world):
    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=80, due_on=END_2026, series="s")
    TargetFactory(plan=w.child, indicator=w.signed, value=100, due_on=END_2027, series="s")
    TargetFactory(plan=w.child, indicator=w.signed, value=100, due_on=END_2028, series="s")
    # 2026 80 ≥ 80, 2027 100 ≥ 100; 2028 is after 31/12/2027 but the 2027 stage already asks 100% by then.
    assert cascade_flags(children=[w.child]) == []


def test_ceilings_reductions_and_shapes_that_cannot_be_compared(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    commune = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.X")
    paper = IndicatorFactory(code="giay")
    shorter = IndicatorFactory(code="rut_ngan", measure=Measure.REDUCTION)
    portal = IndicatorFactory(code="cong", measure=Measure.MILESTONE, rollup=Rollup.ALL_DONE, numerator_label="",
                              denominator_label="")
    parent = PlanFactory(issuer=province, number="1-KH/TU")
    TargetFactory(plan=parent, indicator=paper, comparator=Comparator.AT_MOST, value=10)
    TargetFactory(plan=parent, indicator=shorter, comparator=Comparator.REDUCE_BY, value=30)
    TargetFactory(plan=parent, indicator=portal, comparator=Comparator.DONE, value=None, due_kind=DueKind.DATE,
                  due_on=dt.date(2026, 6, 30))
    child = PlanFactory(issuer=commune, number="2-KH/ĐU", parent=parent)
    TargetFactory(plan=child, indicator=paper, comparator=Comparator.AT_MOST, value=20)
    TargetFactory(plan=child, indicator=shorter, comparator=Comparator.REDUCE_BY, value=20)
    TargetFactory(plan=child, indicator=paper, comparator=Comparator.AT_LEAST, value=5)
    TargetFactory(plan=child, indicator=portal, comparator=Comparator.DONE, value=None, due_kind=DueKind.DATE,
                  due_on=dt.date(2026, 9, 30))
    words = [f.words for f in cascade_flags(children=[child])]
    assert words == [
        # At most 20% of meetings on paper where the parent allows at most 10%: 20 > 10 → weaker.
        "Cao hơn mức kế hoạch cấp trên cho phép: ≤ 20% đến 31/12/2026, cấp trên yêu cầu ≤ 10% (1-KH/TU)",
        # Reduce by 20% where the parent asks 30%: 20 < 30 → weaker.
        "Mức giảm ít hơn kế hoạch cấp trên: giảm ≥ 20% đến 31/12/2026, cấp trên yêu cầu giảm ≥ 30% (1-KH/TU)",
        # At least 5% against a ceiling of 10%: a floor and a ceiling cannot be compared.
        "Không so sánh được với kế hoạch cấp trên: ≥ 5% đến 31/12/2026, cấp trên yêu cầu ≤ 10% (1-KH/TU)",
        # Done by 30/09/2026 where the parent wants it done by 30/06/2026 → later.
        "Muộn hơn kế hoạch cấp trên: Hoàn thành đến 30/09/2026, cấp trên yêu cầu Hoàn thành đến 30/06/2026 "
        "(1-KH/TU)",
    ]


def test_the_adopted_target_is_the_parent_even_beside_another_on_the_indicator(world):
    w = world
    cells = TargetFactory(plan=w.parent, indicator=w.signed, value=60, due_on=END_2026,
                          applies_to_kinds=[UnitKind.CELL])
    target = TargetFactory(plan=w.child, indicator=w.signed, value=70, due_on=END_2026, parent_target=cells)
    # Adopted from the cells target (60%): 70 ≥ 60, no flag, though the province-wide 80% would flag it.
    assert cascade_flags(children=[w.child]) == []
    target.parent_target = None
    target.save()
    # Not adopted: every parent target covering the commune and its cells is set beside it: 70 < 80 and 70 ≥ 60.
    assert [(f.parent_target, f.kind) for f in cascade_flags(children=[w.child])] == [(w.p2026, WEAKER)]


def test_a_parent_target_that_does_not_cover_the_childs_units_is_not_compared(world):
    w = world
    w.p2026.counts, w.p2026.applies_to_kinds = Counts.KINDS, [UnitKind.WARD]
    w.p2026.save()
    w.p2027.delete()
    TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    # The parent asks it of wards; the commune and its units are not bound by it.
    assert cascade_flags(children=[w.child]) == []


def test_the_value_the_parent_sets_for_the_commune_is_what_it_asks(world):
    w = world
    TargetUnitValue.objects.create(target=w.p2026, unit=w.commune, value=40)
    TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    # The parent asks 80% in general but 40% of commune X: 50 ≥ 40 → no flag.
    assert cascade_flags(children=[w.child]) == []


def test_flags_show_on_the_child_and_on_the_parent_and_under_the_unit(world):
    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    draft = PlanFactory(issuer=w.other, parent=w.parent, status=PlanStatus.DRAFT)
    TargetFactory(plan=draft, indicator=w.signed, value=10, due_on=END_2026)
    assert len(plan_cascade_flags(plan=w.child)) == 1  # as the child
    assert len(plan_cascade_flags(plan=w.parent, children=Plan.objects.filter(parent=w.parent))) == 2  # as parent
    # The dashboard reads issued plans only: the draft binds no one yet.
    assert [f.child_target.plan for f in unit_cascade_flags(unit=w.province)] == [w.child]


def test_the_seed_plans_ask_nothing_less_than_their_parents_that_the_portal_knows(seeded):
    # The seed plans implement 38-KH/TU, 86-KH/TU, 35-KH/TU and 204-QĐ/TW, which the portal knows only by name:
    # no targets to compare with, so no flag (rather than a guess).
    children = Plan.objects.filter(parent__isnull=False)
    assert {p.parent.number for p in children if p.targets.exists()} == {"38-KH/TU", "86-KH/TU", "35-KH/TU",
                                                                          "204-QĐ/TW"}
    assert not any(p.parent.targets.exists() for p in children if p.targets.exists())
    assert cascade_flags(children=children) == []


def test_the_plan_page_tag_lists_the_flags_on_both_plans(world, rf, staff_user):
    from django.template import Context, Template

    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    request = rf.get("/")
    request.user = staff_user
    template = Template("{% load authoring_checks %}{% cascade_flags plan %}")
    for plan in (w.child, w.parent):
        html = template.render(Context({"request": request, "plan": plan}))
        assert "Thấp hơn kế hoạch cấp trên: ≥ 50% đến 31/12/2026, cấp trên yêu cầu ≥ 80% (38-KH/TU)" in html
    other = PlanFactory(issuer=w.other, parent=w.parent)
    html = template.render(Context({"request": request, "plan": other}))
    assert "Không có chỉ tiêu nào thấp hơn hoặc muộn hơn kế hoạch cấp trên." in html


def test_the_dashboard_panel_lists_the_flags_under_the_unit(world, client):
    from django.urls import reverse

    from tests.factories import MembershipFactory
    from units.models import Membership

    w = world
    TargetFactory(plan=w.child, indicator=w.signed, value=50, due_on=END_2026)
    reviewer = MembershipFactory(unit=w.province, role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    html = client.get(reverse("compliance:plan-checks"), {"unit": "P"}).content.decode()
    # One flag: X's 50% against the province's 80% for 2026.
    assert "Chỉ tiêu thấp hơn hoặc muộn hơn kế hoạch cấp trên: 1" in html
    assert "12-KH/ĐU · " in html and "cấp trên yêu cầu ≥ 80% (38-KH/TU)" in html
