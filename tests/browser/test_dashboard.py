import pytest

from compliance.models import ComplianceResult
from compliance.services import compliance_compute
from core.formatting import percent_format
from tests.browser.conftest import login
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_drills_down_two_levels_and_opens_a_chart(browser, live_server, tree, shot):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.c1, {tree.signed: (3, 4), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    reviewer = UserFactory(username="vanphong")
    MembershipFactory(user=reviewer, unit=tree.province, role=Membership.Role.REVIEWER)

    page = login(browser, live_server, "vanphong")
    page.goto(f"{live_server.url}/dashboard/?period=2026-10")
    shot(page, "10-dashboard-province")
    table = page.locator("table.scorecard")
    total = ComplianceResult.objects.get(run__is_current=True, unit=tree.province, indicator=tree.signed)
    assert str(total.sub_value) == "79.25"  # (80 + 3 + 1) / (100 + 4 + 2) = 84 / 106
    assert "79,3%" in table.locator("tfoot").inner_text()

    table.get_by_role("link", name=tree.w1.name).click()
    page.wait_for_load_state()
    assert page.locator("nav.crumbs").inner_text().startswith(tree.province.name)
    ward = ComplianceResult.objects.get(run__is_current=True, unit=tree.w1, indicator=tree.signed)
    assert percent_format(ward.sub_value) in page.locator("table.scorecard tfoot").inner_text()
    shot(page, "11-dashboard-ward")

    page.locator("table.scorecard").get_by_role("link", name=tree.c1.name).click()
    page.wait_for_load_state()
    assert "Không có đơn vị trực thuộc." in page.content()
    cell = ComplianceResult.objects.get(run__is_current=True, unit=tree.c1, indicator=tree.signed)
    assert "75%" in page.locator("table.scorecard tfoot").inner_text() and cell.sub_value == 75
    shot(page, "12-dashboard-cell")

    page.goto(f"{live_server.url}/dashboard/?unit={tree.province.code}&period=2026-10")
    page.locator("table.scorecard thead").get_by_role("link", name=tree.signed.name).click()
    page.wait_for_load_state()
    page.wait_for_function("() => window.Chart && Chart.getChart('trend')")
    points = page.evaluate("() => Chart.getChart('trend').data.datasets[0].data")
    assert points == [pytest.approx(float(total.sub_value))]
    shot(page, "13-indicator-chart")
