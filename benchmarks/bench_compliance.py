"""Full recomputation of one month at 5,000 and 60,000 units × 40 indicators: whole, and split by province with one
and with two Celery workers, each beside the honest SQL floor measured in the same run.

The honest floor is the month's approved figures summed up the tree and written as one row per unit × indicator by
SQL alone, into the results table itself under a throwaway run (deleted afterwards). The read-only GROUP BY is kept as
a second, named figure. The machine may be shared: floor and work are measured in the same run, minutes apart.

The split needs Redis (`REDIS_URL`, a database of its own) and starts its workers as subprocesses
(`celery -A config worker -c 1`) on the test database, which this benchmark therefore commits to (`transactional_db`).
"""

import datetime as dt
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from benchmarks.conftest import record
from compliance.models import ComplianceResult, ComplianceRun
from compliance.services import compliance_compute_split
from plans.models import Plan
from portal.demo import SYNTHETIC_ROOT, synthetic_seed
from reports.models import Report
from targets.services import indicators_seed_load
from units.models import Unit, UnitKind
from units.services import unit_create, unit_national_root_ensure

ROOT = Path(__file__).resolve().parent.parent

GROUP_BY_SQL = """
    SELECT r.unit_id, v.indicator_id, SUM(v.numerator), SUM(v.denominator), COUNT(*)
    FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id
    WHERE r.period = %s AND r.status = 'approved'
    GROUP BY r.unit_id, v.indicator_id
"""

# Each unit's figures reach every ancestor through its path's prefixes (the unique index on `path`); the own columns
# are the unit's, the `sub_*` its subtree's, with both percentages worked out: every numeric column the run writes.
HONEST_FLOOR_SQL = """
    INSERT INTO compliance_complianceresult (
        run_id, unit_id, indicator_id, numerator, denominator, value, status, reason,
        sub_numerator, sub_denominator, sub_expected, sub_reporting, sub_meeting, sub_value, sub_status, sub_reason)
    SELECT %(run)s, a.id, f.indicator_id,
        SUM(f.numerator) FILTER (WHERE a.id = f.unit_id), SUM(f.denominator) FILTER (WHERE a.id = f.unit_id),
        ROUND(100.0 * SUM(f.numerator) FILTER (WHERE a.id = f.unit_id)
              / NULLIF(SUM(f.denominator) FILTER (WHERE a.id = f.unit_id), 0), 2), '', '',
        SUM(f.numerator), SUM(f.denominator), COUNT(*), COUNT(*),
        COUNT(*) FILTER (WHERE f.numerator >= 0.8 * f.denominator),
        ROUND(100.0 * SUM(f.numerator) / NULLIF(SUM(f.denominator), 0), 2), '', ''
    FROM (
        SELECT r.unit_id, v.indicator_id, SUM(v.numerator) AS numerator, SUM(v.denominator) AS denominator
        FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id
        WHERE r.period = %(period)s AND r.status = 'approved'
        GROUP BY r.unit_id, v.indicator_id
    ) f
    JOIN units_unit u ON u.id = f.unit_id
    CROSS JOIN LATERAL generate_series(1, u.depth) AS k(depth)
    JOIN units_unit a ON a.path = substr(u.path, 1, k.depth * %(step)s)
    GROUP BY a.id, f.indicator_id
"""

# The whole computation in a fresh process, so its peak RSS is its own and not the seeding's. (VmHWM, not
# getrusage's maximum, which Linux carries over from the parent through fork and exec.)
WHOLE_SCRIPT = """
import datetime as dt, json, sys, time
from pathlib import Path
import django
django.setup()
from compliance.services import compliance_compute
start = time.perf_counter()
run = compliance_compute(period=dt.date.fromisoformat(sys.argv[1]))
seconds = time.perf_counter() - start
peak = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "results": run.results, "rss_mib": int(peak.split()[1]) / 1024}))
"""


def _seed(size: int, *, provinces: int = 1) -> dt.date:
    """`synthetic_seed`'s province (other benchmarks read it as it is); with `provinces=2`, its second half of
    communes moved under a second province and the plan issued by the national root: the split then has two
    pieces of about the same size."""
    root = unit_national_root_ensure()
    indicators_seed_load()
    today = dt.date(2026, 11, 21)
    synthetic_seed(size=size, months=1, today=today)
    if provinces == 2:
        _second_province(root)
    period = dt.date(2026, 10, 1)
    Report.objects.filter(period=period).update(status=Report.Status.APPROVED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return period


def _second_province(root: Unit) -> None:
    first = Unit.objects.get(code=SYNTHETIC_ROOT)
    second = unit_create(code=f"{SYNTHETIC_ROOT}2", name="Synthetic province 2", kind=UnitKind.PROVINCE,
                         parent=Unit.objects.get(pk=root.pk), by=None, opened_on=dt.date(2025, 7, 1))
    communes = list(Unit.objects.filter(path__startswith=first.path, depth=first.depth + 1).order_by("path")
                    .values_list("path", flat=True))
    moved = communes[len(communes) // 2:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE units_unit SET path = %s || substr(path, %s) WHERE substr(path, 1, %s) = ANY(%s)",
                       [second.path, len(first.path) + 1, len(first.path) + Unit.steplen, moved])
    Unit.objects.filter(pk=first.pk).update(numchild=len(communes) - len(moved))
    Unit.objects.filter(pk=second.pk).update(numchild=len(moved))
    Plan.objects.filter(issuer=first).update(issuer=root)


def _group_by_s(period: dt.date, repeat: int = 3) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(GROUP_BY_SQL, [period])
            rows = len(cursor.fetchall())
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), rows


