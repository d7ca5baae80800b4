"""Saving and submitting a 40-value report, and opening the form, at province scale (5,000 units)."""

import datetime as dt
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.conftest import monthly_form_data, record
from portal.demo import synthetic_plan_build, synthetic_tree_build
from targets.services import indicators_seed_load
from tests.factories import UserFactory
from units.models import Membership, Unit
from units.services import unit_national_root_ensure

SIZE = 5_000
RUNS = 15


def test_save_and_submit_40_values_at_province_scale():
    unit_national_root_ensure()
    indicators_seed_load()
    province = synthetic_tree_build(size=SIZE)
    plan = synthetic_plan_build(province=province, indicators=40)
    fields = [(t.indicator.code, t.indicator.has_counts) for t in plan.targets.select_related("indicator")]
    assert len(fields) == 40
    units = list(Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1)[:RUNS])
    period = dt.date(2026, 10, 1)

    open_times, open_queries, save_times, save_queries, save_markers = [], [], [], [], []
    for unit in units:
        user = UserFactory()
        Membership.objects.create(user=user, unit=unit, role=Membership.Role.CLERK)
        client = Client()
        client.force_login(user)
        url = reverse("reports:form", kwargs={"code": unit.code, "period": period})
        with CaptureQueriesContext(connection) as opened:
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            open_times.append((time.perf_counter() - start) * 1000)
        open_queries.append(len(opened))
        with CaptureQueriesContext(connection) as saved:
            start = time.perf_counter()
            response = client.post(url, {"version": "0", "submit": "1", **monthly_form_data(fields)})
            save_times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.content.decode()[:3000]
        save_queries.append(len(saved))
        save_markers.append(sum(q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in saved.captured_queries))
        assert unit.reports.get(period=period).values.count() == 40

    floor_ms = []
    for unit in units:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM reports_report WHERE unit_id = %s AND period = %s", [unit.pk, period])
            report_id = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM reports_reportvalue WHERE report_id = %s", [report_id])
        floor_ms.append((time.perf_counter() - start) * 1000)

    print(f"\nMonthly form, {Unit.objects.count():,} units, 40 indicators, {RUNS} runs (medians)")
    print(f"  open the form:       {statistics.median(open_times):7.1f} ms, {max(open_queries)} queries (aim ≤ 15)")
    print(f"  save + submit (POST): {statistics.median(save_times):7.1f} ms, "
          f"{max(save_queries) - max(save_markers)} queries + {max(save_markers)} savepoint markers "
          f"(aim ≤ 50 ms, ≤ 20 queries)")
    print(f"  SQL floor (read the report and count its values): {statistics.median(floor_ms):.2f} ms")
    record("monthly form: open", statistics.median(open_times), "ms", floor=statistics.median(floor_ms))
    record("monthly form: save and submit", statistics.median(save_times), "ms", floor=statistics.median(floor_ms),
           aim=50)
