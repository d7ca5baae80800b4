"""A target's scope as plans write it: which units count, where it is judged, who reports; series and conflicts.

The world: province P with its Văn phòng O (two phòng D1, D2 under it), committee K (cell K.C1) and commune X
(cells X.C1, X.C2). The Văn phòng's plan carries its own targets (the Văn phòng alone) and the province-wide
one it answers for ("80% cơ quan, đơn vị thuộc Tỉnh ủy và các cấp ủy trực thuộc tỉnh").
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from compliance.computation import Month
from compliance.models import ComplianceResult, ComplianceRun, ReportingResult, Status
from compliance.services import compliance_compute
from core.models import AuditEvent, Conflict
from core.periods import DueKind
from targets.binding import targets_for_unit
from targets.models import Counts, Judged, Measure, Reporters, Rollup, Target
from targets.services import target_conflict_resolve
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
START = dt.date(2025, 7, 1)


@pytest.fixture
def world(root):
    p = unit_make(kind=UnitKind.PROVINCE, code="P", opened_on=START)
    o = unit_make(parent=p, kind=UnitKind.AGENCY, code="P.O", opened_on=START)
    units = {
        "P": p, "O": o,
        "D1": unit_make(parent=o, kind=UnitKind.DEPARTMENT, code="P.O.D1", opened_on=START),
        "D2": unit_make(parent=o, kind=UnitKind.DEPARTMENT, code="P.O.D2", opened_on=START),
    }
    units["K"] = unit_make(parent=p, kind=UnitKind.COMMITTEE, code="P.K", opened_on=START)
    units["KC1"] = unit_make(parent=units["K"], kind=UnitKind.CELL, code="P.K.C1", opened_on=START)
    units["X"] = unit_make(parent=p, kind=UnitKind.COMMUNE, code="P.X", opened_on=START)
    units["XC1"] = unit_make(parent=units["X"], kind=UnitKind.CELL, code="P.X.C1", opened_on=START)
    units["XC2"] = unit_make(parent=units["X"], kind=UnitKind.CELL, code="P.X.C2", opened_on=START)
    plan = PlanFactory(issuer=o, number="01-KH/VPTU", year_start=2026, year_end=2026)
    signed = IndicatorFactory(code="ky_so")
    equipped = IndicatorFactory(code="thiet_bi", measure=Measure.UNIT_SHARE, rollup=Rollup.UNIT_SHARE,
                                numerator_label="", denominator_label="")
    own = TargetFactory(plan=plan, indicator=signed, value=100, counts=Counts.SELF)
    province_wide = TargetFactory(plan=plan, indicator=equipped, value=80, scope_unit=p, counts=Counts.KINDS,
                                  applies_to_kinds=[UnitKind.AGENCY, UnitKind.COMMITTEE, UnitKind.COMMUNE],
                                  judged=Judged.TOTAL)
    return type("World", (), dict(units=units, plan=plan, signed=signed, equipped=equipped, own=own,
                                  province_wide=province_wide))


def _bound(world, month=OCT) -> dict[str, set[str]]:
    """Unit name → the indicator codes it reports, by the form's rule (one unit at a time) and by the tree's rule
    (the engine's, every unit at once); the two must agree."""
    run = Month.load(ComplianceRun(period=month, as_of=AFTER_DUE))
    bound = {}
    for name, unit in world.units.items():
        one = {t.indicator.code for t in targets_for_unit(unit=unit, period=month)}
        tree = {targets[0].indicator.code for targets in run.bindings.for_unit(unit, month).values()}
        assert one == tree, name
        bound[name] = one
    return bound


def test_each_target_binds_the_units_its_scope_counts(world):
    bound = _bound(world)
    # "Of the Văn phòng" counts the Văn phòng alone: its phòng are not reporters. The province-wide target is
    # scoped at P and counts the agencies, committees and communes under it: O, K and X, not P, not the cells.
    assert bound == {"P": set(), "O": {"ky_so", "thiet_bi"}, "D1": set(), "D2": set(), "K": {"thiet_bi"},
                     "KC1": set(), "X": {"thiet_bi"}, "XC1": set(), "XC2": set()}


def test_named_units_count_with_their_subtrees_and_a_scope_unit_may_report_alone(world):
    u = world.units
    named = TargetFactory(plan=PlanFactory(issuer=u["P"], year_start=2026, year_end=2026), indicator=world.signed,
                          counts=Counts.NAMED, applies_to_kinds=[UnitKind.CELL])
    named.applies_to_units.set([u["X"]])
    alone = TargetFactory(plan=named.plan, indicator=IndicatorFactory(code="hop"), counts=Counts.ALL,
                          reporters=Reporters.SCOPE, scope_unit=u["K"])
    bound = _bound(world)
    # Named X, narrowed to cells: X's two cells report ky_so, X itself does not; the office keeps its own.
    assert {name for name, codes in bound.items() if "ky_so" in codes} == {"O", "XC1", "XC2"}
    # Counted over K's subtree but reported by K alone.
    assert {name for name, codes in bound.items() if "hop" in codes} == {"K"}
    assert alone.scope == u["K"] and named.scope == u["P"]


def test_a_province_wide_target_is_judged_on_the_province_total_only(world):
    u = world.units
    report(u["O"], {world.equipped: True, world.signed: (50, 100)})
    report(u["K"], {world.equipped: True})
    report(u["X"], {world.equipped: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)

    def row(name):
        return ComplianceResult.objects.get(run__is_current=True, unit=u[name], indicator=world.equipped)

    # The province's total: O and K equipped, X not: 2/3 = 66,67%. Against ≥ 80% by 31/12/2026 from 0 on
    # 01/01/2026, the path on 31/10 is 80 × 303/364 = 66,59: 66,67 ≥ 66,59 → on track, though P is no reporter.
    province = row("P")
    assert (province.sub_meeting, province.sub_expected, province.sub_value) == (2, 3, D("66.67"))
    assert province.target_id == world.province_wide.pk
    assert province.sub_status == Status.ON_TRACK
    assert "lộ trình cần 66,6% đến 31/10/2026" in province.sub_reason
    # Each unit is counted, not judged: X's "not done" is no failure of X's.
    x = row("X")
    assert (x.status, x.sub_status) == ("", "")
    assert x.reason == "Chưa thực hiện. Được tính vào tổng; mục tiêu chỉ đánh giá trên tổng."
    # The Văn phòng's own target is its own: 50% against 100% (path 83,24 → 33,24 short → behind). The phòng
    # report nothing and are not expected.
    office = ComplianceResult.objects.get(run__is_current=True, unit=u["O"], indicator=world.signed)
    assert (office.value, office.status) == (D("50.00"), Status.BEHIND)
    reporting = {r.unit.code: r.own for r in ReportingResult.objects.filter(run__is_current=True).select_related(
        "unit")}
    assert {code for code, own in reporting.items() if own != ReportingResult.Own.NOT_EXPECTED} == {
        "P.O", "P.K", "P.X"}


@pytest.fixture
def two_deadlines(world):
    """The body says "năm 2026", the appendix "Quý I/2026" for the same 100% of documents signed."""
    year = world.own
    quarter = TargetFactory(plan=world.plan, indicator=world.signed, value=100, counts=Counts.SELF,
                            due_kind=DueKind.QUARTER, due_on=dt.date(2026, 3, 31))
    return year, quarter


def test_two_targets_of_a_plan_that_are_not_stages_are_both_judged(world, two_deadlines):
    year, quarter = two_deadlines
    report(world.units["O"], {world.signed: (90, 100), world.equipped: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    office = ComplianceResult.objects.get(run__is_current=True, unit=world.units["O"], indicator=world.signed)
    # Against the year: path 100 × 303/364 = 83,24; 90 ≥ 83,24 → on track. Against Quý I: 31/03/2026 has passed
    # and 90 < 100 → behind. Both are judged; the worse shows, naming its target: the April forgiveness is gone.
    assert (office.target_id, office.status) == (quarter.pk, Status.BEHIND)
    assert office.reason == "90% / mục tiêu 100% đến 31/03/2026: không đạt khi hết hạn."


def test_stages_of_one_series_hand_over_at_each_deadline(world, two_deadlines):
    year, quarter = two_deadlines
    Target.objects.filter(pk__in=[year.pk, quarter.pk]).update(series="ky_so")
    report(world.units["O"], {world.signed: (90, 100), world.equipped: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    office = ComplianceResult.objects.get(run__is_current=True, unit=world.units["O"], indicator=world.signed)
    # One series: from April the year's stage is in force, its path starting at the stage before it (100% on
    # 01/04): the path stays at 100, 90 is 10 points short → at risk.
    assert (office.target_id, office.status, office.path_value) == (year.pk, Status.AT_RISK, D("100.00"))


def test_a_conflict_resolved_in_the_portal_names_the_target_that_holds_and_the_engine_uses_it(world):
    u = world.units
    plan = world.plan
    # As Lộc Ninh's 2.3.1 and 2.3.2, both headed "Năm 2026": 50% and 80% for the same year, one series with 2027.
    fifty = TargetFactory(plan=plan, indicator=world.signed, value=50,
                          counts=Counts.SELF, series="s", conflict="Hai mức cho năm 2026",
                          conflict_status=Conflict.OPEN)
    eighty = TargetFactory(plan=plan, indicator=world.signed, value=80, counts=Counts.SELF, series="s",
                           conflict="Hai mức cho năm 2026", conflict_status=Conflict.OPEN)
    later = TargetFactory(plan=plan, indicator=world.signed, value=100, counts=Counts.SELF, series="s",
                          due_on=dt.date(2027, 12, 31), conflict="Nêu lại", conflict_status=Conflict.OPEN)
    Target.objects.filter(pk=world.own.pk).delete()
    plan.year_end = 2027
    plan.save()
    report(u["O"], {world.signed: (60, 100), world.equipped: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    office = ComplianceResult.objects.get(run__is_current=True, unit=u["O"], indicator=world.signed)
    # Open: the earlier clause (50%) stands and the cell shows the conflict is open; 60 ≥ 50 → met.
    assert (office.target_id, office.status) == (fifty.pk, Status.MET)

    reviewer = UserFactory()
    gave_way = target_conflict_resolve(holds=eighty, by=reviewer)
    # 50% gives way; the 2027 stage is no rival (another deadline of the series) and stays open.
    assert gave_way == [fifty]
    fifty.refresh_from_db()
    later.refresh_from_db()
    eighty.refresh_from_db()
    assert (fifty.superseded_by_id, fifty.conflict_status) == (eighty.pk, Conflict.RESOLVED)
    assert eighty.conflict_status == Conflict.RESOLVED and later.conflict_status == Conflict.OPEN
    assert AuditEvent.objects.filter(object_id=str(fifty.pk), actor=reviewer,
                                     changes__has_key="superseded_by").exists()
    assert fifty not in targets_for_unit(unit=u["O"], period=OCT)

    compliance_compute(period=OCT, as_of=AFTER_DUE)
    office = ComplianceResult.objects.get(run__is_current=True, unit=u["O"], indicator=world.signed)
    # Resolved: 80% holds. Path 80 × 303/364 = 66,59; 60 is 6,59 short → at risk.
    assert (office.target_id, office.status, office.path_value) == (eighty.pk, Status.AT_RISK, D("66.59"))


def test_a_target_gives_way_only_to_a_rival_of_its_plan_and_indicator_once_resolved(world):
    from django.core.exceptions import ValidationError

    other = TargetFactory(plan=world.plan, indicator=world.equipped, counts=Counts.SELF)
    world.own.superseded_by = other
    world.own.conflict_status = Conflict.RESOLVED
    with pytest.raises(ValidationError) as caught:
        world.own.full_clean()
    assert "superseded_by" in caught.value.message_dict
    same = TargetFactory(plan=world.plan, indicator=world.signed, counts=Counts.SELF)
    world.own.superseded_by = same
    world.own.conflict_status = Conflict.OPEN
    with pytest.raises(ValidationError) as caught:
        world.own.full_clean()
    assert "conflict_status" in caught.value.message_dict


def test_the_unit_page_says_who_must_meet_each_target(client, world):
    from django.urls import reverse

    from tests.factories import MembershipFactory
    from units.models import Membership

    u = world.units
    report(u["O"], {world.equipped: True, world.signed: (50, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    reviewer = MembershipFactory(unit=u["P"], role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    html = client.get(reverse("compliance:unit", args=[u["P"].code]), {"month": "2026-10"}).content.decode()
    # The province's total is judged against the Văn phòng's province-wide target, and the page says its scope.
    assert ("Phạm vi áp dụng: Cơ quan tham mưu, giúp việc, Đảng ủy trực thuộc, Đảng ủy xã thuộc "
            f"{u['P'].name}; chỉ đánh giá trên tổng") in html


def test_target_bindings_lists_each_target_and_the_units_it_binds(world):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("target_bindings", "--month", "2026-10", stdout=out)
    text = out.getvalue()
    own = f"  T{world.own.position} ky_so ≥ 100% (Năm 2026) · Riêng {world.units['O'].name}\n    → 1: P.O\n"
    assert own in text
    assert "→ 3: P.O, P.K, P.X\n" in text
