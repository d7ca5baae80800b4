"""Values per unit in the engine: a month at 5,000 units recomputed with and without a value for every commune on
every target of the plan, beside each other (the override is worked out per position in the tree, once)."""

import time

from benchmarks.bench_compliance import _seed
from benchmarks.conftest import record
from compliance.services import compliance_compute
from targets.models import Target, TargetUnitValue
from units.models import Unit


def test_recomputation_with_values_for_every_commune():
    period = _seed(5_000)
    start = time.perf_counter()
    compliance_compute(period=period)
    plain = time.perf_counter() - start
    targets = list(Target.objects.exclude(comparator="done").exclude(value=None))
    depth = min(Unit.objects.filter(kind__in=["commune", "ward"]).values_list("depth", flat=True), default=3)
    communes = list(Unit.objects.filter(depth=depth, kind__in=["commune", "ward"]))
    TargetUnitValue.objects.bulk_create(
        [TargetUnitValue(target=t, unit=u, value=min(100, (t.value or 0) + 5),
                         value_max=t.value_max and min(100, t.value_max + 5) if t.comparator == "range" else None)
         for t in targets for u in communes], batch_size=5000)
    start = time.perf_counter()
    compliance_compute(period=period)
    valued = time.perf_counter() - start
    count = len(targets) * len(communes)
    print(f"\nValues per unit, 5,000 units: {count:,} values ({len(targets)} targets × {len(communes)} communes)")
    print(f"  recomputation without: {plain:6.2f} s")
    print(f"  recomputation with:    {valued:6.2f} s   → {valued / plain:.2f}× (aim ≤ 1.5×)")
    record("compliance with values for every commune, 5000 units", valued, "s", floor=plain, aim=plain * 1.5)
