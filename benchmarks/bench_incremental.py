"""From an approval's commit to the dashboard showing the new figure, at 5,000 and 60,000 units, beside its floor.

The month is computed in full first; then cells' submitted reports are approved one by one. Each is timed from the
moment its transaction would commit (the decision written, the commit callbacks not yet run) until the province's
dashboard page, rebuilt under the run's new revision, has been served; the figure is checked in the results.
The floor, measured in the same run: the SQL that rewrites the same rows in one statement plus the SQL that reads
the province's scorecard figures. Apart: the page alone after an approval (only the rows on the changed unit's path
rebuilt) beside a cached view of it and a full rebuild of the page, with its cost a row.
"""

import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarks.bench_compliance import _seed
from benchmarks.conftest import record
from compliance.models import ComplianceResult, ComplianceRun
from compliance.services import compliance_compute
from reports.models import Report
from reports.services import report_approve
from tests.factories import UserFactory
from units.models import Membership, Unit

APPROVALS = 15
REWRITE_SQL = """
    UPDATE compliance_complianceresult SET sub_numerator = sub_numerator, sub_value = sub_value,
        sub_status = sub_status, sub_reason = sub_reason
    WHERE run_id = %s AND unit_id = ANY(%s)
"""
READ_SQL = """
    SELECT r.unit_id, r.indicator_id, r.sub_value, r.sub_status, r.target_id
    FROM compliance_complianceresult r JOIN units_unit u ON u.id = r.unit_id
    WHERE r.run_id = %s AND (u.id = %s OR (u.path LIKE %s AND u.depth = %s))
"""


def _floor_ms(run: ComplianceRun, province: Unit, path_ids: list[int]) -> tuple[float, float]:
    """The SQL floor of applying the change (rewrite the path's rows), and of that plus reading the scorecard."""
    rewrites, totals = [], []
    for _ in range(APPROVALS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(REWRITE_SQL, [run.pk, path_ids])
            rewrites.append((time.perf_counter() - start) * 1000)
            cursor.execute(READ_SQL, [run.pk, province.pk, province.path + "%", province.depth + 1])
            cursor.fetchall()
        totals.append((time.perf_counter() - start) * 1000)
    return statistics.median(rewrites), statistics.median(totals)


@pytest.mark.parametrize("size", [5_000, 60_000])
def test_approval_to_dashboard(size, django_capture_on_commit_callbacks):
    period = _seed(size)
    province = Unit.objects.get(code="SYN")
    cells = list(Unit.objects.filter(path__startswith=province.path, depth=province.depth + 2,
                                     pk__in=Report.objects.filter(period=period).values("unit_id")).order_by("path")
                 [:APPROVALS])
    Report.objects.filter(unit__in=cells, period=period).update(status=Report.Status.SUBMITTED)
    start = time.perf_counter()
    run = compliance_compute(period=period)
    full_s = time.perf_counter() - start
    reviewer = UserFactory()
    Membership.objects.create(user=reviewer, unit=province, role=Membership.Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    url, query = reverse("compliance:dashboard"), {"unit": "SYN", "period": f"{period:%Y-%m}"}
    # As a browser asks, in gzip: the scorecard built and cached before the approvals.
    assert client.get(url, query, HTTP_ACCEPT_ENCODING="gzip").status_code == 200

    samples, applying, applied = [], [], []
    indicator_id = ComplianceResult.objects.filter(run=run, unit=province).values_list("indicator_id", flat=True)[0]
    for cell in cells:
        before = ComplianceResult.objects.get(run=run, unit=province, indicator_id=indicator_id)
        found = Report.objects.get(unit=cell, period=period)
        with django_capture_on_commit_callbacks(execute=True):
            report_approve(report=found, by=reviewer)
            start = time.perf_counter()  # the decision is written: what follows runs on commit
        applying.append((time.perf_counter() - start) * 1000)
        assert client.get(url, query, HTTP_ACCEPT_ENCODING="gzip").status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
        after = ComplianceResult.objects.get(pk=before.pk)
        applied.append(after.sub_reporting == before.sub_reporting + 1)
    assert all(applied), "each approval shows in the province's total"
    assert ComplianceRun.objects.get(period=period, is_current=True).pk == run.pk, "applied in place"

    # The page alone after each approval (rows on the changed path rebuilt), beside a hit and a full rebuild.
    pages = [total - apply for total, apply in zip(samples, applying, strict=True)]
    hits = []
    for _ in range(APPROVALS):
        start = time.perf_counter()
        client.get(url, query, HTTP_ACCEPT_ENCODING="gzip")
        hits.append((time.perf_counter() - start) * 1000)
    cache.clear()
    start = time.perf_counter()
    client.get(url, query, HTTP_ACCEPT_ENCODING="gzip")
    rebuild_ms = (time.perf_counter() - start) * 1000
    rows = Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1).count()

    step = Unit.steplen
    path_ids = list(Unit.objects.filter(path__in=[cells[0].path[:n] for n in range(step, len(cells[0].path) + 1, step)])
                    .values_list("pk", flat=True))
    rewrite_ms, floor_ms = _floor_ms(run, province, path_ids)
    median_ms, apply_ms = statistics.median(samples), statistics.median(applying)
    print(f"\nApproval to dashboard, {size:,} units × 40 indicators (the full recomputation took {full_s:.1f} s)")
    print(f"  applied in place (after commit):           median {apply_ms:7.1f} ms, worst {max(applying):7.1f} ms; "
          f"SQL floor (rewrite the path's rows) {rewrite_ms:.1f} ms → {apply_ms / rewrite_ms:.1f}×")
    print(f"  applied + the province's page served anew: median {median_ms:7.1f} ms, worst {max(samples):7.1f} ms "
          f"over {len(samples)} approvals (aim ≤ 1000 ms); SQL floor (rewrite + read the scorecard's figures) "
          f"{floor_ms:.1f} ms → {median_ms / floor_ms:.1f}×")
    print(f"    each approval, in turn: {', '.join(f'{sample:.0f}' for sample in samples)} ms")
    print(f"  the page alone after an approval:          median {statistics.median(pages):7.1f} ms (the rows on the "
          f"changed path rebuilt); a cached view {statistics.median(hits):.1f} ms; the whole page built anew "
          f"{rebuild_ms:.1f} ms for {rows:,} rows ({rebuild_ms / rows:.2f} ms a row)")
    record(f"approval applied in place, {size} units", apply_ms, "ms", floor=rewrite_ms)
    record(f"dashboard after an approval, {size} units", statistics.median(pages), "ms",
           floor=statistics.median(hits))
    record(f"approval to dashboard, {size} units", median_ms, "ms", floor=floor_ms, aim=1000)
