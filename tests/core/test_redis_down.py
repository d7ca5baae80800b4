"""Redis down: pages keep answering, the rate limits and the cache degrade, and queued work waits in the outbox."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from compliance.models import ComplianceRun
from compliance.services import compliance_compute
from config.celery import app
from core.models import OutboxEntry
from core.outbox import outbox_drain
from exports.models import ExportJob
from notifications.models import Notification
from reports.models import Report
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once
PASSWORD = "pw-test-2026"
NOW = dt.timedelta(0)  # drain entries however young: the tests stand for the next beat, a minute later


def _celery_reset() -> None:
    """Forget the broker connections and result backend built for one configuration before using another."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": DOWN,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    _celery_reset()
    # Eager tasks never touch the broker: the outage can only be seen with eager mode off.
    app.conf.update(task_always_eager=False, broker_url=DOWN, result_backend=DOWN)
    yield
    app.conf.update(previous)
    _celery_reset()


def broker_back() -> None:
    """The broker answers again; tests run what it would deliver in-process."""
    _celery_reset()
    app.conf.update(task_always_eager=True, broker_url="memory://", result_backend="cache+memory://")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    reviewer = MembershipFactory(unit=tree.province, role=Membership.Role.REVIEWER).user
    clerk = MembershipFactory(unit=tree.w2, role=Membership.Role.CLERK).user
    return type("People", (), dict(reviewer=reviewer, clerk=clerk, tree=tree))


def test_the_cache_answers_as_a_miss_when_redis_is_unreachable(redis_down):
    cache.set("key", "value")
    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["key"]) == {} and cache.has_key("key") is False
    assert cache.add("lock", 1) is True  # a lock taken with add() must not spin on a dead cache
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_login_home_and_dashboard_answer_while_redis_is_down(client, people, redis_down):
    login = reverse("account_login")
    assert client.get(login).status_code == 200
    wrong = client.post(login, {"login": people.reviewer.username, "password": "sai-mat-khau"})
    assert wrong.status_code == 200 and "không đúng" in wrong.content.decode()
    right = client.post(login, {"login": people.reviewer.username, "password": PASSWORD})
    assert right.status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200
    page = client.get(reverse("compliance:dashboard"), {"period": "2026-10"})
    assert page.status_code == 200 and people.tree.w1.name in page.content.decode()


def test_approve_answers_quickly_shows_at_once_and_the_email_waits_in_the_outbox(client, people, redis_down,
                                                                                 django_capture_on_commit_callbacks):
    from compliance.models import ComplianceResult

    submitted = report(people.tree.w2, {people.tree.signed: (1, 2)}, status=Report.Status.SUBMITTED)
    before = ComplianceRun.objects.get(period=OCT, is_current=True)
    client.force_login(people.reviewer)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:decide", kwargs={"pk": submitted.pk}), {"action": "approve"})
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.APPROVED
    # The approval needs no broker to show: applied to the current run in place, 1/2 = 50%.
    now = ComplianceRun.objects.get(period=OCT, is_current=True)
    assert now == before and now.revision == before.revision + 1
    assert ComplianceResult.objects.get(run=now, unit=people.tree.w2, indicator=people.tree.signed).value == 50
    assert not OutboxEntry.objects.filter(task__startswith="compliance.").exists()
    # The clerk's e-mail about the approval waits in the outbox.
    told = Notification.objects.get(recipient=people.clerk)
    entry = OutboxEntry.objects.get(task="notifications.tasks.notification_email", args=[told.pk])
    assert (entry.attempts, bool(entry.last_error)) == (1, True)

    broker_back()
    assert outbox_drain(grace=NOW) == 1
    assert not OutboxEntry.objects.exists()
    assert [message.to for message in mail.outbox] == [[people.clerk.email]]


def test_export_answers_quickly_and_is_built_once_the_broker_is_back(client, people, redis_down,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(people.reviewer)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:create"),
                               {"unit": people.tree.province.code, "quarter": "2026-Q4"})
    assert time.monotonic() - started < 2
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", kwargs={"pk": job.pk})
    assert job.state == ExportJob.State.QUEUED
    assert client.get(response["Location"]).status_code == 200
    entry = OutboxEntry.objects.get()
    assert (entry.task, entry.args) == ("exports.tasks.build_export", [job.pk])

    broker_back()
    assert outbox_drain(grace=NOW) == 1
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.progress == 100
    assert not OutboxEntry.objects.exists()


def test_a_drain_while_the_broker_is_still_down_keeps_every_entry(people, redis_down,
                                                                   django_capture_on_commit_callbacks):
    from compliance.tasks import compute_month
    from core.outbox import enqueue_after_commit

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(compute_month, "2026-10")
        enqueue_after_commit(compute_month, "2026-11")
    assert OutboxEntry.objects.count() == 2
    assert outbox_drain(grace=NOW) == 0
    first, second = OutboxEntry.objects.order_by("id")
    assert first.attempts == 2 and first.last_error  # tried when asked for, and again by the drain
    assert second.attempts == 1  # the drain stopped at the first failure: the broker is still down


@pytest.mark.redis
@pytest.mark.postgres  # the worker thread writes while the test reads: SQLite's shared in-memory test DB locks
@pytest.mark.django_db(transaction=True)
def test_after_redis_returns_a_worker_drains_the_outbox_on_start(settings, tree, redis_down):
    """Through the real Redis broker (database 3 in the test set-up): the worker's start sends what was left."""
    from celery.contrib.testing.worker import start_worker

    from compliance.tasks import compute_month
    from core.outbox import enqueue_after_commit

    report(tree.w1, {tree.signed: (80, 100)})
    enqueue_after_commit(compute_month, "2026-10")
    assert OutboxEntry.objects.get().attempts == 1
    OutboxEntry.objects.update(created_at=OutboxEntry.objects.get().created_at.replace(year=2000))

    _celery_reset()
    app.conf.update(task_always_eager=False, broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL)
    done = threading.Event()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        outbox_drain()  # what the worker's start (worker_ready) and the beat task do
        for _ in range(100):
            if ComplianceRun.objects.filter(period=OCT, is_current=True).exists():
                done.set()
                break
            time.sleep(0.2)
    assert not OutboxEntry.objects.exists()
    assert done.is_set()
