"""Subtree queries at 60,000 units: the portal's selectors beside the plain SQL that returns the same rows."""

from django.db import connection

from benchmarks.conftest import median_ms, report
from portal.demo import synthetic_tree_build
from units.models import Unit
from units.selectors import unit_ancestor_paths, unit_subtree
from units.services import unit_national_root_ensure

SIZE = 60_000


def _sql(query: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def test_subtree_queries_at_60000_units():
    unit_national_root_ensure()
    province = synthetic_tree_build(size=SIZE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE units_unit")
    commune = Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1).order_by("path")[7]
    leaf = Unit.objects.filter(path__startswith=commune.path).order_by("-depth", "path").first()

    province_ids = lambda: list(unit_subtree(unit=province).values_list("id", flat=True))  # noqa: E731
    commune_ids = lambda: list(unit_subtree(unit=commune).values_list("id", flat=True))  # noqa: E731
    ancestors = lambda: list(Unit.objects.filter(path__in=unit_ancestor_paths(leaf)).values_list("id", flat=True))  # noqa: E731
    province_count = lambda: unit_subtree(unit=province).count()  # noqa: E731

    like = "SELECT id FROM units_unit WHERE path LIKE %s"
    assert len(province_ids()) == len(_sql(like, [province.path + "%"])) == SIZE
    assert sorted(commune_ids()) == sorted(r[0] for r in _sql(like, [commune.path + "%"]))

    report(f"Unit tree, {Unit.objects.count():,} units (median of 25 runs)", [
        (f"province subtree ids ({SIZE:,} rows)", median_ms(province_ids, repeat=11),
         median_ms(lambda: _sql(like, [province.path + "%"]), repeat=11)),
        ("province subtree count", median_ms(province_count),
         median_ms(lambda: _sql("SELECT count(*) FROM units_unit WHERE path LIKE %s", [province.path + "%"]))),
        (f"commune subtree ids ({len(commune_ids())} rows)", median_ms(commune_ids),
         median_ms(lambda: _sql(like, [commune.path + "%"]))),
        ("ancestors of a cell", median_ms(ancestors),
         median_ms(lambda: _sql("SELECT id FROM units_unit WHERE path = ANY(%s)", [unit_ancestor_paths(leaf)]))),
    ])
