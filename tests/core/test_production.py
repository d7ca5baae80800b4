"""Production settings: refuse to start without PostgreSQL, Redis and a real secret; pass Django's deploy
check; sign people out after 8 idle hours."""

import datetime as dt
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.session_idle import SEEN_KEY
from tests.factories import MembershipFactory, unit_make
from units.models import Membership

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://portal:portal@127.0.0.1:5432/portal_prod",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
    "DJANGO_ALLOWED_HOSTS": "cds.example.vn",
}


def _example_secret() -> str:
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("DJANGO_SECRET_KEY="):
            return line.split("=", 1)[1]
    raise AssertionError(".env.example names no DJANGO_SECRET_KEY")


def _run(args: list[str], **overrides: str) -> subprocess.CompletedProcess:
    # Every variable is passed explicitly (an empty one counts as missing), so a developer's own .env, which
    # never overrides the process environment, cannot change the outcome.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_"))}
    env |= GOOD | overrides
    return subprocess.run([sys.executable, *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _load_settings(**overrides: str) -> subprocess.CompletedProcess:
    code = ("import django; from django.conf import settings; django.setup(); "
            "print(settings.DATABASES['default']['ENGINE'])")
    return _run(["-c", code], **overrides)


def test_production_settings_load_with_everything_set():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"DATABASE_URL": ""}, "DATABASE_URL must be set in production."),
    ({"DATABASE_URL": "sqlite:////tmp/portal.sqlite3"}, "DATABASE_URL must point to PostgreSQL in production."),
    ({"REDIS_URL": ""}, "REDIS_URL must be set in production."),
    ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set in production."),
    ({"DJANGO_SECRET_KEY": "example"}, "DJANGO_SECRET_KEY is a placeholder"),
    ({"DJANGO_SECRET_KEY": "change-me-" + secrets.token_urlsafe(50)}, "DJANGO_SECRET_KEY is a placeholder"),
    ({"DJANGO_SECRET_KEY": secrets.token_urlsafe(30)}, "at least 50 random characters"),
    ({"DJANGO_SECRET_KEY": "ab" * 40}, "at least 50 random characters"),
])
def test_production_refuses_to_start_without_what_it_needs(overrides, message):
    result = _load_settings(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_refuses_the_secret_from_env_example():
    result = _load_settings(DJANGO_SECRET_KEY=_example_secret())
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is a placeholder" in result.stderr


def test_the_deploy_check_is_clean():
    # Django's security checks (HSTS, HTTPS redirect, secure cookies, secret, DEBUG, hosts) at warning level;
    # .ci/run runs the complete `check --deploy` as well.
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_when_https_is_switched_off():
    # The same check is not a formality: the loopback toggles make it fail.
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"],
                  DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


def _age_session(client, session, *, idle: dt.timedelta) -> None:
    """As if the last request had been `idle` ago."""
    store = client.session
    store[SEEN_KEY] = int(time.time() - idle.total_seconds())
    store.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(hours=8) - idle)


@pytest.mark.django_db
def test_a_session_ends_after_eight_idle_hours_and_each_request_restarts_the_clock(client, root):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    clerk = MembershipFactory(unit=unit_make(parent=root), role=Membership.Role.CLERK).user
    response = client.post(reverse("account_login"), {"login": clerk.username, "password": "pw-test-2026"})
    assert response.status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert abs(session.expire_date - (timezone.now() + dt.timedelta(hours=8))) < dt.timedelta(minutes=1)

    # A request soon after the last one writes nothing: the age restarts at most every few minutes.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:mine")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]

    # Seven hours and 59 minutes idle: still signed in, and the request restarts the eight hours.
    _age_session(client, session, idle=dt.timedelta(hours=7, minutes=59))
    assert client.get(reverse("reports:mine")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + dt.timedelta(hours=7, minutes=59)

    # Eight hours idle: the next page asks to log in again.
    _age_session(client, session, idle=dt.timedelta(hours=8, seconds=1))
    response = client.get(reverse("reports:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
