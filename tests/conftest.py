import datetime as dt
import os
import shutil

import pytest
from django.conf import settings
from django.db import connection, transaction

from targets.models import Flow, Measure, Rollup
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind
from units.services import unit_national_root_ensure


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "PostgreSQL (DATABASE_URL)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "Redis (REDIS_URL)"
    if item.get_closest_marker("browser") and not shutil.which(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        return "Chromium (/usr/bin/chromium)"
    if item.get_closest_marker("libreoffice") and not shutil.which("libreoffice"):
        return "LibreOffice (libreoffice)"
    return None


def pytest_runtest_setup(item):
    missing = _missing_service(item)
    if missing is None:
        return
    # On CI every service is installed: a missing one is a broken set-up, not a reason to skip.
    if settings.TEST_REQUIRE_SERVICES:
        pytest.fail(f"{missing} is required when CI=true")
    pytest.skip(f"needs {missing}")


@pytest.fixture
def root(db):
    return unit_national_root_ensure()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("staff", password="pw-staff-2026", is_staff=True)


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("plain", password="pw-plain-2026")


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """The seed files loaded once per test module, inside a transaction that is rolled back after the module.

    Each test's own transaction nests inside this one (as Django's `setUpTestData` does), so a test still
    undoes its own writes and sees the seeds as loaded; modules using it must not hold transactional tests.
    """
    from portal.seeding import seed_plans_load

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        report = seed_plans_load()
        assert not report.errors, [str(error) for error in report.errors]
        statistics_refresh()
    yield report
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_module, db):
    """The units, indicator catalogue and five seed plans, loaded as `load_seed_plans` does."""
    return _seeded_module


@pytest.fixture
def demo_seeded(seeded):
    """`seed_demo`'s data on top of the seeds: chi bộ, demo users and a year of figures (not yet computed)."""
    from portal.demo import demo_seed

    result = demo_seed()
    statistics_refresh()
    return result


def statistics_refresh() -> None:
    """Fresh planner statistics on PostgreSQL for data a test transaction has just written.

    A long test session rolls back thousands of seeded rows: the tables fill with dead rows while autovacuum's
    statistics describe them as empty, and PostgreSQL then picks plans that scan them over and over. ANALYZE run
    inside the transaction counts the transaction's own rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages are keyed by ids the rolled-back database reuses."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
