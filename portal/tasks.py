from celery import shared_task

from portal.selectors import portal_health


@shared_task
def portal_healthcheck() -> dict:
    """Proves a worker reaches the broker and the database; used by the compose health check."""
    return portal_health()
