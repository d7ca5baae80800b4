"""The lease that lets one computation of a month run at a time, and the heartbeat that keeps it.

A month's row (`ComplianceMonth`) is taken with a conditional UPDATE, so the lock works on PostgreSQL and SQLite
alike; a run whose lease ran out (its worker was killed) is found dead by the next run or by the beat task.
"""

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from compliance.models import ComplianceMonth, ComplianceResult, ComplianceRun, ReportingResult

logger = logging.getLogger(__name__)


class LeaseBusy(Exception):
    """Another computation of the month holds the lease: undo the run just created."""


def lease_seconds() -> int:
    return settings.PORTAL_COMPLIANCE_LEASE_SECONDS


def month_ensure(period: dt.date) -> None:
    if ComplianceMonth.objects.filter(period=period).exists():
        return
    try:
        with transaction.atomic():
            ComplianceMonth.objects.create(period=period)
    except IntegrityError:
        pass  # created meanwhile by a concurrent request: the row is all that is needed


def lease_take(*, period: dt.date, as_of: dt.datetime) -> ComplianceRun | None:
    """A new run holding the month's lease, or None when a live computation holds it.

    The run and the lease are committed together, so no run ever exists as "running" without the lease."""
    try:
        with transaction.atomic():
            run = ComplianceRun.objects.create(period=period, as_of=as_of)
            now = timezone.now()
            taken = ComplianceMonth.objects.filter(period=period).filter(
                Q(holder__isnull=True) | Q(lease_until__lt=now)
            ).update(holder=run, lease_until=now + dt.timedelta(seconds=lease_seconds()), wanted_at=None,
                     queued_at=None)
            if not taken:
                raise LeaseBusy
    except LeaseBusy:
        return None
    return run


def lease_renew(run: ComplianceRun) -> bool:
    return bool(ComplianceMonth.objects.filter(period=run.period, holder=run).update(
        lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds())))


def queue_claim(*, period: dt.date) -> bool:
    """True when no computation of the month waits in the queue (now one does); False when one already waits.

    The waiting one clears the mark when it starts, so a request arriving during a computation queues exactly one
    more. A mark older than `PORTAL_COMPLIANCE_QUEUE_STALE_SECONDS` (its job lost with a worker or the broker's
    data) no longer holds requests back.
    """
    month_ensure(period)
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.PORTAL_COMPLIANCE_QUEUE_STALE_SECONDS)
    return bool(ComplianceMonth.objects.filter(period=period).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=stale)).update(queued_at=now))


def wish_record(*, period: dt.date) -> bool:
    """Ask the live holder for one more computation; False when the lease came free meanwhile (take it then).

    The queued job that asks is done with once its wish is recorded: the follow-up covers it, so the month no
    longer counts as having a computation waiting in the queue, and the next request queues one again.
    """
    return bool(ComplianceMonth.objects.filter(period=period, holder__isnull=False,
                                               lease_until__gte=timezone.now()).update(wanted_at=timezone.now(),
                                                                                       queued_at=None))


def lease_pass_on(run: ComplianceRun) -> ComplianceRun | None:
    """Give the lease back, or, when a computation was asked for during this one, hand it to a follow-up run."""
    if ComplianceMonth.objects.filter(period=run.period, holder=run, wanted_at__isnull=True).update(
            holder=None, lease_until=None):
        return None
    with transaction.atomic():
        follow = ComplianceRun.objects.create(period=run.period, as_of=timezone.now())
        handed = ComplianceMonth.objects.filter(period=run.period, holder=run).update(
            holder=follow, lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds()), wanted_at=None)
        if not handed:
            # The lease expired and another run took it: that run already sees everything asked for.
            transaction.set_rollback(True)
            return None
    return follow


def lease_release(run: ComplianceRun) -> None:
    ComplianceMonth.objects.filter(period=run.period, holder=run).update(holder=None, lease_until=None)


def rows_delete(run_ids) -> None:
    ComplianceResult.objects.filter(run_id__in=run_ids).delete()
    ReportingResult.objects.filter(run_id__in=run_ids).delete()


def dead_runs_bury(*, period: dt.date, keep: ComplianceRun) -> list[int]:
    """Runs of the month still marked running that do not hold the lease: their worker died (or lost the lease
    and will discard its work itself). Mark them failed and drop what they wrote."""
    dead = list(ComplianceRun.objects.filter(period=period, state=ComplianceRun.State.RUNNING)
                .exclude(pk=keep.pk).values_list("pk", flat=True))
    if dead:
        logger.warning("Compliance runs %s for %s stopped without finishing; marked failed", dead, period)
        ComplianceRun.objects.filter(pk__in=dead, state=ComplianceRun.State.RUNNING).update(
            state=ComplianceRun.State.FAILED, error=DEAD_RUN_ERROR, finished_at=timezone.now())
        rows_delete(dead)
    return dead


DEAD_RUN_ERROR = "The computation stopped without finishing (its worker was stopped or lost the lease)."


class Heartbeat:
    """Renews the lease while the computation runs, from a thread with its own database connection."""

    def __init__(self, run: ComplianceRun):
        self.run = run
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"compliance-lease-{run.pk}", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(max(1.0, lease_seconds() / 4)):
                try:
                    if not lease_renew(self.run):
                        return  # the lease was taken over: the swap will notice and discard this run
                except DatabaseError:
                    logger.warning("Could not renew the lease of compliance run %s", self.run.pk, exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        # Inside a caller's transaction the lease row stays locked until that transaction ends, so nobody can
        # take it over, and a renewal from another connection would wait on that lock forever.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()


