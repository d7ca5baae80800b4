"""Computations of the same month never destroy each other: one at a time, the rest coalesce, dead ones are reaped."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from compliance import services
from compliance.models import ComplianceMonth, ComplianceResult, ComplianceRun, ReportingResult
from compliance.services import compliance_compute
from tests.compliance.helpers import AFTER_DUE, OCT, report

REAL_COMPUTE = services.month_compute


class Killed(BaseException):
    """What a worker killed mid-computation looks like from the database: nothing after this point runs."""


@pytest.fixture
def figures(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    return tree


def _current() -> ComplianceRun:
    return ComplianceRun.objects.get(period=OCT, is_current=True)


def _orphans() -> int:
    """Result rows whose run is gone or is not the month's current one."""
    current = _current().pk
    return (ComplianceResult.objects.exclude(run_id=current).count()
            + ReportingResult.objects.exclude(run_id=current).count())


def _kill_midway(monkeypatch) -> ComplianceRun:
    """A computation that wrote its rows and then lost its worker, as `kill -9` leaves it."""
    def killed(*, run, fail_after):
        REAL_COMPUTE(run=run, fail_after=fail_after)
        raise Killed

    monkeypatch.setattr(services, "month_compute", killed)
    with pytest.raises(Killed):
        compliance_compute(period=OCT, as_of=AFTER_DUE)
    monkeypatch.setattr(services, "month_compute", REAL_COMPUTE)
    dead = ComplianceRun.objects.get(period=OCT, state=ComplianceRun.State.RUNNING)
    assert ComplianceResult.objects.filter(run=dead).exists()
    return dead


def _lease_runs_out() -> None:
    ComplianceMonth.objects.filter(period=OCT).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


@pytest.mark.django_db
def test_requests_during_a_computation_coalesce_into_one_follow_up_run(figures, monkeypatch):
    computed = []

    def compute(*, run, fail_after):
        computed.append(run.pk)
        if len(computed) == 1:
            # Three approvals land while the first computation is running.
            assert [compliance_compute(period=OCT) for _ in range(3)] == [None, None, None]
            assert ComplianceRun.objects.filter(period=OCT).count() == 1
        return REAL_COMPUTE(run=run, fail_after=fail_after)

    monkeypatch.setattr(services, "month_compute", compute)
    last = compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert len(computed) == 2, "the three requests make exactly one more computation"
    assert last.pk == computed[1] == _current().pk and last.state == ComplianceRun.State.DONE
    assert last.results == ComplianceResult.objects.filter(run=last).count() > 0
    assert _orphans() == 0
    assert not ComplianceRun.objects.filter(pk=computed[0]).exists()  # finished, replaced, cleared away
    month = ComplianceMonth.objects.get(period=OCT)
    assert (month.holder_id, month.wanted_at) == (None, None)


@pytest.mark.django_db
def test_a_running_computation_is_never_deleted_and_a_dead_one_is_failed_by_the_next_run(figures, monkeypatch):
    dead = _kill_midway(monkeypatch)
    # While its lease runs, it might be alive: a new request waits its turn instead of deleting its rows.
    assert compliance_compute(period=OCT) is None
    dead.refresh_from_db()
    assert dead.state == ComplianceRun.State.RUNNING and ComplianceResult.objects.filter(run=dead).exists()

    _lease_runs_out()
    run = compliance_compute(period=OCT, as_of=AFTER_DUE)
    dead.refresh_from_db()
    assert dead.state == ComplianceRun.State.FAILED and dead.finished_at is not None and "stopped" in dead.error
    assert not ComplianceResult.objects.filter(run=dead).exists()
    assert not ReportingResult.objects.filter(run=dead).exists()
    assert run == _current() and run.results > 0 and _orphans() == 0


