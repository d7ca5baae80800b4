"""Every error answers a Vietnamese page with the right status; the refused-form page tells a clerk their
typed figures are kept; every page carries a content security policy without inline scripts or styles."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, unit_make
from units.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


def _page(response) -> str:
    html = response.content.decode()
    assert '<html lang="vi">' in html
    return html


@pytest.mark.parametrize(("path", "status", "heading"), [
    ("/fails/400/", 400, "Yêu cầu không hợp lệ"),
    ("/fails/403/", 403, "Không có quyền truy cập"),
    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
    ("/fails/500/", 500, "Lỗi máy chủ"),
])
def test_error_pages_are_vietnamese(client, path, status, heading):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == status
    html = _page(response)
    assert f"<h1>{heading}</h1>" in html
    assert "Not Found" not in html and "Server Error" not in html and "Forbidden" not in html


def test_the_server_error_page_needs_no_database(client, django_assert_num_queries):
    # A 500 is often the database failing: the page must render without asking it anything.
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/fails/500/")
    assert response.status_code == 500
    assert "Những gì đã lưu trước đó vẫn được giữ nguyên" in _page(response)


def test_a_missing_page_for_a_signed_in_clerk_keeps_the_portal_frame(client, root):
    clerk = MembershipFactory(unit=unit_make(parent=root), role=Membership.Role.CLERK).user
    client.force_login(clerk)
    html = _page(client.get("/khong-co-trang-nay/"))
    assert "Không tìm thấy trang" in html
    assert reverse("reports:mine") in html  # the navigation is there to carry on from


def test_a_refused_form_tells_the_clerk_the_figures_are_kept_and_how_to_log_in(root):
    unit = unit_make(parent=root)
    clerk = MembershipFactory(unit=unit, role=Membership.Role.CLERK).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    form_url = reverse("reports:form", kwargs={"code": unit.code, "period": dt.date(2026, 5, 1)})
    # The session ended while the form was open: the token it carries no longer matches.
    response = client.post(form_url, {"csrfmiddlewaretoken": "x" * 64, "version": "0"})
    assert response.status_code == 403
    html = _page(response)
    assert "Biểu mẫu chưa được chấp nhận" in html
    assert "vẫn được giữ trong trình duyệt này" in html
    login_link = re.search(r'<a href="([^"]+)">Đăng nhập lại</a>', html)
    assert login_link, html
    assert login_link.group(1).startswith(reverse("account_login") + "?next=")
    assert "%2Freports%2F" in login_link.group(1)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/khong-co-trang-nay/"])
def test_pages_carry_a_content_security_policy_without_inline_code(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    # The policy would block these in the browser: no page may rely on them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html


def test_the_clerks_form_and_the_dashboard_work_under_the_policy(client, root):
    unit = unit_make(parent=root)
    reviewer = MembershipFactory(unit=unit, role=Membership.Role.REVIEWER).user
    clerk = MembershipFactory(unit=unit, role=Membership.Role.CLERK).user
    for user, path in [(reviewer, reverse("compliance:dashboard")), (clerk, reverse("reports:mine"))]:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
