"""Deadline day: N clerks of one office, behind one address, log in, open their monthly form, save a draft
and submit, all within a short window, against gunicorn with the production settings on PostgreSQL.

Loopback only: gunicorn binds 127.0.0.1 on a free port, the clients are threads of this process. Prints
requests, errors and p50/p95 latency beside a floor measured in the same run (the same clients fetching a
static file from the same server), then checks that every submission is in the database exactly once.

Knobs (environment): BENCH_LOAD_CLERKS (60), BENCH_LOAD_WINDOW seconds in which the clerks start (20),
BENCH_LOAD_WORKERS gunicorn workers (3, as the Dockerfile runs it).
"""

import datetime as dt
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from benchmarks.conftest import monthly_form_data, record
from portal.demo import synthetic_plan_build, synthetic_tree_build
from reports.models import Report, ReportSubmission
from targets.services import indicators_seed_load
from units.models import Membership, Unit
from units.services import unit_national_root_ensure

ROOT = Path(__file__).resolve().parent.parent
CLERKS = int(os.environ.get("BENCH_LOAD_CLERKS", "60"))
WINDOW_SECONDS = float(os.environ.get("BENCH_LOAD_WINDOW", "20"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
PASSWORD = "Han-chot-ngay-20"
INDICATORS = 40
OFFICE_ADDRESS_NOTE = "all clients on 127.0.0.1: one office behind one NAT address"

pytestmark = pytest.mark.django_db(transaction=True)  # gunicorn reads what this process commits


@dataclass(slots=True)
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    steps_ms: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies_ms.append(ms)
            if error:
                self.errors.append(error)


@dataclass(slots=True)
class Clerk:
    username: str
    unit_id: int
    form_path: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _production_env(static_root: Path) -> dict[str, str]:
    database = connection.settings_dict
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.fail("The load benchmark runs the production settings, which need Redis: set REDIS_URL.")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # The test database this process fills and commits to.
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{k: database[k] or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}),
        "REDIS_URL": redis_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        # Plain HTTP on loopback: no TLS in front, so no redirect to HTTPS and cookies not marked secure.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "PORTAL_TRUSTED_PROXY_COUNT": "0",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return env


def _seed(period: dt.date) -> tuple[list[Clerk], list[tuple[str, bool]]]:
    unit_national_root_ensure()
    indicators_seed_load()
    province = synthetic_tree_build(size=max(2 * CLERKS, 50))
    plan = synthetic_plan_build(province=province, indicators=INDICATORS, year=period.year)
    fields = [(t.indicator.code, t.indicator.has_counts) for t in plan.targets.select_related("indicator")]
    units = list(Unit.objects.filter(path__startswith=province.path, depth__gt=province.depth)
                 .order_by("path")[:CLERKS])
    assert len(units) == CLERKS
    # The production settings check passwords with PBKDF2 (the test settings' MD5 is not among their hashers):
    # one hash, computed once, serves every clerk, so seeding does not pay a million iterations per clerk.
    password = PBKDF2PasswordHasher().encode(PASSWORD, "benchloadsalt01")
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"vanthu{n:03d}", password=password) for n in range(CLERKS)])
    Membership.objects.bulk_create([
        Membership(user=user, unit=unit, role=Membership.Role.CLERK) for user, unit in zip(users, units, strict=True)])
    return [Clerk(username=user.username, unit_id=unit.pk, form_path=f"/reports/{unit.code}/{period:%Y-%m}/")
            for user, unit in zip(users, units, strict=True)], fields


def _call(session: requests.Session, tally: Tally, base: str, method: str, path: str,
          data: dict | None = None, *, step: str) -> requests.Response:
    """One request and the redirects a browser would follow, each timed and counted on its own; the whole
    chain is also timed as the clerk's step (what the clerk waits for after a click)."""
    began = time.perf_counter()
    response = _follow(session, tally, base, method, path, data)
    with tally.lock:
        tally.steps_ms.setdefault(step, []).append((time.perf_counter() - began) * 1000)
    return response


def _follow(session: requests.Session, tally: Tally, base: str, method: str, path: str,
            data: dict | None) -> requests.Response:
    while True:
        start = time.perf_counter()
        try:
            response = session.request(method, base + path, data=data, allow_redirects=False, timeout=120)
        except requests.RequestException as exc:
            tally.record((time.perf_counter() - start) * 1000, f"{method} {path}: {exc}")
            raise
        error = f"{method} {path}: {response.status_code}" if response.status_code >= 400 else None
        tally.record((time.perf_counter() - start) * 1000, error)
        if response.status_code not in (301, 302, 303) or not response.headers.get("Location"):
            return response
        method, path, data = "GET", response.headers["Location"], None


def _version(html: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html)
    assert match, "the monthly form carries no version field"
    return match.group(1) or match.group(2)


