"""A month computed split by province gives the same rows as the month computed whole, column for column.

The split (`compliance_compute_split`) computes each province's subtree as its own piece, then the national root from
the provinces' top rows; with `CELERY_TASK_ALWAYS_EAGER` the chord runs here, in order. The whole computation
(`compliance_compute`) is the reference. Each case also computes the month part by part inside one process
(`computation.PART_UNITS` made tiny), which hands sums up the same way.
"""

import datetime as dt

import pytest
from django.db import InterfaceError, OperationalError

from compliance import computation, split
from compliance.models import ComplianceMonth, ComplianceResult, ComplianceRun, ExpectedReporter, ReportingResult
from compliance.services import compliance_compute, compliance_compute_split, compliance_piece_compute
from compliance.tasks import PIECE_RETRIES, compute_piece
from reports.models import Report
from targets.models import Counts, Judged, Measure, Rollup
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
RESULT_FIELDS = [f.attname for f in ComplianceResult._meta.concrete_fields if f.attname not in ("id", "run_id")]
REPORTING_FIELDS = [f.attname for f in ReportingResult._meta.concrete_fields if f.attname not in ("id", "run_id")]


def _rows(run: ComplianceRun) -> tuple[list, list]:
    """Every column of the run's rows (but the row's id and run), in a fixed order."""
    return (sorted(ComplianceResult.objects.filter(run=run).values_list(*RESULT_FIELDS), key=repr),
            sorted(ReportingResult.objects.filter(run=run).values_list(*REPORTING_FIELDS), key=repr))


def _kept(period: dt.date) -> list:
    return sorted(ExpectedReporter.objects.filter(period=period).values_list("unit_id", "due_on"))


def _forget_kept(period: dt.date) -> None:
    """Undo the expected reporters a month that is over keeps, so the next computation works them out again."""
    ExpectedReporter.objects.filter(period=period).delete()
    ComplianceMonth.objects.filter(period=period).update(roll_kept_at=None)


def _whole_and_split(period: dt.date, as_of: dt.datetime, monkeypatch) -> tuple:
    """The month computed whole, split, and split with parts of two units; each from scratch, kept reporters too."""
    whole = compliance_compute(period=period, as_of=as_of)
    outcomes = [(_rows(whole), _kept(period))]
    _forget_kept(period)
    by_province = compliance_compute_split(period=period, as_of=as_of)
    assert by_province.is_current and by_province.state == ComplianceRun.State.DONE
    assert by_province.results == ComplianceResult.objects.filter(run=by_province).count()
    outcomes.append((_rows(by_province), _kept(period)))
    _forget_kept(period)
    monkeypatch.setattr(computation, "PART_UNITS", 2)
    in_parts = compliance_compute_split(period=period, as_of=as_of)
    outcomes.append((_rows(in_parts), _kept(period)))
    return outcomes


@pytest.fixture
def two_provinces(root):
    """The national root over provinces P1 and P2, each with a ward of three cells; a national target for every
    cell's share of digitised records, judged on the totals; P1's own nearer, stricter plan for its units; a
    milestone every cell reports, judged on the share of cells."""
    tree = {"root": root}
    for name in ("P1", "P2"):
        tree[name] = unit_make(kind=UnitKind.PROVINCE, code=name)
        tree[f"{name}.W"] = unit_make(parent=tree[name], kind=UnitKind.WARD, code=f"{name}.W")
        for n in (1, 2, 3):
            tree[f"{name}.C{n}"] = unit_make(parent=tree[f"{name}.W"], kind=UnitKind.CELL, code=f"{name}.C{n}")
    records = IndicatorFactory(code="records")
    handbook = IndicatorFactory(code="handbook", measure=Measure.UNIT_SHARE, rollup=Rollup.UNIT_SHARE,
                                numerator_label="", denominator_label="")
    national = PlanFactory(issuer=root)
    TargetFactory(plan=national, indicator=records, value=80, applies_to_kinds=[UnitKind.CELL],
                  judged=Judged.TOTAL)
    TargetFactory(plan=national, indicator=handbook, value=100, counts=Counts.KINDS,
                  applies_to_kinds=[UnitKind.CELL])
    TargetFactory(plan=PlanFactory(issuer=tree["P1"]), indicator=records, value=90, applies_to_kinds=[UnitKind.CELL])
    figures = {"P1.C1": ((9, 10), True), "P1.C2": ((3, 4), True), "P1.C3": ((1, 5), False),
               "P2.C1": ((7, 10), False), "P2.C2": ((0, 0), True)}  # P2.C3 sends nothing: overdue
    for code, (counts, done) in figures.items():
        report(tree[code], {records: counts, handbook: done})
    return type("Tree", (), dict(tree=tree, records=records, handbook=handbook))


