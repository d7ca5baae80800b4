"""Computing a month's compliance for every unit, one computation of a month at a time, and swapping it in whole."""

import datetime as dt
import logging

from celery import chord, group
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from compliance.computation import month_compute
from compliance.incremental import Applied, Fallback, change_apply
from compliance.models import ComplianceMonth, ComplianceRun
from compliance.runs import (
    DEAD_RUN_ERROR,
    Heartbeat,
    dead_runs_bury,
    lease_pass_on,
    lease_release,
    lease_renew,
    lease_seconds,
    lease_take,
    month_ensure,
    queue_claim,
    rows_delete,
    wish_record,
)
from compliance.signals import results_changed_in_place
from compliance.split import piece_compute, piece_paths, top_compute
from core.collector import collector_off
from core.models import OutboxEntry
from core.outbox import enqueue_after_commit

logger = logging.getLogger(__name__)
COMPUTE_TASK = "compliance.tasks.compute_month"
CHANGE_TASK = "compliance.tasks.apply_change"
PIECE_TASK = "compliance.tasks.compute_piece"
FINISH_TASK = "compliance.tasks.compute_finish"
# Left to the computation of the month that is running: it computes once more when it finishes (`wish_record`).
FOLLOW_UP = "a computation of the month is running; one more follows it"


def compliance_request(*, period: dt.date) -> bool:
    """Ask for the month to be computed in the background, after the current transaction commits.

    At most one computation of a month waits in the queue: on deadline day a thousand approvals make one queued
    job, not a thousand (and one more if they arrive while it runs). Recorded in the outbox with the work that asks,
    so a broker outage delays it but never loses it. False when a queued computation already covers the request.
    """
    period = period.replace(day=1)
    if not queue_claim(period=period):
        return False
    enqueue_after_commit(COMPUTE_TASK, f"{period:%Y-%m}")
    return True


def compliance_compute(*, period: dt.date, as_of: dt.datetime | None = None, fail_after: int | None = None
                       ) -> ComplianceRun | None:
    """Compute one month for every unit, then make it the current result in one transaction.

    One computation of a month at a time: when another one is running, this request is recorded on the month
    and that computation runs once more when it finishes (any number of such requests make one more run); None
    is returned then. Until the swap, readers keep seeing the previous run; if anything fails, the new run is
    discarded. `fail_after` stops the computation after that many result rows (used to prove the swap is all
    or nothing).
    """
    run = _lease_or_wish(period=period.replace(day=1), as_of=as_of or timezone.now())
    if run is None:
        return None
    while True:
        if not _run_compute(run=run, fail_after=fail_after):
            return None  # superseded: a newer computation took the month over and its result stands
        follow = lease_pass_on(run)
        if follow is None:
            return run
        run, fail_after = follow, None


def _lease_or_wish(*, period: dt.date, as_of: dt.datetime) -> ComplianceRun | None:
    """A new run holding the month's lease; None when a computation holds it (it is asked to run once more)."""
    month_ensure(period)
    while (run := lease_take(period=period, as_of=as_of)) is None:
        if wish_record(period=period):
            logger.info("Compliance for %s is being computed; one more computation will follow", period)
            return None
    dead_runs_bury(period=period, keep=run)
    return run


def _run_compute(*, run: ComplianceRun, fail_after: int | None) -> bool:
    """Compute and swap in one run; False when it lost the lease meanwhile and its work was discarded."""
    try:
        with Heartbeat(run), collector_off():
            count = month_compute(run=run, fail_after=fail_after)
        swapped = _swap_in(run, count)
    except Exception as exc:
        _run_fail(run, exc)
        raise
    return _swapped_or_dropped(run, swapped)



def _swap_in(run: ComplianceRun, count: int) -> bool:
    """Make the run the month's current one; False when it no longer holds the lease (a newer run took it over)."""
    with transaction.atomic():
        # Only the lease holder swaps: a run whose lease was taken over is older than the one that took it.
        # The UPDATE also locks the month's row until the swap commits, so no one takes the lease meanwhile.
        if not lease_renew(run):
            return False
        ComplianceRun.objects.filter(period=run.period, is_current=True).update(is_current=False)
        ComplianceRun.objects.filter(pk=run.pk).update(
            is_current=True, state=ComplianceRun.State.DONE, finished_at=timezone.now(), results=count)
    return True


