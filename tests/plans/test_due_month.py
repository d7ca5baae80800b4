import datetime as dt

import pytest

from plans.selectors import month_last_due
from tests.factories import PlanFactory, unit_make
from units.models import UnitKind
from units.services import unit_national_root_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    PlanFactory(issuer=province, source_text="Kế hoạch", report_due_day=20)
    return unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy phường Một")


@pytest.mark.parametrize(("today", "month"), [
    (dt.date(2026, 11, 1), dt.date(2026, 9, 1)),  # October's report is due 20/11: not yet, so September
    (dt.date(2026, 11, 19), dt.date(2026, 9, 1)),  # the day before October's due day
    (dt.date(2026, 11, 20), dt.date(2026, 10, 1)),  # October's due day: October
    (dt.date(2027, 1, 5), dt.date(2026, 11, 1)),  # December is due 20/01/2027; November was due 20/12/2026
    (dt.date(2027, 1, 20), dt.date(2026, 12, 1)),  # across the year
])
def test_the_month_most_recently_due(ward, today, month):
    assert month_last_due(unit=ward, today=today) == month