def test_two_provinces_split_give_the_rows_computed_whole(two_provinces, monkeypatch):
    whole, by_province, in_parts = _whole_and_split(OCT, AFTER_DUE, monkeypatch)
    assert by_province == whole and in_parts == whole
    rows, kept = whole
    tree, records = two_provinces.tree, two_provinces.records
    national = ComplianceResult.objects.get(run__is_current=True, unit=tree["root"], indicator=records)
    # The national total: 9+3+1 = 13 of 10+4+5 = 19 in P1, 7 of 10 (and 0/0, out of the sums) in P2: 20/29 = 68,97%,
    # below the national 80% by 31/12; the path from 0 needs 80×303/364 = 66,59% by 31/10: on track. (P1's cells
    # are bound by P1's nearer plan, so only P2's reach the root for this indicator: the national target judges it.)
    assert (national.sub_numerator, national.sub_denominator, str(national.sub_value)) == (20, 29, "68.97")
    assert national.sub_status == "on_track" and "66,6%" in national.sub_reason, national.sub_reason
    # Six cells expected, five reported (P2.C3 is overdue): the national reporting row counts them.
    reporting = ReportingResult.objects.get(run__is_current=True, unit=tree["root"])
    assert (reporting.expected, reporting.on_time, reporting.missing) == (6, 5, 1)
    assert len(kept) == 6  # the month is over: its six expected cells are kept, the same whichever way computed


def test_a_piece_that_fails_leaves_the_previous_run_current(two_provinces, monkeypatch):
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    real = split.piece_compute

    def second_fails(run, path):
        if path == two_provinces.tree["P2"].path:
            raise RuntimeError("the worker lost its database")
        return real(run, path)

    monkeypatch.setattr("compliance.services.piece_compute", second_fails)
    with pytest.raises(RuntimeError):
        compliance_compute_split(period=OCT, as_of=AFTER_DUE)
    failed = ComplianceRun.objects.exclude(pk=before.pk).get()
    assert failed.state == ComplianceRun.State.FAILED and not failed.is_current
    assert "lost its database" in failed.error
    # The first province's rows are gone with the run; the lease is free for the next computation.
    assert not ComplianceResult.objects.filter(run=failed).exists()
    assert ComplianceRun.objects.get(pk=before.pk).is_current
    assert ComplianceMonth.objects.get(period=OCT).holder_id is None
    monkeypatch.undo()
    assert compliance_compute_split(period=OCT, as_of=AFTER_DUE).is_current


def test_a_piece_finishing_after_another_failed_leaves_no_rows(two_provinces, monkeypatch):
    """With workers, a piece may finish after another one failed the run and dropped its rows."""
    run = ComplianceRun.objects.create(period=OCT, as_of=AFTER_DUE)
    real = split.piece_compute

    def another_fails_meanwhile(run, path):
        piece = real(run, path)
        ComplianceRun.objects.filter(pk=run.pk).update(state=ComplianceRun.State.FAILED, error="P2 failed")
        return piece

    monkeypatch.setattr("compliance.services.piece_compute", another_fails_meanwhile)
    with pytest.raises(RuntimeError, match="no longer running"):
        compliance_piece_compute(run_id=run.pk, path=two_provinces.tree["P1"].path)
    assert not ComplianceResult.objects.filter(run=run).exists()
    assert not ReportingResult.objects.filter(run=run).exists()
    assert ComplianceRun.objects.get(pk=run.pk).error == "P2 failed", "the first error is kept"


def test_the_demo_split_by_province_gives_the_rows_computed_whole(demo_seeded, monkeypatch):
    assert len(split.piece_paths()) >= 2
    for period in sorted(set(Report.objects.values_list("period", flat=True)))[-2:]:
        whole, by_province, in_parts = _whole_and_split(period, AFTER_DUE.replace(year=period.year + 1),
                                                        monkeypatch)
        monkeypatch.undo()
        assert whole[0][0], period
        assert by_province == whole and in_parts == whole, period



