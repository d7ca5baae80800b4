"""Full recomputation of one month at 5,000 units × 40 indicators and at 60,000 units, beside the SQL floor."""

import datetime as dt
import resource
import statistics
import time
import tracemalloc

import pytest
from django.db import connection

from benchmarks.conftest import record
from compliance.models import ComplianceResult
from compliance.services import compliance_compute
from portal.demo import synthetic_seed
from reports.models import Report
from targets.services import indicators_seed_load
from units.services import unit_national_root_ensure

FLOOR_SQL = """
    SELECT r.unit_id, v.indicator_id, SUM(v.numerator), SUM(v.denominator), COUNT(*)
    FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id
    WHERE r.period = %s AND r.status = 'approved'
    GROUP BY r.unit_id, v.indicator_id
"""


def _seed(size: int) -> dt.date:
    unit_national_root_ensure()
    indicators_seed_load()
    today = dt.date(2026, 11, 21)
    synthetic_seed(size=size, months=1, today=today)
    period = dt.date(2026, 10, 1)
    Report.objects.filter(period=period).update(status=Report.Status.APPROVED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return period


def _floor_ms(period: dt.date, repeat: int = 3) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [period])
            rows = len(cursor.fetchall())
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), rows


@pytest.mark.parametrize(("size", "aim_s"), [(5_000, 2), (60_000, 20)])
def test_full_recomputation(size, aim_s):
    period = _seed(size)
    floor_ms, floor_rows = _floor_ms(period)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    run = compliance_compute(period=period)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert run.results == ComplianceResult.objects.filter(run=run).count() > 0
    run_results = run.results
    # Python's own peak, measured in a second run: tracemalloc slows the code it watches several times over,
    # too much to repeat at 60,000 units, where the process's maximum RSS has to do.
    peak = None
    if size <= 5_000:
        tracemalloc.start()
        compliance_compute(period=period)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"\nCompliance, {size:,} units × 40 indicators, one month ({floor_rows:,} unit-indicator figures)")
    print(f"  full recomputation:      {seconds:7.2f} s   (aim ≤ {aim_s} s, within 3× of the SQL floor)")
    print(f"  SQL floor (one GROUP BY): {floor_ms / 1000:7.2f} s   → {seconds / (floor_ms / 1000):.1f}× the floor")
    traced = f"{peak / 2**20:.1f} MiB of Python objects (tracemalloc, second run); " if peak else ""
    print(f"  peak memory:             {traced}process max RSS {rss_after / 1024:.0f} MiB "
          f"(was {rss_before / 1024:.0f} MiB after seeding)")
    print(f"  results written:         {run_results:,}")
    record(f"compliance full recomputation, {size} units", seconds, "s", floor=floor_ms / 1000, aim=aim_s)
    record(f"compliance max RSS, {size} units", rss_after / 1024, "MiB", aim=1024 if size > 5_000 else None)
