import statistics
import time
import tracemalloc

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.fail("Benchmarks run on PostgreSQL: set DATABASE_URL.")


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