@pytest.mark.django_db
def test_the_beat_task_reaps_a_dead_run_and_computes_its_month_again(figures, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    from compliance.tasks import reap_dead_runs

    dead = _kill_midway(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_dead_runs.delay().get() == []  # the lease still runs: not dead yet
    dead.refresh_from_db()
    assert dead.state == ComplianceRun.State.RUNNING

    _lease_runs_out()
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_dead_runs.delay().get() == ["2026-10"]
    dead.refresh_from_db()
    assert dead.state == ComplianceRun.State.FAILED
    assert not ComplianceResult.objects.filter(run=dead).exists()
    assert _current().state == ComplianceRun.State.DONE and _orphans() == 0
    assert ComplianceMonth.objects.get(period=OCT).holder_id is None


@pytest.mark.django_db
def test_an_older_computation_never_replaces_a_newer_one(figures, monkeypatch):
    newer = []

    def slow(*, run, fail_after):
        count = REAL_COMPUTE(run=run, fail_after=fail_after)
        if not newer:
            newer.append(None)
            # The first run stalls past its lease; a newer computation takes over and finishes first.
            _lease_runs_out()
            newer[0] = compliance_compute(period=OCT, as_of=AFTER_DUE)
        return count

    monkeypatch.setattr(services, "month_compute", slow)
    assert compliance_compute(period=OCT, as_of=AFTER_DUE) is None  # the stalled run gives way
    older = ComplianceRun.objects.get(period=OCT, state=ComplianceRun.State.FAILED)
    assert _current() == newer[0] and older.pk < newer[0].pk
    assert not ComplianceResult.objects.filter(run=older).exists() and _orphans() == 0
    assert ComplianceMonth.objects.get(period=OCT).holder_id is None


@pytest.mark.django_db
def test_a_failed_computation_leaves_the_previous_results_and_frees_the_month(figures):
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    with pytest.raises(RuntimeError):
        compliance_compute(period=OCT, as_of=AFTER_DUE, fail_after=2)
    assert _current() == before and _orphans() == 0
    assert compliance_compute(period=OCT, as_of=AFTER_DUE) == _current()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_computations_on_postgresql_leave_one_current_run_and_no_orphans(figures, monkeypatch):
    """Six workers asked to compute the month at once, as six approvals a moment apart would."""
    computing = []

    def slow(*, run, fail_after):
        computing.append(run.pk)
        time.sleep(1.0)  # long enough for every other thread to arrive while this one computes
        return REAL_COMPUTE(run=run, fail_after=fail_after)

    monkeypatch.setattr(services, "month_compute", slow)
    start, outcomes, errors = threading.Barrier(6), [], []

    def worker():
        try:
            start.wait()
            outcomes.append(compliance_compute(period=OCT, as_of=AFTER_DUE))
        except Exception as exc:  # noqa: BLE001 - reported below with the others
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(computing) == 2, "one computation, and one follow-up for everything asked meanwhile"
    finished = [run for run in outcomes if run is not None]
    assert len(finished) == 1 and sum(run is None for run in outcomes) == 5
    current = _current()
    assert current.pk == computing[-1] == finished[0].pk
    assert current.results == ComplianceResult.objects.filter(run=current).count() > 0
    assert _orphans() == 0
    assert not ComplianceRun.objects.filter(state=ComplianceRun.State.RUNNING).exists()
    month = ComplianceMonth.objects.get(period=OCT)
    assert (month.holder_id, month.wanted_at) == (None, None)


@pytest.mark.django_db
def test_a_run_left_running_without_a_lease_is_reaped(figures, django_capture_on_commit_callbacks):
    """Stuck "running" rows from before the lease existed: nothing would ever finish or remove them."""
    from compliance.tasks import reap_dead_runs

    stuck = ComplianceRun.objects.create(period=OCT, as_of=AFTER_DUE)
    ComplianceRun.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    ReportingResult.objects.create(run=stuck, unit=figures.w1, own=ReportingResult.Own.ON_TIME)
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_dead_runs.delay().get() == ["2026-10"]
    stuck.refresh_from_db()
    assert stuck.state == ComplianceRun.State.FAILED and not ReportingResult.objects.filter(run=stuck).exists()
    assert _current().state == ComplianceRun.State.DONE and _orphans() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_live_computation_keeps_its_lease_past_its_length(figures, monkeypatch, settings):
    """A computation longer than the lease renews it, so a later request waits instead of taking over."""
    settings.PORTAL_COMPLIANCE_LEASE_SECONDS = 2

    def long(*, run, fail_after):
        time.sleep(3.5)
        return REAL_COMPUTE(run=run, fail_after=fail_after)

    monkeypatch.setattr(services, "month_compute", long)
    outcomes = []

    def worker():
        try:
            outcomes.append(compliance_compute(period=OCT, as_of=AFTER_DUE))
        finally:
            connection.close()

    first = threading.Thread(target=worker)
    first.start()
    time.sleep(2.8)  # past the 2-second lease: only the heartbeat keeps it
    monkeypatch.setattr(services, "month_compute", REAL_COMPUTE)
    assert compliance_compute(period=OCT, as_of=AFTER_DUE) is None
    first.join(timeout=60)
    assert ComplianceRun.objects.filter(state=ComplianceRun.State.FAILED).count() == 0
    assert _current().state == ComplianceRun.State.DONE and _orphans() == 0
    assert ComplianceMonth.objects.get(period=OCT).holder_id is None


@pytest.mark.django_db
def test_the_command_says_when_the_month_is_already_being_computed(figures, monkeypatch, capsys):
    from django.core.management import call_command

    def busy(*, run, fail_after):
        monkeypatch.setattr(services, "month_compute", REAL_COMPUTE)
        call_command("compute_compliance", "--period", "2026-10")
        return REAL_COMPUTE(run=run, fail_after=fail_after)

    monkeypatch.setattr(services, "month_compute", busy)
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert "10/2026 đang được một tiến trình khác tính" in capsys.readouterr().out


def test_a_thousand_approvals_queue_one_computation_of_their_month(db):
    from compliance.runs import lease_take
    from compliance.services import compliance_request
    from core.models import OutboxEntry

    october, november = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    queued = [compliance_request(period=october) for _ in range(1000)]
    queued.append(compliance_request(period=november))
    # One computation of October waits, whatever the number of requests; November gets its own.
    assert queued.count(True) == 2 and queued[0] and queued[-1]
    assert sorted(e.args[0] for e in OutboxEntry.objects.filter(task="compliance.tasks.compute_month")) == [
        "2026-10", "2026-11"]
    # The queued computation starts (takes the lease): a request arriving now queues exactly one more.
    lease_take(period=october, as_of=timezone.now())
    assert compliance_request(period=october) is True
    assert compliance_request(period=october) is False
    # That queued job starts while the computation still runs: it records its wish for a follow-up and is done
    # with, so a request arriving now queues again rather than waiting on a job that no longer waits.
    from compliance.runs import wish_record

    assert wish_record(period=october) is True
    assert ComplianceMonth.objects.get(period=october).queued_at is None
    assert compliance_request(period=october) is True
    # A queued job lost with its worker: after PORTAL_COMPLIANCE_QUEUE_STALE_SECONDS the next request queues again.
    ComplianceMonth.objects.filter(period=october).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    assert compliance_request(period=october) is True
