"""The province scorecard at 5,000 units with 24 months of data, beside the plain SQL that fetches its numbers."""

import datetime as dt
import gzip
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.bench_compliance import _seed
from benchmarks.conftest import record
from compliance.models import ComplianceRun
from compliance.services import compliance_compute
from tests.factories import UserFactory
from units.models import Membership, Unit

SIZE = 5_000
MONTHS = 24

FLOOR_SQL = """
    SELECT r.unit_id, r.indicator_id, r.sub_value, r.sub_status, r.target_id
    FROM compliance_complianceresult r JOIN units_unit u ON u.id = r.unit_id
    WHERE r.run_id = %s AND (u.id = %s OR (u.path LIKE %s AND u.depth = %s))
"""


def _copy_history(run: ComplianceRun) -> None:
    """23 earlier months of results and figures, copied in SQL, so the tables hold 24 months."""
    with connection.cursor() as cursor:
        for back in range(1, MONTHS):
            year, month = divmod(run.period.month - 1 - back, 12)
            period = dt.date(run.period.year + year, month + 1, 1)
            cursor.execute(
                "INSERT INTO compliance_compliancerun (period, state, is_current, as_of, started_at, results, error)"
                " VALUES (%s, 'done', true, now(), now(), %s, '') RETURNING id", [period, run.results])
            new_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO compliance_complianceresult (run_id, unit_id, indicator_id, target_id, numerator,"
                " denominator, done, value, provisional_value, path_value, status, reason, sub_numerator,"
                " sub_denominator, sub_expected, sub_reporting, sub_meeting, sub_value, sub_status, sub_reason)"
                " SELECT %s, unit_id, indicator_id, target_id, numerator, denominator, done, value,"
                " provisional_value, path_value, status, reason, sub_numerator, sub_denominator, sub_expected,"
                " sub_reporting, sub_meeting, sub_value, sub_status, sub_reason"
                " FROM compliance_complianceresult WHERE run_id = %s", [new_id, run.pk])
            cursor.execute(
                "INSERT INTO reports_report (unit_id, period, status, due_on, version, submitted_at, approved_at,"
                " created_at, updated_at) SELECT unit_id, %s, status, due_on, version, submitted_at, approved_at,"
                " created_at, updated_at FROM reports_report WHERE period = %s", [period, run.period])
            cursor.execute(
                "INSERT INTO reports_reportvalue (report_id, indicator_id, numerator, denominator, done, note)"
                " SELECT n.id, v.indicator_id, v.numerator, v.denominator, v.done, v.note"
                " FROM reports_reportvalue v JOIN reports_report o ON o.id = v.report_id"
                " JOIN reports_report n ON n.unit_id = o.unit_id AND n.period = %s WHERE o.period = %s",
                [period, run.period])
        cursor.execute("ANALYZE")


def test_province_scorecard_at_5000_units_and_24_months():
    period = _seed(SIZE)
    run = compliance_compute(period=period)
    _copy_history(run)
    province = Unit.objects.get(code="SYN")
    reviewer = UserFactory()
    Membership.objects.create(user=reviewer, unit=province, role=Membership.Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    url = reverse("compliance:dashboard")
    query = {"unit": "SYN", "period": f"{period:%Y-%m}"}

    from django.core.cache import cache

    cache.clear()
    start = time.perf_counter()
    assert client.get(url, query).status_code == 200
    cold_ms = (time.perf_counter() - start) * 1000
    samples, queries = [], 0
    for _ in range(15):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, query, HTTP_ACCEPT_ENCODING="gzip")
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    floor = []
    for _ in range(15):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [run.pk, province.pk, province.path + "%", province.depth + 1])
            rows = cursor.fetchall()
        floor.append((time.perf_counter() - start) * 1000)
    print(f"\nProvince scorecard, {Unit.objects.count():,} units, {MONTHS} months of results and figures "
          f"({len(rows):,} cells)")
    print(f"  first view after a computation:   {cold_ms:7.1f} ms (builds and caches the scorecard)")
    print(f"  page (server time, median of 15): {statistics.median(samples):7.1f} ms, {queries} queries "
          f"(≤ 15 queries); {len(response.content) / 1024:.0f} KiB over the wire "
          f"({len(gzip.decompress(response.content)) / 1024:.0f} KiB of HTML before gzip)")
    print(f"  SQL floor (the same numbers):     {statistics.median(floor):7.1f} ms → the page "
          f"{statistics.median(samples) / statistics.median(floor):.2f}× the floor (aim ≤ 2×)")
    record("province scorecard, 5000 units", statistics.median(samples), "ms", floor=statistics.median(floor),
           aim=2 * statistics.median(floor))
    record("province scorecard queries", queries, "queries", aim=15)