def _clerk_round(clerk: Clerk, fields: list[tuple[str, bool]], base: str, tally: Tally, delay: float) -> None:
    time.sleep(delay)
    session = requests.Session()
    try:
        _call(session, tally, base, "GET", "/accounts/login/", step="open the login page")
        token = {"csrfmiddlewaretoken": session.cookies["csrftoken"]}
        landed = _call(session, tally, base, "POST", "/accounts/login/",
                       {**token, "login": clerk.username, "password": PASSWORD}, step="log in (PBKDF2) to my reports")
        if "sessionid" not in session.cookies:
            tally.errors.append(f"{clerk.username}: not signed in ({landed.status_code})")
            return
        form = _call(session, tally, base, "GET", clerk.form_path, step="open the monthly form")
        token = {"csrfmiddlewaretoken": session.cookies["csrftoken"]}
        saved = _call(session, tally, base, "POST", clerk.form_path,
                      {**token, **monthly_form_data(fields), "version": _version(form.text), "save": "1"},
                      step="save the draft, form reloaded")
        _call(session, tally, base, "POST", clerk.form_path,
              {**token, **monthly_form_data(fields), "version": _version(saved.text), "submit": "1"},
              step="submit, form reloaded")
    except (requests.RequestException, AssertionError, KeyError) as exc:
        with tally.lock:
            tally.errors.append(f"{clerk.username}: {exc!r}")


def _static_round(base: str, path: str, count: int, tally: Tally, delay: float) -> None:
    time.sleep(delay)
    session = requests.Session()
    for _ in range(count):
        try:
            _call(session, tally, base, "GET", path, step="static file")
        except requests.RequestException:
            return


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + "/accounts/login/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def test_deadline_day_clerks_log_in_save_and_submit(tmp_path):
    today = timezone.localdate()
    period = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the month just ended
    clerks, fields = _seed(period)
    env = _production_env(tmp_path / "static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=300)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(base, server, log)
        rng = random.Random(20)
        delays = [rng.uniform(0, WINDOW_SECONDS) for _ in clerks]

        portal = Tally()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(clerks)) as pool:
            for clerk, delay in zip(clerks, delays, strict=True):
                pool.submit(_clerk_round, clerk, fields, base, portal, delay)
        portal_seconds = time.perf_counter() - start

        # The floor: the same clients, the same start times and as many requests each, for a static file
        # served by the same gunicorn workers (no database, no session, no template).
        per_clerk = max(1, round(len(portal.latencies_ms) / len(clerks)))
        floor = Tally()
        static_path = settings.STATIC_URL + "css/portal.css"
        with ThreadPoolExecutor(max_workers=len(clerks)) as pool:
            for delay in delays:
                pool.submit(_static_round, base, static_path, per_clerk, floor, delay)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Afterwards, in the database: every clerk's report submitted exactly once, with all its values.
    reports = Report.objects.filter(period=period, unit_id__in=[clerk.unit_id for clerk in clerks])
    submitted = reports.filter(status=Report.Status.SUBMITTED).count()
    submissions = ReportSubmission.objects.filter(report__in=reports)
    once = submissions.values("report").distinct().count()
    duplicates = submissions.count() - once
    short = sum(1 for report in reports.prefetch_related("values") if len(report.values.all()) != len(fields))
    lost = len(clerks) - submitted

    latencies = portal.latencies_ms
    print(f"\nDeadline day: {len(clerks)} clerks ({OFFICE_ADDRESS_NOTE}), {len(fields)} indicators, "
          f"starts spread over {WINDOW_SECONDS:.0f} s, gunicorn {WORKERS} workers, production settings, "
          f"PostgreSQL + Redis")
    print(f"  requests: {len(latencies)} in {portal_seconds:.1f} s, errors: {len(portal.errors)}")
    print(f"  {'latency':<40} {'portal':>10} {'floor':>10}")
    print(f"  {'p50':<40} {statistics.median(latencies):>8.1f}ms {statistics.median(floor.latencies_ms):>8.1f}ms")
    print(f"  {'p95':<40} {_percentile(latencies, 0.95):>8.1f}ms {_percentile(floor.latencies_ms, 0.95):>8.1f}ms")
    print(f"  {'max':<40} {max(latencies):>8.1f}ms {max(floor.latencies_ms):>8.1f}ms")
    print("  (floor: a static file from the same server, same clients and start times)")
    for step, samples in portal.steps_ms.items():
        print(f"  {step:<40} p50 {statistics.median(samples):>8.1f}ms  p95 {_percentile(samples, 0.95):>8.1f}ms")
    print(f"  submitted: {submitted} of {len(clerks)}, lost: {lost}, submitted twice: {duplicates}, "
          f"reports missing values: {short}")
    if portal.errors:
        print("  first errors: " + "; ".join(portal.errors[:5]))
    record("deadline day: p50 latency", statistics.median(latencies), "ms",
           floor=statistics.median(floor.latencies_ms))
    record("deadline day: p95 latency", _percentile(latencies, 0.95), "ms",
           floor=_percentile(floor.latencies_ms, 0.95))

    assert portal.errors == []
    assert floor.errors == []
    assert (submitted, lost, duplicates, short) == (len(clerks), 0, 0, 0)
