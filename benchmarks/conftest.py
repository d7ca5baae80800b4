import statistics
import time

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
