import pytest

from targets.models import Flow, Measure, Rollup
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, unit_make
from units.models import Membership, UnitKind


@pytest.fixture
def world(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1")
    other_ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X2")
    plan = PlanFactory(issuer=province, report_due_day=20)
    signed = IndicatorFactory(code="ky_so", flow=Flow.FLOW)
    digitised = IndicatorFactory(code="so_hoa", flow=Flow.LEVEL)
    milestone = IndicatorFactory(code="moc", measure=Measure.MILESTONE, rollup=Rollup.ALL_DONE,
                                 numerator_label="", denominator_label="")
    for indicator in (signed, digitised):
        TargetFactory(plan=plan, indicator=indicator)
    TargetFactory(plan=plan, indicator=milestone, comparator="done", value=None)
    clerk = MembershipFactory(unit=ward, role=Membership.Role.CLERK).user
    reviewer = MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user
    return type("World", (), dict(province=province, ward=ward, other_ward=other_ward, clerk=clerk,
                                  reviewer=reviewer, signed=signed, digitised=digitised, milestone=milestone))
