from celery import shared_task

from core.selectors import portal_health


@shared_task
def portal_healthcheck() -> dict:
    """Proves a worker reaches the broker and the database; used by the compose health check."""
    return portal_health()


@shared_task
def outbox_drain() -> int:
    """Send the jobs that could not be queued when they were asked for (the broker was down)."""
    from core.outbox import outbox_drain as drain

    return drain()
