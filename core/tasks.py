from celery import shared_task

from core.outbox import outbox_drain as drain


@shared_task
def outbox_drain() -> int:
    """Send the jobs that could not be queued when they were asked for (the broker was down)."""
    return drain()
