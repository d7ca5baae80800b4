import datetime as dt

from celery import shared_task
from django.utils import timezone

from compliance.reminders import reminders_send
from compliance.services import (
    TRANSIENT_ERRORS,
    compliance_change_apply,
    compliance_compute,
    compliance_compute_split,
    compliance_piece_compute,
    compliance_request,
    compliance_runs_reap,
    compliance_split_finish,
)
from core.periods import month_parse

PIECE_RETRIES = 3


def _previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def compute_month(period: str) -> int:
    """The month's full computation, split by province where workers take the pieces (`compliance_compute_split`:
    0 is returned while they compute); run eagerly (tests, no broker) the split would only add steps, so the month
    is computed whole, part by part, with the same rows."""
    if compute_month.app.conf.task_always_eager:
        run = compliance_compute(period=month_parse(period))
    else:
        run = compliance_compute_split(period=month_parse(period))
    return run.results if run else 0  # None: joined the computation already running, which will run once more


@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=60,
             max_retries=PIECE_RETRIES, acks_late=True, reject_on_worker_lost=True)
def compute_piece(self, run_id: int, path: str) -> dict:
    """One province of a split computation. A transient database error (a lost connection, a deadlock) computes the
    piece again, up to `PIECE_RETRIES` times, after at most 5, 10 and 20 s (well inside the month's lease of 180 s);
    a worker killed mid-piece leaves its message unacknowledged, so another worker takes it. Each attempt first drops
    what an earlier one wrote. Any other error, or the last attempt's, fails the run: the previous run stays current,
    and the month waits for its next request or the nightly recomputation."""
    return compliance_piece_compute(run_id=run_id, path=path, retry_left=self.request.retries < PIECE_RETRIES)


@shared_task
def compute_finish(pieces: list[dict], run_id: int) -> int:
    """The units above the provinces, once every piece has finished; then the swap."""
    run = compliance_split_finish(run_id=run_id, pieces=pieces)
    return run.results if run else 0


@shared_task(autoretry_for=(Exception,), retry_backoff=5, max_retries=5)
def apply_change(period: str, unit_id: int) -> int:
    """A change of a unit's approved figures that could not be applied when it was committed (from the outbox)."""
    return compliance_change_apply(period=month_parse(period), unit_id=unit_id).rows


@shared_task
def compute_nightly() -> list[str]:
    """The month being reported on and the current one, so both dashboards are fresh each morning.

    Approvals are applied to the results in place as they happen (`compliance.incremental`); this full
    recomputation is the reconciliation, and catches what no approval announces (a report gone overdue)."""
    today = timezone.localdate()
    months = [_previous_month(today), today.replace(day=1)]
    for month in months:
        compliance_request(period=month)
    return [f"{month:%Y-%m}" for month in months]


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def remind_daily() -> int:
    today = timezone.localdate()
    return reminders_send(period=_previous_month(today), today=today).sent


@shared_task
def reap_dead_runs() -> list[str]:
    """Computations whose worker died: marked failed, their rows removed, and their month computed again."""
    months = compliance_runs_reap()
    for month in months:
        compliance_request(period=month)
    return [f"{month:%Y-%m}" for month in months]
