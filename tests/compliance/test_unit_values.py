"""A value a target sets for a named unit replaces its own there and below; above that unit the target's own holds.

Each figure is worked out by hand beside it. The target runs from 01/01/2026 to 31/12/2026 (364 days) without a
baseline, so a path starts from 0: on 31/10 it needs value×303/364 (90% → 74,92%; 50% → 41,62%); a value more than
10 points below the path is "Chậm".
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from compliance.models import ComplianceResult, Status
from compliance.services import compliance_compute
from targets.binding import Bindings, stages_in_force, target_value_for
from targets.models import TargetUnitValue
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
OPEN = dt.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def result(unit, indicator) -> ComplianceResult:
    return ComplianceResult.objects.get(run__is_current=True, run__period=OCT, unit=unit, indicator=indicator)


@pytest.fixture
def world(root):
    """Province P asks ≥ 50% of its communes A and B; for A it sets 90%."""
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    # B first: the computation walks the tree in path order, so A's value would be the last to reach P's total.
    b, a = (unit_make(parent=province, kind=UnitKind.COMMUNE, code=f"P.{n}", opened_on=OPEN) for n in "BA")
    signed = IndicatorFactory(code="ky_so")
    target = TargetFactory(plan=PlanFactory(issuer=province), indicator=signed, value=50,
                           applies_to_kinds=[UnitKind.COMMUNE])
    TargetUnitValue.objects.create(target=target, unit=a, value=90)
    return type("World", (), dict(province=province, a=a, b=b, signed=signed, target=target))


def test_a_commune_is_judged_against_its_own_value_and_the_province_against_the_plans(world):
    w = world
    report(w.a, {w.signed: (60, 100)})
    report(w.b, {w.signed: (60, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    a, b, province = (result(unit, w.signed) for unit in (w.a, w.b, w.province))
    # A: 60/100 = 60% against its own 90%; the path needs 90×303/364 = 74,92%; 14,92 short → behind.
    assert (a.value, a.status) == (D("60.00"), Status.BEHIND)
    assert "mục tiêu 90%" in a.reason and "74,9%" in a.reason
    # B: 60% against the plan's 50% → met.
    assert (b.value, b.status) == (D("60.00"), Status.MET)
    # P: (60 + 60)/(100 + 100) = 60% against the plan's 50% → met (not A's 90%).
    assert (province.sub_value, province.sub_status) == (D("60.00"), Status.MET)
    assert "mục tiêu 50%" in province.sub_reason


@pytest.fixture
def cells(root):
    """Province P asks ≥ 50% of its party cells; commune A (cells A1, A2) is set 90%, its cell A1 95%; commune B has
    cell B1 at the plan's value."""
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    # B first: the computation walks the tree in path order, so A's value would be the last to reach P's total.
    b, a = (unit_make(parent=province, kind=UnitKind.COMMUNE, code=f"P.{n}", opened_on=OPEN) for n in "BA")
    b1 = unit_make(parent=b, kind=UnitKind.CELL, code="P.B.1", opened_on=OPEN)
    a2, a1 = (unit_make(parent=a, kind=UnitKind.CELL, code=f"P.A.{n}", opened_on=OPEN) for n in (2, 1))
    signed = IndicatorFactory(code="ky_so")
    target = TargetFactory(plan=PlanFactory(issuer=province), indicator=signed, value=50,
                           applies_to_kinds=[UnitKind.CELL])
    TargetUnitValue.objects.create(target=target, unit=a, value=90)
    TargetUnitValue.objects.create(target=target, unit=a1, value=95)
    return type("Cells", (), dict(province=province, a=a, b=b, a1=a1, a2=a2, b1=b1, signed=signed, target=target))


