"""Login limits for offices: a whole office behind one address signs in on deadline day; one account's
wrong passwords lock that account only; a sweep across accounts from one address is stopped; the 429 page
is Vietnamese."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import MembershipFactory, unit_make
from units.models import Membership

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-2026"
LOGIN = reverse("account_login")
OFFICE_ADDRESS = "203.0.113.7"  # the provincial office's one NAT address
TOO_MANY_ATTEMPTS = "Quá nhiều lần thử"


@pytest.fixture(autouse=True)
def fresh_counters():
    # The counters live in the cache and would leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(root):
    unit = unit_make(parent=root)
    return [MembershipFactory(unit=unit, role=Membership.Role.CLERK).user for _ in range(60)]


def _client(address: str = OFFICE_ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client: Client, username: str, password: str = PASSWORD):
    # As a browser does it: open the page, then post the form.
    assert client.get(LOGIN).status_code == 200
    return client.post(LOGIN, {"login": username, "password": password})


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def _locked_message() -> str:
    return str(get_adapter().error_messages["too_many_login_attempts"])


def test_sixty_clerks_behind_one_address_all_sign_in(office):
    refused = []
    for clerk in office:
        client = _client()
        response = _sign_in(client, clerk.username)
        if response.status_code != 302 or not _signed_in(client):
            refused.append((clerk.username, response.status_code))
    assert refused == []


def test_typos_across_an_office_do_not_lock_the_office_out(office):
    # Forty clerks each mistype once (twice as many failures as used to lock the whole address out)...
    for clerk in office[:40]:
        response = _sign_in(_client(), clerk.username, password="sai-mat-khau")
        assert response.status_code == 200
    # ...then every clerk of the office, the ones who mistyped included, signs in.
    for clerk in office:
        client = _client()
        assert _sign_in(client, clerk.username).status_code == 302, clerk.username
        assert _signed_in(client)


def test_a_clerk_is_not_refused_while_colleagues_at_the_same_address_are_being_counted(office):
    # What a crowd at one address does to a counter guarded by a lock: another worker is in the middle of
    # updating the address's entries. allauth waited a second for such a lock and then answered 429.
    request = RequestFactory(REMOTE_ADDR=OFFICE_ADDRESS).post(LOGIN)
    for action in ("login", "login_failed"):
        for rate in get_rates(app="allauth.account", action=action):
            if rate.per == "ip":
                key = get_cache_key(request, app="allauth.account", action=action, rate=rate)
                cache.add(f"{key}:lock", True, timeout=30)
    client = _client()
    response = _sign_in(client, office[0].username)
    assert response.status_code == 302 and _signed_in(client)


def test_six_wrong_passwords_lock_that_account_only(office):
    target, colleague = office[0], office[1]
    attacker = _client()
    for _ in range(6):
        response = _sign_in(attacker, target.username, password="doan-mo")
        assert response.status_code == 200 and not _signed_in(attacker)
    assert response.context["form"].non_field_errors() == [_locked_message()]
    # Locked even with the right password, from any address: the limit is on the account.
    elsewhere = _client("198.51.100.20")
    response = _sign_in(elsewhere, target.username)
    assert not _signed_in(elsewhere)
    assert response.context["form"].non_field_errors() == [_locked_message()]
    # A colleague behind the same address is not affected.
    client = _client()
    assert _sign_in(client, colleague.username).status_code == 302
    assert _signed_in(client)


def test_a_sweep_across_accounts_from_one_address_is_stopped(root, settings):
    # The per-address limit still exists; here it is lowered so the sweep is short to run.
    settings.PORTAL_LOGIN_ADDRESS_LIMITS = {**settings.PORTAL_LOGIN_ADDRESS_LIMITS, "failures": "12/5m"}
    unit = unit_make(parent=root)
    victims = [MembershipFactory(unit=unit, role=Membership.Role.CLERK).user for _ in range(4)]
    sweeper = _client("192.0.2.66")
    for victim in victims:
        for _ in range(3):  # below the per-account limit on each account
            _sign_in(sweeper, victim.username, password="doan-mo")
    response = _sign_in(sweeper, victims[0].username)
    assert not _signed_in(sweeper)
    assert response.context["form"].non_field_errors() == [_locked_message()]
    # The same account from the office's own address still works: only the sweeping address is stopped.
    client = _client()
    assert _sign_in(client, victims[0].username).status_code == 302


def _attempt(client: Client):
    # The login limit counts posted attempts (opening the page is free), whatever their outcome.
    return client.post(LOGIN, {"login": "ai-do", "password": "sai-mat-khau"})


def test_the_login_limit_answers_a_vietnamese_429(root, settings):
    settings.PORTAL_LOGIN_ADDRESS_LIMITS = {**settings.PORTAL_LOGIN_ADDRESS_LIMITS, "attempts": "3/5m"}
    client = _client()
    for _ in range(3):
        assert _attempt(client).status_code == 200
    response = _attempt(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert TOO_MANY_ATTEMPTS in html
    assert "Too Many Requests" not in html
    # Another address is not refused.
    assert _attempt(_client("198.51.100.20")).status_code == 200


def test_behind_the_proxy_each_client_address_is_counted_apart(root, settings):
    settings.PORTAL_LOGIN_ADDRESS_LIMITS = {**settings.PORTAL_LOGIN_ADDRESS_LIMITS, "attempts": "2/5m"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(2):
        assert _attempt(first).status_code == 200
    assert _attempt(first).status_code == 429
    # Another client behind the same proxy has its own count.
    assert _attempt(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")).status_code == 200
    # A client cannot reset its count by forging an X-Forwarded-For of its own: the proxy appends the
    # address it saw, and that last entry is the one counted.
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert _attempt(forged).status_code == 429
