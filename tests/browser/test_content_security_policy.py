"""The pages with scripts (dashboard filters through htmx, the Chart.js trend, the clerk's form) work in a
real browser under the content security policy, and the browser reports no blocked script or style."""

import pytest

from compliance.services import compliance_compute
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_pages_with_scripts_run_under_the_policy(browser, live_server, tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    reviewer = UserFactory(username="vanphong")
    MembershipFactory(user=reviewer, unit=tree.province, role=Membership.Role.REVIEWER)
    clerk = UserFactory(username="vanthu")
    MembershipFactory(user=clerk, unit=tree.w2, role=Membership.Role.CLERK)

    blocked: list[str] = []
    context = browser.new_context(locale="vi-VN")
    context.on("console", lambda message: blocked.append(message.text)
               if "Content Security Policy" in message.text else None)
    page = context.new_page()

    _log_in(page, live_server, "vanphong")
    page.goto(f"{live_server.url}/dashboard/?unit={tree.province.code}&period=2026-10")
    # The filters reload the board through htmx without leaving the page.
    page.fill("input[name=period]", "2026-Q4")
    page.dispatch_event("input[name=period]", "change")
    page.wait_for_url("**period=2026-Q4**")
    page.goto(f"{live_server.url}/dashboard/?unit={tree.province.code}&period=2026-10")
    page.locator("table.scorecard thead").get_by_role("link", name=tree.signed.name).click()
    page.wait_for_load_state()
    page.wait_for_function("() => window.Chart && Chart.getChart('trend')")

    context.clear_cookies()
    _log_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/reports/{tree.w2.code}/2026-10/")
    page.fill(f"input[name='{tree.signed.code}-numerator']", "1.234")
    page.fill(f"input[name='{tree.signed.code}-denominator']", "2.000")
    # The form's script computes the percentage as the clerk types.
    page.locator(f"tr[data-indicator={tree.signed.code}] .percent").filter(has_text="61,7%").wait_for()

    assert blocked == []
    # The listener does hear the browser: an inline style added now is blocked and reported.
    page.evaluate("document.head.appendChild(Object.assign(document.createElement('style'), {textContent: 'p {}'}))")
    page.wait_for_timeout(200)
    assert blocked and "style-src" in blocked[0]
    context.close()


def test_the_api_docs_render_under_the_policy(browser, live_server, django_user_model):
    django_user_model.objects.create_user("quantri", password="pw-test-2026", is_staff=True)
    blocked: list[str] = []
    context = browser.new_context(locale="vi-VN")
    context.on("console", lambda message: blocked.append(message.text)
               if "Content Security Policy" in message.text else None)
    page = context.new_page()
    _log_in(page, live_server, "quantri")
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI draws the API's title and its operations from the schema.
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()
    assert blocked == []
    context.close()
