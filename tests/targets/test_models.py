import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.periods import DueKind
from targets.binding import targets_for_unit
from targets.models import Comparator, Counts, Measure, Rollup
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

MONTH = dt.date(2026, 5, 1)

pytestmark = pytest.mark.django_db


def test_an_upside_down_range_is_refused_with_a_vietnamese_message():
    target = TargetFactory.build(plan=PlanFactory(), indicator=IndicatorFactory(), comparator=Comparator.RANGE,
                                 value=40, value_max=30)
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    assert caught.value.message_dict["value_max"] == [
        "Khoảng giá trị bị đảo ngược: giá trị cận dưới (40%) phải nhỏ hơn giá trị cận trên (30%)."]


def test_a_proper_range_is_accepted_and_written_as_the_plans_write_it():
    target = TargetFactory(comparator=Comparator.RANGE, value=30, value_max=40)
    target.full_clean()
    assert target.value_label == "30 – 40%"
    assert target.due_label == "Năm 2026"


@pytest.mark.parametrize(("comparator", "value", "label"), [
    (Comparator.AT_LEAST, 95, "≥ 95%"), (Comparator.AT_MOST, 5, "≤ 5%"), (Comparator.AT_LEAST, 87.5, "≥ 87,5%"),
])
def test_value_labels(comparator, value, label):
    assert TargetFactory.build(comparator=comparator, value=value).value_label == label


def test_a_milestone_takes_done_and_no_value():
    milestone = IndicatorFactory(measure=Measure.MILESTONE, rollup=Rollup.ALL_DONE, numerator_label="",
                                 denominator_label="")
    with pytest.raises(ValidationError) as caught:
        TargetFactory.build(plan=PlanFactory(), indicator=milestone, comparator=Comparator.AT_LEAST,
                            value=100).full_clean()
    assert "comparator" in caught.value.message_dict
    done = TargetFactory.build(plan=PlanFactory(), indicator=milestone, comparator=Comparator.DONE, value=None,
                               due_kind=DueKind.QUARTER, due_on=dt.date(2025, 6, 30))
    done.full_clean()
    assert done.due_label == "Quý II/2025"


def test_percentages_above_100_are_refused():
    with pytest.raises(ValidationError) as caught:
        TargetFactory.build(plan=PlanFactory(), indicator=IndicatorFactory(), value=120).full_clean()
    assert "value" in caught.value.message_dict


def test_a_ratio_indicator_needs_its_numerator_and_denominator_names():
    indicator = IndicatorFactory.build(group=IndicatorFactory().group, numerator_label="", denominator_label="")
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "numerator_label" in caught.value.message_dict


def test_targets_bind_the_units_below_the_issuer_by_kind_and_named_units(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    commune = unit_make(parent=province, code="P1.X1")
    cell = unit_make(parent=commune, kind=UnitKind.CELL, code="P1.X1.CB1")
    other = unit_make(kind=UnitKind.PROVINCE, code="P2")
    plan = PlanFactory(issuer=province)
    everyone = TargetFactory(plan=plan)
    cells_only = TargetFactory(plan=plan, applies_to_kinds=[UnitKind.CELL])
    named = TargetFactory(plan=plan, counts=Counts.NAMED)
    named.applies_to_units.set([commune])
    commune_plan_target = TargetFactory(plan=PlanFactory(issuer=commune))

    assert set(targets_for_unit(unit=cell, period=MONTH)) == {everyone, cells_only, named, commune_plan_target}
    assert set(targets_for_unit(unit=commune, period=MONTH)) == {everyone, named, commune_plan_target}
    assert set(targets_for_unit(unit=province, period=MONTH)) == {everyone}
    assert targets_for_unit(unit=other, period=MONTH) == []
