"""Sign-in through allauth: Vietnamese pages, the failed-login rate limit, and MFA for reviewers and staff."""

import time
from urllib.parse import quote

import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse
from knox.models import AuthToken

from core.permissions import MFA_REQUIRED_MESSAGE
from core.selectors import user_has_mfa, user_mfa_required
from tests.factories import MembershipFactory, UserFactory, unit_make
from units.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-2026"
LOGIN = reverse("account_login")
SECOND_STEP = reverse("mfa_authenticate")
ACTIVATE_TOTP = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")
UNITS_API = reverse("unit-list")


@pytest.fixture(autouse=True)
def mfa_rules(settings):
    # The test settings switch MFA off for the rest of the suite; here it is the production rule.
    settings.PORTAL_MFA_REQUIRED_ROLES = ["reviewer", "admin"]
    # Rate-limit counters live in the cache and would leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit(root):
    return unit_make(parent=root)


@pytest.fixture
def clerk(unit):
    return MembershipFactory(unit=unit, role=Membership.Role.CLERK).user


@pytest.fixture
def reviewer(unit):
    return MembershipFactory(unit=unit, role=Membership.Role.REVIEWER).user


def _totp_code(secret: str) -> str:
    """The code an authenticator app shows now."""
    # A code read in the last instant of its 30 seconds would be stale when posted.
    if app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD < 2:
        time.sleep(2)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _log_in(client, user, password=PASSWORD):
    return client.post(LOGIN, {"login": user.username, "password": password})


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_the_login_page_is_in_vietnamese_and_offers_no_sign_up(client, django_user_model):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert reverse("account_signup") not in html
    # Sign-up is closed: the page says so and creates nobody.
    response = client.post(reverse("account_signup"), {
        "username": "tu-dang-ky", "password1": "Mat-khau-dai-2026", "password2": "Mat-khau-dai-2026"})
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="tu-dang-ky").exists()


def test_five_wrong_passwords_lock_the_account_for_a_while(client, clerk):
    for _ in range(5):
        response = _log_in(client, clerk, password="sai-mat-khau")
        assert response.status_code == 200 and not _logged_in(client)
    response = _log_in(client, clerk)
    assert response.status_code == 200
    assert not _logged_in(client)
    locked = str(get_adapter().error_messages["too_many_login_attempts"])
    assert response.context["form"].non_field_errors() == [locked]
    # Once the window is over (here: the counters are gone) the right password works again.
    cache.clear()
    assert _log_in(client, clerk)["Location"] == reverse("home")
    assert _logged_in(client)


def test_a_clerk_logs_in_without_mfa_and_reaches_the_home_page(client, clerk):
    assert not user_mfa_required(user=clerk)
    response = _log_in(client, clerk)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("reports:mine")  # a clerk lands on their reports
    assert client.get(UNITS_API).status_code == 200


def test_a_reviewer_without_an_authenticator_is_sent_to_set_one_up(client, reviewer):
    assert user_mfa_required(user=reviewer) and not user_has_mfa(user=reviewer)
    assert _log_in(client, reviewer)["Location"] == reverse("home")
    assert _logged_in(client)
    for path in [reverse("home"), reverse("admin:index")]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == ACTIVATE_TOTP, path
    # htmx requests are told where to go rather than handed the set-up page as a fragment.
    assert client.get(reverse("home"), HTTP_HX_REQUEST="true")["HX-Redirect"] == ACTIVATE_TOTP
    response = client.get(UNITS_API)
    assert response.status_code == 403
    assert response.json()["detail"] == str(MFA_REQUIRED_MESSAGE)
    # The set-up pages stay open: allauth first asks for the password again, then shows the QR code.
    response = client.get(ACTIVATE_TOTP)
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == ACTIVATE_TOTP
    response = client.get(ACTIVATE_TOTP)
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'name="code"' in html and "data:image/svg+xml" in html
    # The authenticator app lists the code under the portal's name.
    assert "issuer=" + quote("Cổng chuyển đổi số") in response.context["totp_url"]
    assert client.session["mfa.totp.secret"] in html
    # Logging out stays open too.
    assert client.get(reverse("account_logout")).status_code == 200
    client.post(reverse("account_logout"))
    assert not _logged_in(client)


def test_a_reviewer_who_activates_an_authenticator_gets_in(client, reviewer):
    _log_in(client, reviewer)
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    client.get(ACTIVATE_TOTP)
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE_TOTP, {"code": "000000" if _totp_code(secret) != "000000" else "111111"})
    assert response.status_code == 200 and not user_has_mfa(user=reviewer)
    response = client.post(ACTIVATE_TOTP, {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert user_has_mfa(user=reviewer)
    # The recovery codes the set-up leads to are shown within the portal.
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert '<html lang="vi">' in html
    for code in RecoveryCodes(Authenticator.objects.get(user=reviewer, type="recovery_codes")).get_unused_codes():
        assert code in html
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_a_reviewer_with_an_authenticator_logs_in_with_a_code(client, reviewer):
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    response = _log_in(client, reviewer)
    assert response.status_code == 302 and response["Location"] == SECOND_STEP
    assert not _logged_in(client)
    # The second step is a page of the portal; a wrong code leaves the user outside.
    html = client.get(SECOND_STEP).content.decode()
    assert '<html lang="vi">' in html and 'name="code"' in html
    code = _totp_code(secret)
    response = client.post(SECOND_STEP, {"code": "000000" if code != "000000" else "111111"})
    assert response.status_code == 200 and not _logged_in(client)
    response = client.post(SECOND_STEP, {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"), follow=True).status_code == 200
    assert client.get(UNITS_API).status_code == 200


def test_a_recovery_code_works_once(client, reviewer):
    TOTP.activate(reviewer, generate_totp_secret())
    recovery_code = RecoveryCodes.activate(reviewer).get_unused_codes()[0]
    _log_in(client, reviewer)
    response = client.post(SECOND_STEP, {"code": recovery_code})
    assert response["Location"] == reverse("home") and _logged_in(client)
    client.post(reverse("account_logout"))
    assert not _logged_in(client)

    assert _log_in(client, reviewer)["Location"] == SECOND_STEP
    response = client.post(SECOND_STEP, {"code": recovery_code})
    assert response.status_code == 200 and not _logged_in(client)


def test_a_token_lets_a_reviewer_without_mfa_use_the_api(client, reviewer):
    _token, secret = AuthToken.objects.create(user=reviewer)
    client.force_login(reviewer)
    assert client.get(UNITS_API).status_code == 403
    client.logout()
    response = client.get(UNITS_API, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_staff_need_mfa_and_the_admin_login_goes_through_allauth(client, reviewer):
    staff = UserFactory(is_staff=True)
    assert user_mfa_required(user=staff)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next=")
    # The admin's own form is not reachable anonymously, so its password check cannot be brute-forced.
    response = client.post(reverse("admin:login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302 and not _logged_in(client)

    _log_in(client, staff)
    assert client.get(reverse("admin:index"))["Location"] == ACTIVATE_TOTP
    assert client.get(reverse("api-schema")).status_code == 403
    TOTP.activate(staff, generate_totp_secret())
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 200


def test_no_one_needs_mfa_when_the_setting_is_empty(settings, reviewer):
    settings.PORTAL_MFA_REQUIRED_ROLES = []
    assert not user_mfa_required(user=reviewer)
    assert not user_mfa_required(user=UserFactory(is_superuser=True, is_staff=True))
