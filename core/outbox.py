"""Background jobs that survive a broker outage: recorded with the work, sent after commit, re-sent until taken."""

import datetime as dt
import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutboxEntry

logger = logging.getLogger(__name__)

# An entry younger than this may still be on its way from the request that wrote it; the drain leaves it be.
DRAIN_GRACE = dt.timedelta(seconds=30)
DRAIN_BATCH = 500


def enqueue_after_commit(task, *args) -> OutboxEntry:
    """Record the job with the current transaction's writes; send it once they are committed.

    `task` is a Celery task or its dotted name: a service may name the task of its own app that calls it back,
    without importing it.

    If the broker cannot take it, the request still succeeds: the entry stays and `outbox_drain` sends it later.
    A crash between the commit and the send leaves the entry too, which is why it is written before, not after.
    """
    entry = OutboxEntry.objects.create(task=task if isinstance(task, str) else task.name, args=list(args))
    transaction.on_commit(lambda: _send(entry))
    return entry


def _send(entry: OutboxEntry, *, claimed: bool = False) -> bool:
    task = import_string(entry.task)
    if current_app.conf.task_always_eager:
        # No broker: the job runs here and now, and its own failure is the caller's to see, as with `.delay()`.
        OutboxEntry.objects.filter(pk=entry.pk).delete()
        task.apply(args=entry.args, throw=current_app.conf.task_eager_propagates)
        return True
    try:
        task.apply_async(args=entry.args)
    except Exception as exc:  # whatever the broker client raises, the committed work must not turn into a 500
        logger.warning("Could not queue %s; kept in the outbox for a later try: %s", entry, exc)
        failed = OutboxEntry.objects.filter(pk=entry.pk)
        failed.update(last_error=str(exc)[:2000], **({} if claimed else {"attempts": F("attempts") + 1}))
        return False
    OutboxEntry.objects.filter(pk=entry.pk).delete()
    return True


def outbox_drain(*, grace: dt.timedelta = DRAIN_GRACE) -> int:
    """Send what could not be sent; the same job asked for several times (a month to recompute) goes once.

    Stops at the first failure: the broker is still down and the rest would fail the same way."""
    pending = OutboxEntry.objects.filter(created_at__lte=timezone.now() - grace).order_by("id")[:DRAIN_BATCH]
    first: dict[tuple, OutboxEntry] = {}
    for entry in pending:
        key = (entry.task, repr(entry.args))
        if key in first:
            OutboxEntry.objects.filter(pk=entry.pk).delete()
        else:
            first[key] = entry
    sent = 0
    for entry in first.values():
        # Claim the entry by counting the attempt; a drain running at the same time (a worker starting during
        # the periodic pass) finds the count changed and leaves the entry to this one.
        if not OutboxEntry.objects.filter(pk=entry.pk, attempts=entry.attempts).update(attempts=entry.attempts + 1):
            continue
        if not _send(entry, claimed=True):
            break
        sent += 1
    if sent:
        logger.info("Sent %s queued jobs from the outbox", sent)
    return sent
