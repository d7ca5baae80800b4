import pytest

from compliance.models import ComplianceResult
from compliance.services import compliance_compute
from core.formatting import percent_format
from tests.browser.conftest import ARTIFACTS, login
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


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_unit_column_and_the_header_stay_in_view_while_scrolling(browser, live_server, tree, shot, width, height):
    from plans.models import Plan
    from tests.factories import IndicatorFactory, TargetFactory, unit_make
    from units.models import UnitKind

    plan = Plan.objects.get(issuer=tree.province)
    more = [IndicatorFactory(code=f"them_{n}") for n in range(14)]  # columns enough to scroll sideways
    for indicator in more:
        TargetFactory(plan=plan, indicator=indicator, value=90, applies_to_kinds=["ward"])
    for number in range(40):  # rows enough to scroll down at either size
        ward = unit_make(parent=tree.province, kind=UnitKind.WARD, code=f"P.X{number:02d}",
                         name=f"Phường có tên khá dài số {number:02d}", opened_on=tree.w1.opened_on)
        report(ward, {tree.signed: (number, 40), tree.ai: number % 3 == 0,
                      **{indicator: (number, 40) for indicator in more}})
    # The overdue list holds a unit named as the demo's are, with a clerk to remind.
    tree.c1.name = "Chi bộ khu phố 1 – Đảng ủy phường Biên Hòa"
    tree.c1.save()
    MembershipFactory(unit=tree.c1, role=Membership.Role.CLERK, user__email="vanthu.khupho1@example.vn")
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    MembershipFactory(user=UserFactory(username="vanphong"), unit=tree.province, role=Membership.Role.REVIEWER)

    page = login(browser, live_server, "vanphong")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/dashboard/?period=2026-10&all=1")
    # The page itself never scrolls sideways, the overdue list (C1 never reported) included: only the box does.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    box = page.locator(".scorecard-box")
    first = page.locator("table.scorecard tbody tr:nth-child(30) th")
    header = page.locator("table.scorecard thead tr:first-child th:first-child")
    box.evaluate("el => el.scrollIntoView()")
    frame = box.bounding_box()
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight / 2; }")
    assert box.evaluate("el => el.scrollTop") > 0  # the box did scroll down
    assert box.evaluate("el => el.scrollLeft") > 0  # and sideways
    page.wait_for_timeout(100)
    cell, head = first.bounding_box(), header.bounding_box()
    # The unit column is pinned to the box's left edge and the header to its top, whatever was scrolled.
    assert cell["x"] == pytest.approx(frame["x"], abs=2) and cell["x"] + cell["width"] <= width
    assert head["y"] == pytest.approx(frame["y"], abs=2) and head["x"] == pytest.approx(frame["x"], abs=2)
    assert frame["y"] <= cell["y"] <= frame["y"] + frame["height"]  # the 30th row is in the box, below the header
    assert page.locator("table.scorecard tbody tr:nth-child(30) th").inner_text().startswith("Phường")
    page.screenshot(path=str(ARTIFACTS / f"14-dashboard-sticky-{width}.png"))  # the viewport, as scrolled


def test_the_behind_filter_and_the_collapsed_units_work_in_the_browser(browser, live_server, tree, shot):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})  # Có nguy cơ, Đạt: not behind
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})  # Chậm, Chậm
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    MembershipFactory(user=UserFactory(username="vanphong"), unit=tree.province, role=Membership.Role.REVIEWER)

    page = login(browser, live_server, "vanphong")
    page.goto(f"{live_server.url}/dashboard/?period=2026-10")
    rows = page.locator("table.scorecard tbody th[scope=row] a:first-child")
    assert rows.all_inner_texts() == [tree.w1.name, tree.w2.name]
    details = page.locator("details.untargeted")
    assert details.locator("summary").inner_text() == "2 đơn vị chưa có chỉ tiêu"  # P.OLD closed, P.NEW not open
    assert not details.get_by_role("link", name=tree.closed.name).is_visible()
    details.locator("summary").click()
    details.get_by_role("link", name=tree.closed.name).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/dashboard/unit/{tree.closed.code}/?period=2026-10")

    page.goto(f"{live_server.url}/dashboard/?period=2026-10")
    page.get_by_label("Chỉ đơn vị chậm").check()  # htmx fetches the scorecard and puts the filter in the address
    page.wait_for_url("**behind=1**")
    page.wait_for_function("() => document.querySelectorAll('table.scorecard tbody th[scope=row]').length === 1")
    assert rows.all_inner_texts() == [tree.w2.name]
    shot(page, "15-dashboard-only-behind")


def test_on_a_phone_the_gzip_page_shows_the_board_the_panels_and_sends_a_reminder(browser, live_server, tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    MembershipFactory(unit=tree.c1, role=Membership.Role.CLERK, user__email="vanthu.c1@example.vn")
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    MembershipFactory(user=UserFactory(username="vanphong"), unit=tree.province, role=Membership.Role.REVIEWER)

    page = login(browser, live_server, "vanphong")
    page.set_viewport_size({"width": 390, "height": 844})
    for _ in range(2):  # built, then served from the cache: the stored board stitched into the gzip response
        response = page.goto(f"{live_server.url}/dashboard/?period=2026-10")
        assert response.headers.get("content-encoding") == "gzip"
        # The province's total: (80 + 1) / (100 + 2) = 79,41%.
        assert "79,4%" in page.locator("table.scorecard tfoot").inner_text()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # The tasks panel and the plan checks come after the page, for this person.
    page.locator("section.tasks-panel").wait_for()
    # C1 never reported (the list is open, under 15 units): its reminder button posts the form after the board,
    # with this person's CSRF token.
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi nhắc nhở").click()
    assert "Đã gửi nhắc nhở" in page.locator("ul.messages").inner_text()
    page.screenshot(path=str(ARTIFACTS / "16-dashboard-phone-reminder.png"), full_page=True)