def test_the_nearest_named_unit_wins_and_each_total_is_judged_against_the_value_above_it(cells):
    c = cells
    report(c.a1, {c.signed: (19, 20)})
    report(c.a2, {c.signed: (16, 20)})
    report(c.b1, {c.signed: (12, 20)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    a1, a2, a, b1, province = (result(unit, c.signed) for unit in (c.a1, c.a2, c.a, c.b1, c.province))
    # A1: 19/20 = 95% against its own 95% → met.
    assert (a1.value, a1.status) == (D("95.00"), Status.MET)
    # A2: 16/20 = 80% against A's 90% (no value of its own); path 90×303/364 = 74,92% → on track.
    assert (a2.value, a2.status) == (D("80.00"), Status.ON_TRACK)
    # A's total: (19 + 16)/(20 + 20) = 35/40 = 87,5% against A's 90%: not met, above the path 74,92% → on track
    # (against the plan's 50% it would be met).
    assert (a.sub_value, a.sub_status) == (D("87.50"), Status.ON_TRACK)
    # B1: 12/20 = 60% against the plan's 50% → met.
    assert (b1.value, b1.status) == (D("60.00"), Status.MET)
    # P's total: (19 + 16 + 12)/60 = 47/60 = 78,33% against the plan's 50% → met.
    assert (province.sub_value, province.sub_status) == (D("78.33"), Status.MET)


def test_stages_in_force_take_the_units_value_and_keep_the_targets_own_as_base(cells):
    c = cells
    bindings = Bindings()
    targets = bindings.for_unit(c.a2, OCT)[c.signed.pk]
    (stage,) = stages_in_force(targets, dt.date(2026, 10, 31), bindings.overrides(c.a2.path, targets))
    # A2 has no value of its own: A's 90% holds for it; above A, the plan's 50%.
    assert (stage.value, stage.valued_at, stage.base.value, stage.base.base) == (D("90"), c.a.path, D("50"), None)
    targets = bindings.for_unit(c.a1, OCT)[c.signed.pk]
    (stage,) = stages_in_force(targets, dt.date(2026, 10, 31), bindings.overrides(c.a1.path, targets))
    assert (stage.value, stage.base.value, stage.base.base.value) == (D("95"), D("90"), D("50"))


def test_the_form_shows_the_unit_its_own_value(cells):
    c = cells
    assert target_value_for(target=c.target, unit=c.a2).label == "≥ 90%"
    assert target_value_for(target=c.target, unit=c.a2).set_for == c.a.name
    assert target_value_for(target=c.target, unit=c.a1).label == "≥ 95%"
    assert target_value_for(target=c.target, unit=c.b1).label == "≥ 50%"


def test_the_targets_read_for_a_unit_carry_its_value(cells):
    from targets.binding import target_values_for, targets_for_unit

    c = cells
    (target,) = targets_for_unit(unit=c.a2, period=OCT)
    assert target_values_for(unit=c.a2, targets=[target])[target.pk].label == "≥ 90%"  # A's value
    (target,) = targets_for_unit(unit=c.b1, period=OCT)
    assert target_values_for(unit=c.b1, targets=[target])[target.pk].label == "≥ 50%"  # the plan's own


def test_the_monthly_form_prints_the_units_value(cells):
    from reports.selectors import report_form_context

    c = cells
    # The clerk of A2 reads A's 90%, the clerk of B1 the plan's 50%.
    assert [row["target_value"] for row in report_form_context(unit=c.a2, period=OCT, report=None)] == ["≥ 90%"]
    assert [row["target_value"] for row in report_form_context(unit=c.b1, period=OCT, report=None)] == ["≥ 50%"]


def test_changing_a_units_value_recomputes_the_months_computed(world, django_capture_on_commit_callbacks):
    from authoring.unit_values import UnitValueInput, target_unit_values_set
    from tests.factories import UserFactory

    w = world
    report(w.b, {w.signed: (60, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        target_unit_values_set(by=staff, target=w.target, rows=[UnitValueInput(w.b.code, D("70"))])
    # October recomputed after commit: B's 60% is now judged against its own 70%, not the plan's 50% (met before);
    # the path needs 70×303/364 = 58,27%; 60 ≥ 58,27 → on track.
    b = result(w.b, w.signed)
    assert (b.status, "mục tiêu 70%" in b.reason) == (Status.ON_TRACK, True)


def test_the_scorecard_marks_a_target_with_values_per_unit(world, staff_user):
    from compliance.selectors import scorecard

    w = world
    report(w.a, {w.signed: (60, 100)})
    run = compliance_compute(period=OCT, as_of=AFTER_DUE)
    card = scorecard(user=staff_user, unit=w.province, run=run)
    cells = {row.unit.code: row.cells[0] for row in card.rows}
    # A is judged against its own 90%: the cell marks the plan's 50% as not every unit's, and says so in its title.
    assert cells["P.A"].target == "≥ 50%*"
    assert cells["P.A"].held.endswith("· có giá trị riêng cho một số đơn vị")


def test_the_unit_page_shows_the_value_asked_of_the_unit(cells, client, staff_user):
    from django.urls import reverse

    c = cells
    report(c.a2, {c.signed: (16, 20)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    client.force_login(staff_user)
    # A2 is bound and reads A's 90%; A is judged on its total against its own 90%; B1 reads the plan's 50%.
    for unit, label in ((c.a2, "≥ 90%"), (c.a, "≥ 90%"), (c.b1, "≥ 50%")):
        html = client.get(reverse("compliance:unit", args=[unit.code]), {"period": "2026-10"}).content.decode()
        assert f"{c.signed.group.name} · {label} (" in html, unit.code


def test_the_indicator_page_charts_the_value_asked_of_the_unit(world, client, staff_user):
    import json

    from django.urls import reverse

    w = world
    report(w.a, {w.signed: (60, 100)})
    report(w.b, {w.signed: (60, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    client.force_login(staff_user)
    page = reverse("compliance:indicator", kwargs={"code": "ky_so"})
    shown = {}
    for unit in (w.a, w.b, w.province):
        html = client.get(page, {"period": "2026-10", "unit": unit.code}).content.decode()
        chart = json.loads(html.split('id="trend-data" type="application/json">')[1].split("</script>")[0])
        shown[unit.code] = (chart["target"][-1], html)
    # A is asked its own 90%, named as A's in the table; B and the province the plan's 50%.
    assert shown["P.A"][0] == 90.0
    assert f"≥ 90% (giá trị riêng cho {w.a.name}) · " in shown["P.A"][1]
    assert shown["P.B"][0] == 50.0 and "≥ 50% · " in shown["P.B"][1] and "giá trị riêng cho" not in shown["P.B"][1]
    assert shown["P"][0] == 50.0 and "giá trị riêng cho" not in shown["P"][1]
