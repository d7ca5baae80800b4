import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from units.services import unit_national_root_ensure


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "PostgreSQL (DATABASE_URL)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "Redis (REDIS_URL)"
    if item.get_closest_marker("browser") and not shutil.which(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        return "Chromium (/usr/bin/chromium)"
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


@pytest.fixture
def seeded(db):
    """The units, indicator catalogue and five seed plans, loaded as `load_seed_plans` does."""
    from plans.services import seed_plans_load

    report = seed_plans_load()
    assert not report.errors, [str(error) for error in report.errors]
    return report
