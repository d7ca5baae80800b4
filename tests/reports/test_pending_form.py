"""Figures posted after a session ran out are kept only for the user whose session it was."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.urls import reverse

from core.models import PendingForm
from core.services import (
    LAST_USER_COOKIE,
    PENDING_FORM_MAX_FIELDS,
    PENDING_FORMS_PER_USER,
    last_user_marker_make,
    pending_form_stash,
)
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
FORM = reverse("reports:form", kwargs={"code": "P1.X1", "period": dt.date(2026, 5, 1)})


def _figures(**overrides):
    data = {"version": "0", "ky_so-numerator": "77", "ky_so-denominator": "100", "ky_so-note": "",
            "so_hoa-numerator": "500", "so_hoa-denominator": "1000", "so_hoa-note": "", "moc-done": "no",
            "moc-note": "", "save": "1"}
    data.update(overrides)
    return data


def _expired_session_of(client, user) -> None:
    """The user worked here, then the server forgot the session; the browser keeps its other cookies."""
    client.force_login(user)
    client.get(FORM)
    assert client.cookies[LAST_USER_COOKIE].value
    client.cookies.pop(settings.SESSION_COOKIE_NAME)


def _next(response) -> str:
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def test_an_anonymous_post_keeps_nothing(client, world):
    next_url = _next(client.post(FORM, _figures()))
    assert "restore" not in next_url
    assert not PendingForm.objects.exists()


@pytest.mark.parametrize("marker", [
    "garbage",
    signing.dumps(1, salt="another.salt"),
    signing.dumps(1, salt="core.pending_form.last_user", key="not-the-secret-key"),
])
def test_a_forged_marker_keeps_nothing(client, world, marker):
    client.cookies[LAST_USER_COOKIE] = marker
    assert "restore" not in _next(client.post(FORM, _figures()))
    assert not PendingForm.objects.exists()


def test_figures_come_back_only_to_the_user_whose_session_ran_out(client, world):
    _expired_session_of(client, world.clerk)
    restore_url = _next(client.post(FORM, _figures()))
    assert restore_url.startswith(FORM + "?restore=")
    assert PendingForm.objects.get().user == world.clerk

    # Another clerk of the same unit who follows the link gets an empty form, and the copy stays for its owner.
    colleague = MembershipFactory(unit=world.ward, role=Membership.Role.CLERK).user
    client.force_login(colleague)
    html = client.get(restore_url).content.decode()
    assert 'value="77"' not in html and "Phiên làm việc đã hết hạn" not in html
    assert PendingForm.objects.count() == 1

    client.force_login(world.clerk)
    html = client.get(restore_url).content.decode()
    assert 'value="77"' in html and "Phiên làm việc đã hết hạn" in html
    assert not PendingForm.objects.exists()


def test_a_marker_names_its_user_and_no_one_else(client, world):
    """A marker signed for the attacker's own account keeps the figures for the attacker only."""
    attacker = MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user
    client.cookies[LAST_USER_COOKIE] = last_user_marker_make(user=attacker)
    restore_url = _next(client.post(FORM, _figures(**{"ky_so-numerator": "13"})))
    assert PendingForm.objects.get().user == attacker
    client.force_login(world.clerk)
    html = client.get(restore_url).content.decode()
    assert "Phiên làm việc đã hết hạn" not in html and 'value="13"' not in html


def test_logging_out_on_purpose_keeps_nothing_posted_afterwards(client, world):
    client.force_login(world.clerk)
    client.get(FORM)
    client.post(reverse("account_logout"))
    assert not client.cookies[LAST_USER_COOKIE].value  # deleted
    assert "restore" not in _next(client.post(FORM, _figures()))
    assert not PendingForm.objects.exists()


def test_an_old_marker_keeps_nothing(client, world, settings):
    _expired_session_of(client, world.clerk)
    settings.SESSION_COOKIE_AGE = -2 * 24 * 3600  # the marker is now older than any session could last
    assert "restore" not in _next(client.post(FORM, _figures()))
    assert not PendingForm.objects.exists()


def test_oversized_posts_are_not_kept(client, world):
    _expired_session_of(client, world.clerk)
    assert "restore" not in _next(client.post(FORM, _figures(**{"ky_so-note": "x" * 70_000})))
    many = {f"field-{n}": "1" for n in range(PENDING_FORM_MAX_FIELDS + 1)}
    assert "restore" not in _next(client.post(FORM, _figures(**many)))
    assert not PendingForm.objects.exists()


def test_a_user_has_only_a_few_forms_waiting(client, world):
    _expired_session_of(client, world.clerk)
    for n in range(PENDING_FORMS_PER_USER + 3):
        _next(client.post(FORM, _figures(**{"ky_so-numerator": str(n)})))
    kept = PendingForm.objects.filter(user=world.clerk)
    assert kept.count() == PENDING_FORMS_PER_USER
    # The newest figures are the ones kept.
    assert str(PENDING_FORMS_PER_USER + 2) in {row.data["ky_so-numerator"][0] for row in kept}


def test_an_overlong_unit_code_is_no_page(client, world):
    _expired_session_of(client, world.clerk)
    url = f"/reports/{'A' * 400}/2026-05/"
    assert client.post(url, _figures()).status_code == 404
    assert not PendingForm.objects.exists()
    client.force_login(world.clerk)
    assert client.get(url).status_code == 404
    assert client.get(f"/reports/{'A' * 400}/2026-05/template.xlsx").status_code == 404


def test_a_body_without_a_declared_length_is_measured_too(world):
    data = QueryDict(mutable=True)
    data["ky_so-note"] = "x" * 70_000
    assert pending_form_stash(path=FORM, data=data, user_id=world.clerk.pk, size=0) is None
    data["ky_so-note"] = "Số liệu quý"
    assert pending_form_stash(path=FORM, data=data, user_id=world.clerk.pk, size=0)
    assert PendingForm.objects.get().data == {"ky_so-note": ["Số liệu quý"]}
