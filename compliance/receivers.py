"""Compliance listens to the monthly round: approved figures changed, so the month is recomputed after commit."""

from django.db import transaction

from compliance.tasks import compute_month


def recompute_month_after_commit(sender, *, report, **kwargs) -> None:
    period = f"{report.period:%Y-%m}"
    transaction.on_commit(lambda: compute_month.delay(period))
