"""The whole round with the clerk on a 390 × 844 phone and the reviewer at a 1366 × 768 desktop.

Screenshots: round-phone-1-entered, round-phone-2-submitted, round-desktop-3-returned, round-phone-4-reason,
round-phone-5-resubmitted, round-desktop-6-approved.
"""

import datetime as dt

import pytest

from reports.models import Evidence, Report
from tests.browser.conftest import ARTIFACTS
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def round_world():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    commune = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy xã Lộc Ninh",
                        opened_on=dt.date(2025, 7, 1))
    plan = PlanFactory(issuer=province, source_text="Kế hoạch thử")
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="ky_so", name="Tỷ lệ văn bản được ký số"), value=100)
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="so_hoa", name="Tỷ lệ hồ sơ được số hóa"),
                  comparator="range", value=30, value_max=40)
    MembershipFactory(user=UserFactory(username="vanthu"), unit=commune, role=Membership.Role.CLERK)
    MembershipFactory(user=UserFactory(username="vanphong"), unit=province, role=Membership.Role.REVIEWER)


def _login(browser, live_server, username, viewport):
    page = browser.new_context(locale="vi-VN", viewport=viewport).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_clerk_on_a_phone_and_a_reviewer_at_a_desk_do_the_round(browser, live_server, round_world, tmp_path):
    clerk = _login(browser, live_server, "vanthu", {"width": 390, "height": 844})
    clerk.goto(f"{live_server.url}/reports/")
    clerk.click("text=Tháng 10/2026")
    clerk.wait_for_load_state()
    clerk.fill("input[name='ky_so-numerator']", "1.234")
    clerk.fill("input[name='ky_so-denominator']", "2.000")
    clerk.fill("input[name='so_hoa-numerator']", "35")
    clerk.fill("input[name='so_hoa-denominator']", "100")
    clerk.locator("tr[data-indicator=ky_so] .percent").filter(has_text="61,7%").wait_for()  # 1234 / 2000 = 61,7%
    minutes = tmp_path / "so-theo-doi.pdf"
    minutes.write_bytes(PDF)
    clerk.set_input_files("input[name='ky_so-evidence']", str(minutes))
    assert clerk.locator("#progress").inner_text() == "2/2 chỉ tiêu đã nhập"
    _shot(clerk, "round-phone-1-entered")
    assert clerk.evaluate("document.scrollingElement.scrollWidth") <= 390
    clerk.click("button[name=submit]")
    clerk.wait_for_load_state()
    _shot(clerk, "round-phone-2-submitted")
    assert "Đã nộp báo cáo." in clerk.content()
    report = Report.objects.get()
    assert report.status == Report.Status.SUBMITTED and Evidence.objects.get().report == report

    reviewer = _login(browser, live_server, "vanphong", {"width": 1366, "height": 768})
    reviewer.goto(f"{live_server.url}/reports/review/")
    reviewer.click("text=Đảng ủy xã Lộc Ninh")
    reviewer.wait_for_load_state()
    reviewer.fill("textarea[name=reason]", "Số văn bản ký số chưa khớp sổ theo dõi")
    reviewer.fill("textarea[name='reason-ky_so']", "Sổ theo dõi ghi 1.500 văn bản ký số")
    reviewer.click("button[value=return]")
    reviewer.wait_for_load_state()
    _shot(reviewer, "round-desktop-3-returned")

    clerk.goto(f"{live_server.url}/reports/P1.X1/2026-10/")
    card = clerk.locator("tr[data-indicator=ky_so]")
    assert "Sổ theo dõi ghi 1.500 văn bản ký số" in card.inner_text()  # beside the indicator, in its card
    assert "so-theo-doi.pdf" in card.inner_text()
    _shot(clerk, "round-phone-4-reason")
    clerk.fill("input[name='ky_so-numerator']", "1.500")
    clerk.click("button[name=submit]")
    clerk.wait_for_load_state()
    _shot(clerk, "round-phone-5-resubmitted")
    assert "Đã nộp báo cáo." in clerk.content()

    reviewer.goto(f"{live_server.url}/reports/{report.pk}/")
    reviewer.click("details.confirm summary")  # approving asks for confirmation first
    reviewer.click("button[value=approve]")
    reviewer.wait_for_load_state()
    _shot(reviewer, "round-desktop-6-approved")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.submissions.count() == 2
    assert report.values.get(indicator__code="ky_so").numerator == 1500
