"""The reviewer's side of the round, on a phone (390×844) and a desktop (1366×768): the reviewer sees evidence
and targets, returns with a reason beside an indicator; the clerk is notified, sees the reason, resubmits; the
reviewer approves from the queue in bulk after confirming."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from reports.models import Report
from reports.services import ValueInput, evidence_attach, report_approve, report_save, report_submit
from tests.browser.conftest import ARTIFACTS
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
APR, MAY = dt.date(2026, 4, 1), dt.date(2026, 5, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def review_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy phường Một")
    other = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X2", name="Đảng ủy phường Hai")
    plan = PlanFactory(issuer=province)
    signed = IndicatorFactory(code="ky_so", name="Tỷ lệ văn bản được ký số")
    TargetFactory(plan=plan, indicator=signed, value=100)
    clerk = UserFactory(username="vanthu", first_name="Văn thư")
    MembershipFactory(user=clerk, unit=ward, role=Membership.Role.CLERK)
    other_clerk = UserFactory(username="vanthu2")
    MembershipFactory(user=other_clerk, unit=other, role=Membership.Role.CLERK)
    reviewer = UserFactory(username="vanphong", first_name="Văn phòng")
    MembershipFactory(user=reviewer, unit=province, role=Membership.Role.REVIEWER)

    def submit(unit, by, period, numerator, version=0):
        return report_save(unit=unit, period=period, by=by, version=version, submit=True,
                           values=[ValueInput(signed.pk, numerator=numerator, denominator=1000)])

    report_approve(report=submit(ward, clerk, APR, 700), by=reviewer)
    draft = report_save(unit=ward, period=MAY, by=clerk, version=0,
                        values=[ValueInput(signed.pk, numerator=800, denominator=1000)])
    evidence_attach(report=draft, indicator_id=signed.pk, by=clerk, upload=SimpleUploadedFile("so-ky-so.pdf", PDF))
    may = report_submit(report=draft, by=clerk, version=draft.version)
    submit(other, other_clerk, MAY, 900)  # a clean report in the same queue
    return may


def _login(browser, live_server, username, viewport):
    page = browser.new_context(locale="vi-VN", viewport=viewport).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_review_return_notify_resubmit_and_bulk_approve(browser, live_server, review_world, device):
    viewport = VIEWPORTS[device]
    report = review_world
    reviewer = _login(browser, live_server, "vanphong", viewport)
    assert reviewer.locator(".bell .badge").inner_text() == "3"  # April's submission, and the two of May

    reviewer.goto(f"{live_server.url}/reports/{report.pk}/")
    row = reviewer.locator("tr[data-indicator=ky_so]")
    assert "800 / 1.000" in row.inner_text() and "80%" in row.inner_text()  # 800 × 100 / 1.000 = 80%
    assert "Mục tiêu Năm 2026: ≥ 100%" in row.inner_text()
    assert "700 / 1.000 (70%)" in row.inner_text()  # April, the last approved month: 700 × 100 / 1.000 = 70%
    assert row.locator("a", has_text="so-ky-so.pdf").get_attribute("href").startswith("/reports/evidence/")
    assert _fits(reviewer)
    reviewer.screenshot(path=str(ARTIFACTS / f"review-{device}.png"), full_page=True)

    reviewer.fill("textarea[name=reason-ky_so]", "Số văn bản ký số chưa khớp sổ theo dõi")
    reviewer.click("button[value=return]")
    reviewer.wait_for_load_state()
    assert "Đã trả báo cáo về đơn vị." in reviewer.content()
    assert "Tỷ lệ văn bản được ký số: Số văn bản ký số chưa khớp sổ theo dõi" in reviewer.content()

    clerk = _login(browser, live_server, "vanthu", viewport)
    assert clerk.locator(".bell .badge").inner_text() == "2"  # April approved, May returned
    clerk.click(".bell")
    clerk.wait_for_load_state()
    assert "bị trả lại để chỉnh sửa" in clerk.content()
    assert "Tỷ lệ văn bản được ký số: Số văn bản ký số chưa khớp sổ theo dõi" in clerk.content()
    assert _fits(clerk)
    if device == "phone":
        clerk.screenshot(path=str(ARTIFACTS / "notifications.png"), full_page=True)
    clerk.locator(".notification.unread button.link").first.click()  # opens the form, marks it read
    clerk.wait_for_load_state()
    assert "/reports/P1.X1/2026-05/" in clerk.url
    assert "Người duyệt: Số văn bản ký số chưa khớp sổ theo dõi" in clerk.content()
    clerk.fill("input[name='ky_so-numerator']", "850")
    clerk.fill("textarea[name='ky_so-note']", "Bổ sung 50 văn bản ký ngày 31/05")
    clerk.click("button[name=submit]")
    clerk.wait_for_load_state()
    assert "Đã nộp báo cáo." in clerk.content()

    reviewer.goto(f"{live_server.url}/reports/review/")
    assert reviewer.locator("tbody tr").count() == 2
    if device == "desktop":
        reviewer.check("input.pick-all")  # one box chooses every report of the queue
    else:
        reviewer.check("input[name=report] >> nth=0")
        reviewer.check("input[name=report] >> nth=1")
    assert reviewer.locator("input[name=report]:checked").count() == 2
    if device == "desktop":
        reviewer.screenshot(path=str(ARTIFACTS / "queue-bulk.png"), full_page=True)
    reviewer.click("text=Duyệt các báo cáo đã chọn…")
    reviewer.wait_for_load_state()
    assert "Duyệt 2 báo cáo này?" in reviewer.content()
    reviewer.click("button:has-text('Đồng ý duyệt')")
    reviewer.wait_for_load_state()
    assert "Đã duyệt 2 báo cáo" in reviewer.content()
    assert _fits(reviewer)
    if device == "desktop":
        reviewer.screenshot(path=str(ARTIFACTS / "queue-bulk-done.png"), full_page=True)
    assert set(Report.objects.filter(period=MAY).values_list("status", flat=True)) == {Report.Status.APPROVED}
    assert Notification.objects.filter(recipient__username="vanthu", kind=Notification.Kind.APPROVED,
                                       title__contains="05/2026").count() == 1
