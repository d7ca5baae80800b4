import datetime as dt

import pytest

from targets.models import Flow, Measure, Rollup
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind


@pytest.fixture
def tree(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    w1 = unit_make(parent=province, kind=UnitKind.WARD, code="P.W1", opened_on=dt.date(2025, 7, 1))
    w2 = unit_make(parent=province, kind=UnitKind.WARD, code="P.W2", opened_on=dt.date(2025, 7, 1))
    c1 = unit_make(parent=w1, kind=UnitKind.CELL, code="P.W1.C1", opened_on=dt.date(2025, 7, 1))
    closed = unit_make(parent=province, kind=UnitKind.WARD, code="P.OLD", closed_on=dt.date(2025, 6, 30))
    opened_later = unit_make(parent=province, kind=UnitKind.WARD, code="P.NEW", opened_on=dt.date(2026, 12, 1))
    plan = PlanFactory(issuer=province, source_text="Kế hoạch thử")
    signed = IndicatorFactory(code="ky_so", flow=Flow.LEVEL)
    ai = IndicatorFactory(code="ai", measure=Measure.UNIT_SHARE, rollup=Rollup.UNIT_SHARE, numerator_label="",
                          denominator_label="")
    lower = [UnitKind.WARD, UnitKind.CELL]
    TargetFactory(plan=plan, indicator=signed, value=100, applies_to_kinds=lower)
    TargetFactory(plan=plan, indicator=ai, comparator="range", value=30, value_max=40, applies_to_kinds=lower)
    return type("Tree", (), dict(province=province, w1=w1, w2=w2, c1=c1, closed=closed, new=opened_later,
                                 signed=signed, ai=ai))
