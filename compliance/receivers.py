"""Compliance listens to the monthly round: approved figures changed, so the month is recomputed after commit."""

from compliance.services import compliance_request


def recompute_month_after_commit(sender, *, report, **kwargs) -> None:
    # Recorded with the decision (the signal is sent inside its transaction), so a broker outage delays the
    # recomputation but never loses it; while one computation of the month waits in the queue, no other is queued.
    compliance_request(period=report.period)
