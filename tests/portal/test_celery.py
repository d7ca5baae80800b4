import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection, connections

from config.celery import app
from portal.tasks import portal_healthcheck


def test_tasks_run_in_process_without_a_broker(db):
    assert portal_healthcheck.delay().get(timeout=5)["units"] == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_goes_through_the_real_redis_broker_to_a_worker():
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL)
    # The worker runs in a thread of this process, with its own connection: closed after the task, so the test
    # database can be dropped at the end of the run.
    task_postrun.connect(_connections_close)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = portal_healthcheck.delay()
            assert result.get(timeout=30) == {"database": connection.vendor, "units": 0}
            assert result.status == "SUCCESS"
    finally:
        task_postrun.disconnect(_connections_close)
        app.conf.update(previous)


def _connections_close(**kwargs) -> None:
    connections.close_all()
