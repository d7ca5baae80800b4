"""The API against its own OpenAPI schema: generated requests, as a clerk and as a reviewer, never a 500."""

import datetime as dt
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from reports.services import ValueInput, report_open, report_submit, report_values_save
from targets.models import Flow, Measure, Rollup
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    PlanFactory,
    TargetFactory,
    unit_make,
)
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db


def _schema():
    # The schema is what /api/schema/ serves to staff; generated here so no staff session is needed.
    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    loaded = schemathesis.openapi.from_dict(document)
    # The coverage phase (every boundary value the schema allows: empty strings, "null,null" ids, year 0.0)
    # is kept; sending PUT, DELETE and the like to read-only paths only measures the 405s of DRF itself.
    loaded.config.phases.coverage.unexpected_methods = set()
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _one_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes "old" connections when a request starts and ends; on PostgreSQL that would close
    the connection holding the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def users(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1")
    unit_make(parent=province, kind=UnitKind.WARD, code="P1.X2")
    plan = PlanFactory(issuer=province, report_due_day=20)
    signed = IndicatorFactory(code="ky_so", flow=Flow.FLOW)
    milestone = IndicatorFactory(code="moc", measure=Measure.MILESTONE, rollup=Rollup.ALL_DONE,
                                 numerator_label="", denominator_label="")
    TargetFactory(plan=plan, indicator=signed)
    TargetFactory(plan=plan, indicator=milestone, comparator="done", value=None)
    clerk = MembershipFactory(unit=ward, role=Membership.Role.CLERK).user
    reviewer = MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user
    # One submitted report, so the ids in the generated requests sometimes point at something real.
    report = report_open(unit=ward, period=dt.date(2026, 5, 1), by=clerk)
    report = report_values_save(report=report, by=clerk, version=report.version, values=[
        ValueInput(indicator_id=signed.pk, numerator=5, denominator=10, done=None, note=""),
        ValueInput(indicator_id=milestone.pk, numerator=None, denominator=None, done=True, note="")])
    report_submit(report=report, by=clerk, version=report.version)
    users = [("clerk", clerk), ("reviewer", reviewer)]
    return {role: {"Authorization": f"Token {_token(user)}"} for role, user in users}


def _token(user) -> str:
    return AuthToken.objects.create(user=user)[1]


BOUNDED = settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _check(case, headers) -> None:
    response = case.call(headers=headers)
    RECORD.append(response.status_code)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


# The clerk's own work (the monthly round); the reviewer below goes through every operation.
@schema.include(path_regex="^/api/v1/(reports|units)/").parametrize()
@BOUNDED
def test_a_clerk_gets_no_server_error_from_any_generated_request(case, users):
    _check(case, users["clerk"])


@schema.parametrize()
@BOUNDED
def test_a_reviewer_gets_no_server_error_from_any_generated_request(case, users):
    _check(case, users["reviewer"])


RECORD = []


def teardown_module():
    print(f"\nschemathesis: {len(RECORD)} requests, {sum(code >= 500 for code in RECORD)} server errors")