def _honest_floor_s(period: dt.date, repeat: int) -> tuple[float, int]:
    """INSERT … SELECT into the results table under a throwaway run, then its rows and the run deleted."""
    samples, rows = [], 0
    for _ in range(repeat):
        run = ComplianceRun.objects.create(period=period, as_of=dt.datetime.now(dt.UTC),
                                           state=ComplianceRun.State.FAILED, error="benchmark floor")
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(HONEST_FLOOR_SQL, {"run": run.pk, "period": period, "step": Unit.steplen})
            rows = cursor.rowcount
        samples.append(time.perf_counter() - start)
        ComplianceResult.objects.filter(run=run).delete()
        run.delete()
    return statistics.median(samples), rows


def _env() -> dict:
    """The subprocesses' environment: the test database this benchmark committed to, this run's Redis."""
    db = settings.DATABASES["default"]
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PYTHONPATH": str(ROOT)}


def _whole(period: dt.date) -> dict:
    done = subprocess.run([sys.executable, "-c", WHOLE_SCRIPT, period.isoformat()], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=1800, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


def _peak_rss_mib(pid: int) -> float:
    """The largest peak RSS (VmHWM) of a worker's processes: its own and its pool's."""
    peaks = []
    for each in [pid, *_descendants(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return max(peaks, default=0.0)


def _workers_start(count: int) -> list[subprocess.Popen]:
    from config.celery import app

    app.control.purge()
    workers = [subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-n", f"bench{n}@%h",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for n in range(count)]
    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=1) or []) < count:
        assert time.monotonic() < deadline, "the Celery workers did not start"
    return workers


def _workers_stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _split(period: dt.date, workers: int) -> tuple[float, float, int]:
    """Seconds from the request to the swap, the workers' largest peak RSS, and the run's rows."""
    from config.celery import app

    started = _workers_start(workers)
    try:
        app.conf.task_always_eager = False
        start = time.perf_counter()
        run = compliance_compute_split(period=period)
        while ComplianceRun.objects.filter(pk=run.pk, state=ComplianceRun.State.RUNNING).exists():
            assert time.perf_counter() - start < 1800, "the split computation did not finish"
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        run.refresh_from_db()
        assert run.state == ComplianceRun.State.DONE and run.is_current, run.error
        peak = max(_peak_rss_mib(worker.pid) for worker in started)
    finally:
        app.conf.task_always_eager = True
        _workers_stop(started)
    return seconds, peak, run.results


@pytest.mark.redis
@pytest.mark.parametrize(("size", "aim_s"), [(5_000, 2), (60_000, 20)])
def test_full_recomputation(size, aim_s, transactional_db):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("The split needs Redis: set REDIS_URL (a database of its own).")
    period = _seed(size, provinces=2)
    group_by, figures = _group_by_s(period)
    floor, floor_rows = _honest_floor_s(period, repeat=3 if size <= 5_000 else 1)
    rss_seeded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    whole = _whole(period)
    assert whole["results"] == ComplianceResult.objects.filter(run__is_current=True).count() > 0
    split = {workers: _split(period, workers) for workers in (1, 2)}
    floor_after, _rows = _honest_floor_s(period, repeat=1)
    print(f"\nCompliance, {size:,} units × 40 indicators, one month ({figures:,} unit-indicator figures, "
          f"{whole['results']:,} results; the honest floor writes {floor_rows:,})")
    print(f"  honest floor (INSERT … SELECT up the tree): {floor:7.2f} s  (again after the runs: {floor_after:.2f} s)")
    print(f"  read-only GROUP BY:                         {group_by:7.2f} s")
    print(f"  whole, one process:                         {whole['seconds']:7.2f} s  {whole['seconds'] / floor:5.1f}× "
          f"the floor; peak RSS {whole['rss_mib']:.0f} MiB  (aim ≤ {aim_s} s, ≤ 3× the floor)")
    for workers, (seconds, peak, results) in split.items():
        assert results == whole["results"]
        label = f"split by province, {workers} worker(s):"
        print(f"  {label:<43} {seconds:7.2f} s  {seconds / floor:5.1f}× the floor; a worker's peak RSS {peak:.0f} MiB")
    print(f"  (this process, seeding included: {rss_seeded:.0f} MiB)")
    record(f"compliance full recomputation, {size} units", whole["seconds"], "s", floor=floor, aim=aim_s)
    record(f"compliance read-only GROUP BY, {size} units", group_by, "s")
    record(f"compliance honest floor (INSERT … SELECT), {size} units", floor, "s")
    record(f"compliance max RSS, {size} units", whole["rss_mib"], "MiB", aim=1024 if size > 5_000 else None)
    for workers, (seconds, peak, _results) in split.items():
        record(f"compliance split by province, {workers} worker(s), {size} units", seconds, "s", floor=floor,
               aim=aim_s)
        record(f"compliance split worker max RSS, {workers} worker(s), {size} units", peak, "MiB",
               aim=1024 if size > 5_000 else None)
