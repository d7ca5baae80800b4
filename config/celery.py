import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _outbox_drain_on_start(**kwargs) -> None:
    """Jobs recorded while the broker was down go out as soon as a worker is back, not at the next beat."""
    from core.outbox import outbox_drain

    try:
        outbox_drain()
    except Exception:  # the worker must start even if the database is not there yet; the beat task retries
        logging.getLogger(__name__).exception("Could not drain the outbox at worker start")
