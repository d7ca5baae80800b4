"""A plan binds only within its years, and only until a newer plan of the same issuer and parent replaces it."""

import datetime as dt

import pytest

from compliance.computation import Month
from compliance.models import ComplianceRun
from targets.binding import Bindings, Lifetime, PlanDates, plan_lifetimes, targets_for_unit
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db


def _dates(pk, *, issuer=1, parent=10, issued_on=None, years=(2026, 2026)):
    return PlanDates(pk, issuer, parent, issued_on, years[0], years[1])


def test_a_plan_alone_lives_through_its_years():
    lifetimes = plan_lifetimes([_dates(1, years=(2025, 2028))])
    # 2025–2028: from 01/01/2025 to 31/12/2028.
    assert lifetimes[1] == Lifetime(dt.date(2025, 1, 1), dt.date(2028, 12, 31))
    assert not lifetimes[1].covers(dt.date(2024, 12, 1))
    assert lifetimes[1].covers(dt.date(2025, 1, 1))
    assert lifetimes[1].covers(dt.date(2028, 12, 1))
    assert not lifetimes[1].covers(dt.date(2029, 1, 1))


def test_a_later_plan_of_the_same_issuer_and_parent_takes_over_from_the_month_it_was_issued():
    older = _dates(1, issued_on=dt.date(2025, 3, 5), years=(2025, 2028))
    newer = _dates(2, issued_on=dt.date(2026, 4, 10), years=(2026, 2028))
    lifetimes = plan_lifetimes([newer, older])
    # The newer plan is issued 10/04/2026: it holds from 01/04/2026; the older one until 31/03/2026.
    assert lifetimes[1] == Lifetime(dt.date(2025, 1, 1), dt.date(2026, 3, 31))
    assert lifetimes[2] == Lifetime(dt.date(2026, 4, 1), dt.date(2028, 12, 31))
    assert lifetimes[1].covers(dt.date(2026, 3, 1)) and not lifetimes[2].covers(dt.date(2026, 3, 1))
    assert lifetimes[2].covers(dt.date(2026, 4, 1)) and not lifetimes[1].covers(dt.date(2026, 4, 1))


def test_a_later_plan_without_a_date_takes_over_from_january_of_its_first_year():
    lifetimes = plan_lifetimes([_dates(1, years=(2025, 2028)), _dates(2, years=(2027, 2028))])
    # The newer plan's date is unknown: it holds from 01/01/2027; the older one ends 31/12/2026.
    assert lifetimes[1].ends_on == dt.date(2026, 12, 31)
    assert lifetimes[2].starts_on == dt.date(2027, 1, 1)


def test_a_plan_implementing_another_of_its_issuer_or_under_another_parent_replaces_nothing():
    # As 38-KH/TU (04/01/2026, 2025–2028) and 86-KH/TU (10/4/2026, 2026), which implements it.
    plan_38 = _dates(38, parent=204, issued_on=dt.date(2026, 1, 4), years=(2025, 2028))
    plan_86 = _dates(86, parent=38, issued_on=dt.date(2026, 4, 10), years=(2026, 2026))
    other_parent = _dates(87, parent=99, issued_on=dt.date(2026, 6, 1), years=(2026, 2026))
    other_issuer = _dates(88, issuer=2, parent=204, issued_on=dt.date(2026, 6, 1), years=(2026, 2026))
    lifetimes = plan_lifetimes([plan_38, plan_86, other_parent, other_issuer])
    assert lifetimes[38] == Lifetime(dt.date(2025, 1, 1), dt.date(2028, 12, 31))
    assert lifetimes[86] == Lifetime(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def lifetimes_world(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    commune = unit_make(parent=province, code="P1.X1")
    indicator = IndicatorFactory()
    parent = PlanFactory(issuer=province, year_start=2025, year_end=2028)
    older = PlanFactory(issuer=commune, parent=parent, year_start=2025, year_end=2028,
                        issued_on=dt.date(2025, 2, 1))
    newer = PlanFactory(issuer=commune, parent=parent, year_start=2026, year_end=2026,
                        issued_on=dt.date(2026, 4, 10))
    ended = PlanFactory(issuer=commune, year_start=2025, year_end=2025)
    targets = {
        "older": TargetFactory(plan=older, indicator=indicator, due_on=dt.date(2028, 12, 31)),
        "newer": TargetFactory(plan=newer, indicator=indicator, due_on=dt.date(2026, 12, 31)),
        "ended": TargetFactory(plan=ended, due_on=dt.date(2025, 12, 31)),
    }
    return commune, targets


@pytest.mark.parametrize(("period", "expected"), [
    (dt.date(2025, 12, 1), {"older", "ended"}),  # 2025: the older plan and the plan of 2025
    (dt.date(2026, 3, 1), {"older"}),  # 2026 before 10/04: the 2025 plan has ended, the newer not issued
    (dt.date(2026, 4, 1), {"newer"}),  # from April 2026 the newer plan replaces the older one
    (dt.date(2026, 12, 1), {"newer"}),
    (dt.date(2027, 1, 1), set()),  # the newer plan's year is over and the older one stays replaced
])
def test_the_form_and_the_tree_bind_a_plan_only_in_its_lifetime(lifetimes_world, period, expected):
    commune, targets = lifetimes_world
    names = {target.pk: name for name, target in targets.items()}
    assert {names[t.pk] for t in targets_for_unit(unit=commune, period=period)} == expected
    tree = Bindings().for_unit(commune, period)
    assert {names[t.pk] for bound in tree.values() for t in bound} == expected


def test_the_engine_binds_a_plan_only_in_its_lifetime(lifetimes_world):
    commune, targets = lifetimes_world
    month = Month.load(ComplianceRun(period=dt.date(2027, 2, 1), as_of=dt.datetime(2027, 3, 1, tzinfo=dt.UTC)))
    assert month.bindings.for_unit(commune, month.period) == {}
