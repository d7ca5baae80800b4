"""Compliance listens to the monthly round: approved figures changed, so the month is recomputed after commit."""

from compliance.tasks import compute_month
from core.outbox import enqueue_after_commit


def recompute_month_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so a broker outage delays the
    # recomputation but never loses it; repeated requests for one month are coalesced by the run lock.
    enqueue_after_commit(compute_month, f"{report.period:%Y-%m}")