@pytest.fixture
def retries_inline(monkeypatch):
    """Celery runs an eager task's retry inline only when it does not propagate the task's errors (it re-raises the
    retry itself otherwise); the chord's group still raises a piece's final error, as it does with workers."""
    monkeypatch.setitem(compute_piece.app.conf, "task_eager_propagates", False)


def _piece_failing(monkeypatch, path: str, errors: list[Exception]) -> list[str]:
    """`piece_compute` that, for the piece at `path`, writes its rows then raises the next of `errors` (while any
    is left); returns the paths of every attempt, in order."""
    real, attempts = split.piece_compute, []

    def failing(run, piece_path):
        attempts.append(piece_path)
        piece = real(run, piece_path)
        if piece_path == path and errors:
            raise errors.pop(0)  # after its rows are written: the retry must not count them twice
        return piece

    monkeypatch.setattr("compliance.services.piece_compute", failing)
    return attempts


def test_a_piece_that_loses_its_connection_once_is_retried_and_counted_once(two_provinces, retries_inline, monkeypatch):
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    whole = _rows(before)
    p1, p2 = two_provinces.tree["P1"].path, two_provinces.tree["P2"].path
    attempts = _piece_failing(monkeypatch, p2, [OperationalError("server closed the connection unexpectedly")])
    run = compliance_compute_split(period=OCT, as_of=AFTER_DUE)
    assert (attempts.count(p1), attempts.count(p2)) == (1, 2), "P2 computed twice, P1 once"
    assert run.is_current and run.state == ComplianceRun.State.DONE and not run.error
    # Every column of every row as the month computed whole: P2's first attempt wrote rows for itself, its ward and
    # its 3 cells (5 reporting rows) and they were dropped before the second, which wrote them again.
    assert _rows(run) == whole
    assert ReportingResult.objects.filter(run=run, unit__path__startswith=p2).count() == 5
    assert run.results == ComplianceResult.objects.filter(run=run).count() == before.results
    assert not ComplianceRun.objects.filter(pk=before.pk).exists(), "the run before it is replaced"


def test_a_piece_that_fails_on_a_bug_is_not_retried_and_fails_the_run(two_provinces, retries_inline, monkeypatch):
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    p2 = two_provinces.tree["P2"].path
    attempts = _piece_failing(monkeypatch, p2, [ValueError("a bug in the piece"), ValueError("never reached")])
    with pytest.raises(ValueError, match="a bug in the piece"):
        compliance_compute_split(period=OCT, as_of=AFTER_DUE)
    assert attempts.count(p2) == 1, "a bug is not retried"
    failed = ComplianceRun.objects.exclude(pk=before.pk).get()
    assert failed.state == ComplianceRun.State.FAILED and not failed.is_current
    assert failed.error == "a bug in the piece"
    assert not ComplianceResult.objects.filter(run=failed).exists()
    assert ComplianceRun.objects.get(pk=before.pk).is_current
    assert ComplianceMonth.objects.get(period=OCT).holder_id is None


def test_a_piece_that_keeps_losing_its_connection_fails_the_run(two_provinces, retries_inline, monkeypatch):
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    p2 = two_provinces.tree["P2"].path
    errors = [InterfaceError(f"connection already closed ({n})") for n in range(1, PIECE_RETRIES + 3)]
    attempts = _piece_failing(monkeypatch, p2, errors)
    with pytest.raises(InterfaceError):
        compliance_compute_split(period=OCT, as_of=AFTER_DUE)
    # The first attempt and PIECE_RETRIES = 3 retries: 4 attempts, the 4th error fails the run.
    assert attempts.count(p2) == PIECE_RETRIES + 1 == 4
    failed = ComplianceRun.objects.exclude(pk=before.pk).get()
    assert failed.state == ComplianceRun.State.FAILED and failed.error == "connection already closed (4)"
    assert not ComplianceResult.objects.filter(run=failed).exists()
    assert not ReportingResult.objects.filter(run=failed).exists()
    assert ComplianceRun.objects.get(pk=before.pk).is_current


def test_a_piece_killed_with_its_worker_is_taken_again():
    """Acknowledged only once done, and given back to the queue when its worker dies mid-piece."""
    assert compute_piece.acks_late and compute_piece.reject_on_worker_lost
    assert compute_piece.max_retries == PIECE_RETRIES and set(compute_piece.autoretry_for) == {
        OperationalError, InterfaceError}
