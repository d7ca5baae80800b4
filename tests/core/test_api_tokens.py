"""API tokens: made and revoked by their owner on a page, behind MFA where it is needed, hashed, expiring, audited."""

import datetime as dt
import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from core.models import AuditEvent
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db

PAGE = reverse("api_tokens")
UNITS_API = reverse("unit-list")
PASSWORD = "pw-test-2026"


@pytest.fixture(autouse=True)
def mfa_rules(settings):
    settings.PORTAL_MFA_REQUIRED_ROLES = ["reviewer", "admin"]


@pytest.fixture
def clerk(root):
    return MembershipFactory(role=Membership.Role.CLERK).user


@pytest.fixture
def reviewer(root):
    return MembershipFactory(role=Membership.Role.REVIEWER).user


def _totp_code(secret: str) -> str:
    if app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD < 2:
        time.sleep(2)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _create(client) -> str:
    """Creates a token on the page and returns the secret the page shows."""
    response = client.post(PAGE, {"create": "1"})
    assert response.status_code == 302 and response["Location"] == PAGE
    return client.get(PAGE).context["secret"]


def test_a_clerk_creates_a_token_sees_it_once_uses_it_and_revokes_it(client, clerk):
    client.force_login(clerk)
    html = client.get(PAGE).content.decode()
    assert '<html lang="vi">' in html and "Token API" in html and "Bạn chưa có token API nào." in html

    secret = _create(client)
    token = AuthToken.objects.get(user=clerk)
    # Stored hashed: the secret is nowhere in the row, only its first characters to tell tokens apart.
    assert secret.startswith("cds_") and secret.startswith(token.token_key)
    assert secret not in {token.digest, token.token_key}
    assert token.expiry.date() == (timezone.now() + dt.timedelta(days=90)).date()
    html = client.get(PAGE).content.decode()
    assert secret not in html  # shown once
    today = timezone.localdate()
    assert f"{token.token_key}…" in html
    assert today.strftime("%d/%m/%Y") in html and (today + dt.timedelta(days=90)).strftime("%d/%m/%Y") in html
    assert "Thu hồi" in html
    created = AuditEvent.objects.get(object_type="knox.authtoken", action=AuditEvent.Action.CREATE)
    assert created.actor == clerk and created.object_id == token.token_key and secret not in str(created.changes)

    client.logout()
    assert client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200

    client.force_login(clerk)
    response = client.post(PAGE, {"revoke": token.token_key}, follow=True)
    assert "Đã thu hồi token" in response.content.decode()
    assert not AuthToken.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.filter(object_id=token.token_key, action=AuditEvent.Action.DELETE, actor=clerk).exists()
    client.logout()
    response = client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 403
    assert response.json()["detail"] == "Token không hợp lệ hoặc đã hết hạn."


def test_an_expired_token_is_refused_and_the_lifetime_follows_the_setting(client, clerk, settings):
    settings.PORTAL_API_TOKEN_TTL_DAYS = 7
    client.force_login(clerk)
    secret = _create(client)
    token = AuthToken.objects.get(user=clerk)
    assert token.expiry.date() == (timezone.now() + dt.timedelta(days=7)).date()
    client.logout()
    token.expiry = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    response = client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 403 and response.json()["detail"] == "Token không hợp lệ hoặc đã hết hạn."
    assert not AuthToken.objects.filter(pk=token.pk).exists()  # knox deletes it on sight


def test_a_reviewer_without_an_authenticator_is_sent_to_set_one_up_and_gets_no_token(client, reviewer):
    client.force_login(reviewer)
    for response in (client.get(PAGE), client.post(PAGE, {"create": "1"})):
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert not AuthToken.objects.exists()


def test_a_session_that_skipped_the_second_step_must_confirm_a_code_first(client, reviewer):
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    client.force_login(reviewer)  # a session with no record of the second step
    response = client.post(PAGE, {"create": "1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not AuthToken.objects.exists()

    # Confirming a code (what the second step at login also records) opens the way.
    response = client.post(response["Location"], {"code": _totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert _create(client) and AuthToken.objects.filter(user=reviewer).count() == 1


def test_after_a_real_login_with_a_code_a_reviewer_creates_a_token_at_once(client, reviewer):
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    client.post(reverse("account_login"), {"login": reviewer.username, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    token_secret = _create(client)
    client.logout()
    assert client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {token_secret}").status_code == 200


def test_nobody_revokes_or_sees_another_users_tokens(client, clerk, root):
    other = MembershipFactory(role=Membership.Role.CLERK).user
    theirs, _secret = AuthToken.objects.create(user=other)
    client.force_login(clerk)
    assert theirs.token_key not in client.get(PAGE).content.decode()
    client.post(PAGE, {"revoke": theirs.token_key})
    assert AuthToken.objects.filter(pk=theirs.pk).exists()
    assert not AuditEvent.objects.filter(object_type="knox.authtoken").exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(PAGE, {"create": "1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not AuthToken.objects.exists()


def test_at_most_ten_live_tokens(client, clerk):
    client.force_login(clerk)
    for _ in range(10):
        _create(client)
    response = client.post(PAGE, {"create": "1"}, follow=True)
    assert "Bạn đã có 10 token API" in response.content.decode()
    assert AuthToken.objects.filter(user=clerk).count() == 10


def test_the_page_is_linked_from_the_header(client, clerk):
    client.force_login(clerk)
    assert f'href="{PAGE}"' in client.get(reverse("reports:mine")).content.decode()


def test_staff_see_tokens_in_the_admin_cannot_make_one_and_revoke_through_the_audited_action(client, clerk, settings):
    from django.contrib.auth import get_user_model

    settings.PORTAL_MFA_REQUIRED_ROLES = []
    staff = get_user_model().objects.create_user("quan-tri", password=PASSWORD, is_staff=True, is_superuser=True)
    token, secret = AuthToken.objects.create(user=clerk)
    client.force_login(staff)
    changelist = reverse("admin:knox_authtoken_changelist")
    html = client.get(changelist).content.decode()
    assert token.token_key in html
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "Đã thu hồi các token API đã chọn." in response.content.decode()
    assert not AuthToken.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(object_type="knox.authtoken", action=AuditEvent.Action.DELETE)
    assert event.actor == staff and event.object_id == token.token_key
    client.logout()
    assert client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 403
