"""A province with a plan, a commune under it with its office reviewer, and a clerk: the people who write plans."""

import datetime as dt

import pytest
from django.utils import translation

from core.periods import DueKind
from plans.models import PlanTask
from targets.models import Comparator, Counts, Measure, Rollup
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world(root):
    opened = dt.date(2025, 1, 1)
    province = unit_make(kind=UnitKind.PROVINCE, code="P", name="Tỉnh ủy P", opened_on=opened)
    commune = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.X", name="Đảng ủy xã X", opened_on=opened)
    school = unit_make(parent=commune, kind=UnitKind.CELL, code="P.X.S", name="Chi bộ trường X", opened_on=opened)
    other = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.Y", name="Đảng ủy xã Y", opened_on=opened)
    parent = PlanFactory(issuer=province, key="p-2026", number="1-KH/TU", year_start=2026, year_end=2026,
                         source_text="Kế hoạch của tỉnh")
    signed = IndicatorFactory(code="ky_so", name="Văn bản được ký số")
    ai = IndicatorFactory(code="ai", name="Cơ quan ứng dụng AI", measure=Measure.UNIT_SHARE,
                          rollup=Rollup.UNIT_SHARE, numerator_label="", denominator_label="")
    held = TargetFactory(plan=parent, position=1, indicator=signed, value=80,
                         clause="Tối thiểu 80% văn bản được ký số")
    named = TargetFactory(plan=parent, position=2, indicator=ai, comparator=Comparator.RANGE, value=30, value_max=40,
                          counts=Counts.NAMED, clause="30 - 40% trường học ứng dụng AI")
    named.applies_to_units.set([school, other])
    TargetFactory(plan=parent, position=3, indicator=signed, value=90, retired_from=dt.date(2026, 7, 1),
                  clause="Mục tiêu đã thôi áp dụng")
    for number in (1, 2):
        task = PlanTask.objects.create(plan=parent, number=number, title=f"Nhiệm vụ {number} của tỉnh",
                                       due_kind=DueKind.QUARTER, due_on=dt.date(2026, 6, 30), lead_unit=other)
        task.cooperating_units.set([commune, other])

    def member(unit, role):
        return MembershipFactory(user=UserFactory(), unit=unit, role=role).user

    return type("World", (), dict(
        province=province, commune=commune, school=school, other=other, parent=parent, signed=signed, ai=ai,
        held=held, named=named,
        author=member(commune, Membership.Role.REVIEWER),  # the commune's office
        colleague=member(commune, Membership.Role.REVIEWER),
        neighbour=member(other, Membership.Role.REVIEWER),
        clerk=member(commune, Membership.Role.CLERK),
    ))
