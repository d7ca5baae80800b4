"""A month's full computation split by province: one piece per subtree under the national root's children, which any
number of workers compute at once, then the units above them from the provinces' top rows; `compliance.services`
swaps the run in once every piece is done.

A piece writes its rows under the run and hands up, as plain JSON, the stages its units' targets reach above it (a
target scoped at the national root judges its total); its top unit's sums and reporting are read back from its rows
(`sub_*` columns and `sub_bases`, as `compliance.incremental` reads an ancestor's). The rows are the same, column for
column, as the month computed whole (`tests/compliance/test_split.py`).
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from compliance.computation import (
    Month,
    Reporting,
    Tail,
    bases_load,
    part_compute,
    region_compute,
    roll_keep,
    rows_writing,
    stage_reach,
)
from compliance.engine import Node
from compliance.models import ComplianceResult, ComplianceRun, ReportingResult
from targets.binding import Stage
from units.models import Unit

TOP_DEPTH = 1  # the national root (and any other root): computed last, from the provinces' top rows


def piece_paths() -> list[str]:
    """The paths of the pieces: every child of a root, in path order (a tree with one province is one piece)."""
    return list(Unit.objects.filter(depth=TOP_DEPTH + 1).order_by("path").values_list("path", flat=True))


def piece_compute(run: ComplianceRun, path: str) -> dict:
    """One province's subtree: its rows written under the run; returns its row count and the stages reaching above.
    What an earlier attempt at the piece wrote (retried after a lost connection, or taken over from a killed worker)
    is dropped first, so no row is written twice."""
    piece_rows_drop(run, path)
    month = Month.load(run, units=Unit.objects.filter(path__startswith=path))
    with rows_writing(month):
        tail = region_compute(month, month.units)
    return {"path": path, "count": tail.count,
            "above": [[above, indicator_id, [stage_dump(stage) for stage in found.values()]]
                      for (above, indicator_id), found in tail.above.items()]}


def piece_rows_drop(run: ComplianceRun, path: str) -> None:
    units = Unit.objects.filter(path__startswith=path).values("pk")
    ComplianceResult.objects.filter(run=run, unit_id__in=units).delete()
    ReportingResult.objects.filter(run=run, unit_id__in=units).delete()


def top_compute(run: ComplianceRun, pieces: list[dict]) -> int:
    """The units above the provinces from the provinces' top rows and their own figures; then the month's expected
    reporters kept (`roll_keep`), as the whole computation keeps them. Returns the run's row count."""
    month = Month.load(run, units=Unit.objects.filter(depth=TOP_DEPTH))
    tail = _pieces_tail(run, pieces)
    with rows_writing(month):
        top = part_compute(month, month.units, [tail])
    roll_keep(month, top.expected)
    return top.count


def _pieces_tail(run: ComplianceRun, pieces: list[dict]) -> Tail:
    """What the provinces hand up, read back from their top rows as the pieces wrote them."""
    paths = dict(Unit.objects.filter(depth=TOP_DEPTH + 1).values_list("pk", "path"))
    nodes: dict[str, dict[int, Node]] = defaultdict(dict)
    for unit_id, indicator_id, numerator, denominator, expected, reporting, meeting, bases in (
            ComplianceResult.objects.filter(run=run, unit_id__in=list(paths)).values_list(
                "unit_id", "indicator_id", "sub_numerator", "sub_denominator", "sub_expected", "sub_reporting",
                "sub_meeting", "sub_bases")):
        # A subtree without counts summed nothing: its numerator and denominator are 0 (see `result_row`).
        nodes[paths[unit_id]][indicator_id] = Node(numerator or 0, denominator or 0, expected, reporting, meeting,
                                                   numerator is not None, bases_load(bases))
    reporting = {paths[unit_id]: Reporting(*figures) for unit_id, *figures in ReportingResult.objects.filter(
        run=run, unit_id__in=list(paths)).values_list("unit_id", "own", "due_on", "expected", "on_time", "late",
                                                      "missing")}
    expected = dict(ReportingResult.objects.filter(run=run).exclude(own=ReportingResult.Own.NOT_EXPECTED)
                    .values_list("unit_id", "due_on"))
    above: dict = defaultdict(dict)
    for piece in pieces:
        for path, indicator_id, stages in piece["above"]:
            for stage in stages:
                stage_reach(above[(path, indicator_id)], stage_load(stage))
    return Tail(dict(nodes), reporting, dict(above), expected, sum(piece["count"] for piece in pieces))


def stage_dump(stage: Stage) -> dict:
    """A stage as JSON: decimals as text, dates in ISO form, the stage it carries a named unit's value over nested."""
    dumped = {}
    for field in dataclasses.fields(Stage):
        value = getattr(stage, field.name)
        if isinstance(value, Stage):
            value = stage_dump(value)
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        dumped[field.name] = value
    return dumped


DECIMALS = ("value", "value_max", "previous_value")
DATES = ("due_on", "starts_on")


def stage_load(dumped: dict) -> Stage:
    values = dict(dumped)
    for name in DECIMALS:
        values[name] = None if values[name] is None else Decimal(values[name])
    for name in DATES:
        values[name] = dt.date.fromisoformat(values[name])
    values["rank"] = tuple(values["rank"])
    values["base"] = None if values["base"] is None else stage_load(values["base"])
    return Stage(**values)