def _run_fail(run: ComplianceRun, exc: Exception) -> None:
    """Mark the run failed (keeping the first error, when pieces of a split fail one after another), drop its rows
    and free the lease."""
    logger.exception("Compliance run %s for %s failed", run.pk, run.period)
    ComplianceRun.objects.filter(pk=run.pk, state=ComplianceRun.State.RUNNING).update(
        state=ComplianceRun.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
    rows_delete([run.pk])
    lease_release(run)


def _swapped_or_dropped(run: ComplianceRun, swapped: bool) -> bool:
    """After the swap: the month's finished older runs removed; or, superseded, this run's work dropped."""
    period = run.period
    if not swapped:
        # Older than the run that took the lease over: its result would replace a newer one, so it is dropped.
        logger.warning("Compliance run %s for %s lost its lease to a newer one; discarded", run.pk, period)
        ComplianceRun.objects.filter(pk=run.pk).update(state=ComplianceRun.State.FAILED, error=SUPERSEDED_ERROR,
                                                       finished_at=timezone.now())
        rows_delete([run.pk])
        return False
    # Finished runs of the month are no longer read; removing them is housekeeping, outside the swap. Runs
    # still computing are left alone, and failed ones stay (without rows) as the record of what went wrong.
    old = list(ComplianceRun.objects.filter(period=period, is_current=False, state=ComplianceRun.State.DONE)
               .values_list("pk", flat=True))
    if old:
        rows_delete(old)
        ComplianceRun.objects.filter(pk__in=old).delete()
    run.refresh_from_db()
    return True


def compliance_compute_split(*, period: dt.date, as_of: dt.datetime | None = None) -> ComplianceRun | None:
    """The month's full computation split by province (`compliance.split`): one task per province, which any number
    of workers take, then one task for the units above them, which swaps the run in.

    Celery's chord carries it: the pieces form its group and the last task is its body, called with the pieces'
    results once all have finished (the stages reaching above each province travel in them, so no table holds
    them). The lease and the swap are the whole computation's: the run holds the month's lease from here on, each
    piece renews it while it computes, and only the lease holder swaps. A piece that fails (after its retries, for a
    transient database error: `compliance.tasks.compute_piece`) marks the run failed,
    drops its rows and frees the lease, so the body never runs and the previous run stays current; a piece whose
    worker dies lets the lease run out, and the reaper does the same. With `CELERY_TASK_ALWAYS_EAGER` it all runs
    here, in order. Returns the run (current once the body has run), or None as `compliance_compute` does.
    """
    run = _lease_or_wish(period=period.replace(day=1), as_of=as_of or timezone.now())
    if run is None:
        return None
    _split_dispatch(run)
    run.refresh_from_db()
    return run


def _split_dispatch(run: ComplianceRun) -> None:
    # By name, as the outbox sends its jobs: the tasks module imports this one.
    piece, finish = import_string(PIECE_TASK), import_string(FINISH_TASK).s(run.pk)
    pieces = [piece.s(run.pk, path) for path in piece_paths()]
    try:
        if pieces:
            chord(group(pieces), finish).apply_async()
        else:
            finish.apply_async(args=([],))
    except Exception as exc:
        _run_fail(run, exc)
        raise


# A database that went away, a deadlock, a lost connection: the same piece may well succeed a moment later.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def compliance_piece_compute(*, run_id: int, path: str, retry_left: bool = False) -> dict:
    """One province of a split computation (`compliance_compute_split`); on failure the whole run fails, but for a
    transient database error (`TRANSIENT_ERRORS`) while `retry_left`: then the task computes the piece again (each
    attempt first drops what an earlier one wrote, `split.piece_compute`), and its last attempt fails the run."""
    run = ComplianceRun.objects.get(pk=run_id)
    try:
        _still_running(run)
        with Heartbeat(run), collector_off():
            piece = piece_compute(run, path)
        # Another piece failed meanwhile and dropped the run's rows: this one's, written since, go too.
        _still_running(run)
    except TRANSIENT_ERRORS as exc:
        if not retry_left:
            _connection_reset()
            _run_fail(run, exc)
        raise
    except Exception as exc:
        _run_fail(run, exc)
        raise
    return piece


def _connection_reset() -> None:
    """A connection lost mid-piece is closed, so the run can still be marked failed on a new one."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _still_running(run: ComplianceRun) -> None:
    state = ComplianceRun.objects.filter(pk=run.pk).values_list("state", flat=True).first()
    if state != ComplianceRun.State.RUNNING:
        raise RuntimeError(f"compliance run {run.pk} is no longer running ({state})")


def compliance_split_finish(*, run_id: int, pieces: list[dict]) -> ComplianceRun | None:
    """The last task of a split computation: the units above the provinces, the swap, then any follow-up run."""
    run = ComplianceRun.objects.get(pk=run_id)
    if run.state != ComplianceRun.State.RUNNING:
        return None
    try:
        with Heartbeat(run), collector_off():
            count = top_compute(run, pieces)
        swapped = _swap_in(run, count)
    except Exception as exc:
        _run_fail(run, exc)
        raise
    if not _swapped_or_dropped(run, swapped):
        return None
    follow = lease_pass_on(run)
    if follow is not None:
        _split_dispatch(follow)
    return run


SUPERSEDED_ERROR = "A newer computation of the month took over; this one was discarded."


def compliance_runs_reap() -> list[dt.date]:
    """Months whose computation died (its lease ran out): free the lease, mark the run failed, drop its rows.

    Returns those months, which still need computing: the request that started the dead run was never met."""
    months = []
    for month in ComplianceMonth.objects.filter(holder__isnull=False, lease_until__lt=timezone.now()):
        with transaction.atomic():
            freed = ComplianceMonth.objects.filter(pk=month.pk, holder_id=month.holder_id,
                                                   lease_until__lt=timezone.now()).update(holder=None,
                                                                                         lease_until=None)
            if not freed:
                continue  # renewed or taken meanwhile: alive
        dead = ComplianceRun.objects.filter(pk=month.holder_id, state=ComplianceRun.State.RUNNING)
        if dead.update(state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now()):
            logger.warning("Compliance run %s for %s stopped without finishing; marked failed",
                           month.holder_id, month.period)
        rows_delete([month.holder_id])
        months.append(month.period)
    # Runs left "running" without a lease (stopped before leases existed, or a lost lease whose worker then
    # died): nothing will ever finish them.
    stale = ComplianceRun.objects.filter(
        state=ComplianceRun.State.RUNNING,
        started_at__lt=timezone.now() - dt.timedelta(seconds=lease_seconds()),
    ).exclude(pk__in=ComplianceMonth.objects.filter(holder__isnull=False).values("holder_id"))
    for run_id, period in stale.values_list("pk", "period"):
        if ComplianceRun.objects.filter(pk=run_id, state=ComplianceRun.State.RUNNING).update(
                state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now()):
            logger.warning("Compliance run %s for %s was left running without a lease; marked failed", run_id,
                           period)
            rows_delete([run_id])
            if period not in months:
                months.append(period)
    return months




def compliance_change_record(*, period: dt.date, unit_id: int) -> OutboxEntry:
    """Inside the transaction that changed a unit's approved figures: apply the change to the month's results as
    soon as it commits (`compliance_change_apply`), in this process, so the dashboard shows it at once.

    The change is recorded in the outbox with the decision and the record is removed once applied. If the process
    stops first, or the change fails (the database busy), the record stays and `outbox_drain` hands it to the
    `apply_change` task: a change is never lost, whether or not the broker is up at the time.
    """
    entry = OutboxEntry.objects.create(task=CHANGE_TASK, args=[f"{period:%Y-%m}", unit_id])
    transaction.on_commit(lambda: _change_apply_now(entry, period=period, unit_id=unit_id))
    return entry


def _change_apply_now(entry: OutboxEntry, *, period: dt.date, unit_id: int) -> None:
    try:
        compliance_change_apply(period=period, unit_id=unit_id)
    except Exception:  # the approval is committed; the change waits in the outbox for the task
        logger.warning("Could not apply the change of unit %s to %s at once; left in the outbox", unit_id, period,
                       exc_info=True)
        return
    OutboxEntry.objects.filter(pk=entry.pk).delete()


@transaction.atomic
def compliance_change_apply(*, period: dt.date, unit_id: int) -> Applied:
    """Apply a change of one unit's approved figures to the month's current results, in place (`incremental`).

    Under the month's row, locked: no computation of the month takes the lease or swaps its run in meanwhile, and
    changes of the same month apply one after the other. When a computation holds the lease, the change is left to
    it: it computes once more when it finishes (whether or not it read the change), and that run replaces the
    current one. When the change cannot be applied exactly (no current run, a baseline month, bindings changed), the
    month's full recomputation is asked for (`compliance_request`), recorded in the outbox with this transaction.
    """
    period = period.replace(day=1)
    month_ensure(period)
    ComplianceMonth.objects.select_for_update().filter(period=period).first()
    if wish_record(period=period):
        return Applied(fallback=FOLLOW_UP)
    run = ComplianceRun.objects.filter(period=period, is_current=True).first()
    if run is None:
        applied = Applied(fallback=Fallback.NO_RUN)
    else:
        with translation.override(settings.LANGUAGE_CODE):  # the reasons in the words the full computation uses
            applied = change_apply(run=run, unit_id=unit_id)
    if applied.fallback:
        logger.info("Compliance for %s recomputed in full for unit %s: %s", period, unit_id, applied.fallback)
        compliance_request(period=period)
    elif applied.rows:
        ComplianceRun.objects.filter(pk=run.pk).update(revision=F("revision") + 1)
        results_changed_in_place.send(sender=ComplianceRun, run_id=run.pk, unit_id=unit_id)
    return applied
