"""The outbox: a job is recorded with the work that needs it, and nothing asked for is lost or sent twice."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction

from compliance import tasks as compliance_tasks
from compliance.models import ComplianceRun
from compliance.tasks import compute_month
from core.models import OutboxEntry
from core.outbox import enqueue_after_commit, outbox_drain
from tests.compliance.helpers import OCT

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _age(seconds: int = 120) -> None:
    OutboxEntry.objects.update(created_at=OutboxEntry.objects.earliest("id").created_at
                               - dt.timedelta(seconds=seconds))


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = compliance_tasks.compliance_compute

    def compute(*, period):
        calls.append(period)
        return real(period=period)

    monkeypatch.setattr(compliance_tasks, "compliance_compute", compute)
    return calls


def test_a_job_of_work_that_was_rolled_back_is_neither_recorded_nor_sent(tree, counted,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            enqueue_after_commit(compute_month, "2026-10")
            raise Boom
    assert callbacks == [] and counted == [] and not OutboxEntry.objects.exists()


def test_a_job_recorded_but_never_sent_is_sent_by_the_next_drain(tree, counted,
                                                                 django_capture_on_commit_callbacks):
    # The transaction commits and the process dies before sending: the entry is all that is left.
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_after_commit(compute_month, "2026-10")
    assert OutboxEntry.objects.get().task == "compliance.tasks.compute_month" and counted == []

    assert outbox_drain() == 0, "a fresh entry may still be on its way: the drain leaves it"
    _age()
    assert outbox_drain() == 1
    assert counted == [OCT] and not OutboxEntry.objects.exists()
    assert ComplianceRun.objects.filter(period=OCT, is_current=True).exists()


def test_a_month_asked_for_many_times_is_computed_once(tree, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(5):
            enqueue_after_commit(compute_month, "2026-10")
        enqueue_after_commit(compute_month, "2026-11")
    _age()
    assert outbox_drain() == 2
    assert sorted(counted) == [OCT, dt.date(2026, 11, 1)] and not OutboxEntry.objects.exists()


def test_a_starting_worker_and_the_beat_drain_the_outbox(tree, counted, django_capture_on_commit_callbacks):
    from config.celery import _outbox_drain_on_start

    with django_capture_on_commit_callbacks(execute=False):
        enqueue_after_commit(compute_month, "2026-10")
    _age()
    _outbox_drain_on_start()
    assert counted == [OCT] and not OutboxEntry.objects.exists()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.tasks.outbox_drain", "compliance.tasks.reap_dead_runs"} <= scheduled
