import datetime as dt
import json
import statistics
import time
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _vacuumed(django_db_setup, django_db_blocker):
    """Each benchmark starts on tables free of the dead rows the ones before it left: a seed of millions of rows
    rolled back stays in every index until VACUUM, and an index scan wades through it (the approval at 60,000 units
    measured 4 s after the 24-month dashboard, 0,2 s on its own). Runs before the test's transaction opens."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # autocommit: VACUUM cannot run inside a transaction
                cursor.execute("VACUUM ANALYZE")


@pytest.fixture(autouse=True)
def _postgres_only(_vacuumed, db):
    if connection.vendor != "postgresql":
        pytest.fail("Benchmarks run on PostgreSQL: set DATABASE_URL.")


RESULTS_PATH = Path(__file__).resolve().parent / "results.json"
_RECORDS: list[dict] = []


def record(name: str, value: float, unit: str, *, floor: float | None = None, aim: float | None = None) -> None:
    """One figure of this run for `results.json`: its value, the floor measured in the same run, and the aim."""
    _RECORDS.append({
        "name": name, "value": round(value, 3), "unit": unit,
        "floor": None if floor is None else round(floor, 3),
        "ratio": None if not floor else round(value / floor, 2),
        "aim": None if aim is None else round(aim, 3), "met": None if aim is None else value <= aim,
    })


def pytest_sessionfinish(session, exitstatus):
    """Write this run's figures to `benchmarks/results.json`, each beside its value in the run before.

    Figures a partial run did not measure are kept from the file as they were, so one benchmark can be rerun alone.
    """
    if not _RECORDS:
        return
    try:
        before = {r["name"]: r for r in json.loads(RESULTS_PATH.read_text(encoding="utf-8"))["results"]}
    except (OSError, ValueError, KeyError, TypeError):
        before = {}
    measured_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    merged = dict(before)
    for figure in _RECORDS:
        previous = before.get(figure["name"])
        merged[figure["name"]] = {**figure, "measured_at": measured_at,
                                  "previous": previous["value"] if previous else None}
    RESULTS_PATH.write_text(json.dumps({"results": sorted(merged.values(), key=lambda r: r["name"])},
                                       ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def median_ms(function, *, repeat: int = 25, warmup: int = 3) -> float:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(title: str, rows: list[tuple[str, float, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'measure':<52} {'portal':>10} {'SQL floor':>10} {'ratio':>7}")
    for name, value, floor in rows:
        print(f"  {name:<52} {value:>8.2f}ms {floor:>8.2f}ms {value / floor:>6.1f}x")
        record(f"{title.split(',')[0]}: {name}", value, "ms", floor=floor)


def seconds_and_peak_mib(function) -> tuple[float, float]:
    """Wall time of one call, then Python's peak memory in a second (tracemalloc slows the call it watches)."""
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def monthly_form_data(fields: list[tuple[str, bool]]) -> dict[str, str]:
    """Figures for every field of the monthly form, typed the Vietnamese way: (indicator code, has counts)."""
    data = {}
    for code, has_counts in fields:
        if has_counts:
            data[f"{code}-numerator"], data[f"{code}-denominator"] = "1.234", "2.000"
        else:
            data[f"{code}-done"] = "yes"
        data[f"{code}-note"] = ""
    return data
