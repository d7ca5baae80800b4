"""The monthly form on a 390 × 844 phone and a 1366 × 768 desktop, measured as a clerk would meet it.

Screenshots: form-phone-after.png, form-phone-errors.png, form-phone-submitted.png, form-desktop-after.png,
mine-phone-after.png (the "-before" ones were taken from the form as it was, with the same data).
"""

import datetime as dt

import pytest

from reports.models import Evidence, Report
from targets.models import Measure, Rollup
from tests.browser.conftest import ARTIFACTS
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = "/reports/P1.X1/2026-09/"
COUNTS = [f"chi_tieu_{n:02d}" for n in range(11)]


@pytest.fixture
def phone_world():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    commune = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy xã Lộc Ninh",
                        opened_on=dt.date(2025, 7, 1))
    plan = PlanFactory(issuer=province, source_text="Kế hoạch thử", report_due_day=20)
    for code in COUNTS:
        TargetFactory(plan=plan, indicator=IndicatorFactory(
            code=code, name=f"Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng ({code})"))
    TargetFactory(plan=plan, indicator=IndicatorFactory(
        code="so_tay", name="Triển khai Sổ tay đảng viên điện tử", measure=Measure.MILESTONE,
        rollup=Rollup.UNIT_SHARE, numerator_label="", denominator_label=""))
    clerk = UserFactory(username="vanthu", first_name="Văn thư")
    MembershipFactory(user=clerk, unit=commune, role=Membership.Role.CLERK)
    return commune


def _login(browser, live_server, viewport):
    context = browser.new_context(locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "vanthu")
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))  # what the clerk sees first


def _page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_the_form_fits_a_phone_with_big_enough_inputs(browser, live_server, phone_world):
    page = _login(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{FORM}")
    _shot(page, "form-phone-after")
    assert _page_width(page) <= 390  # before: 1,091 px with 47 of 51 inputs off the right edge
    page.set_viewport_size({"width": 360, "height": 740})
    assert _page_width(page) <= 360
    page.set_viewport_size(PHONE)

    # One card per indicator: the name, target, last month, inputs and note one under another, in the screen.
    card = page.locator("tr[data-indicator=chi_tieu_00]")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    inputs = card.locator("input.count")
    assert inputs.nth(0).bounding_box()["y"] < inputs.nth(1).bounding_box()["y"]  # stacked, not side by side
    assert "Mục tiêu Năm 2026: ≥ 100%" in card.inner_text()

    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#report-form input:not([type=hidden]), #report-form select, #report-form textarea, #report-form button'
    )).map(e => ({name: e.name, font: getComputedStyle(e).fontSize, height: e.getBoundingClientRect().height,
                   width: e.getBoundingClientRect().width, right: e.getBoundingClientRect().right}))""")
    assert len(sizes) == 11 * 4 + 3 + 2  # 11 × (2 counts, note, file) + done, note, file + save, submit
    assert {s["font"] for s in sizes} == {"16px"}  # a phone zooms into anything smaller
    assert min(s["height"] for s in sizes) >= 44, [s for s in sizes if s["height"] < 44]
    assert max(s["right"] for s in sizes) <= 390

    progress = page.locator("#progress")
    assert progress.inner_text() == "0/12 chỉ tiêu đã nhập"
    page.fill("input[name='chi_tieu_00-numerator']", "12")
    assert progress.inner_text() == "0/12 chỉ tiêu đã nhập"  # one of two counts is not an entered indicator
    page.fill("input[name='chi_tieu_00-denominator']", "40")
    page.select_option("select[name='so_tay-done']", "yes")
    assert progress.inner_text() == "2/12 chỉ tiêu đã nhập"  # 12/40 and "done": two of the twelve


def test_a_refused_save_opens_on_a_summary_linking_to_each_field(browser, live_server, phone_world):
    page = _login(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{FORM}")
    page.fill("input[name='chi_tieu_03-numerator']", "tám")
    page.fill("input[name='chi_tieu_03-denominator']", "10")
    page.fill("input[name='chi_tieu_05-numerator']", "1,5")
    page.fill("input[name='chi_tieu_05-denominator']", "10")
    page.click("button[name=save]")
    page.wait_for_load_state()
    _shot(page, "form-phone-errors")

    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # read out first, at the top
    assert summary.bounding_box()["y"] < page.locator("#report-form").bounding_box()["y"]
    assert "Chưa lưu được: có 2 lỗi cần sửa" in summary.inner_text()
    links = summary.locator("a")
    assert links.count() == 2
    first = links.nth(0)
    assert first.get_attribute("href") == "#id_chi_tieu_03-numerator"
    assert "“tám” không phải là số" in first.inner_text()
    field = page.locator("#id_chi_tieu_03-numerator")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby")
    assert "“tám” không phải là số" in page.locator(f"#{described}").inner_text()
    first.click()
    assert page.evaluate("document.activeElement.id") == "id_chi_tieu_03-numerator"
    assert field.input_value() == "tám"  # what was typed stays
    assert not Report.objects.exists()


def test_a_file_is_attached_with_the_figures_typed_above_it(browser, live_server, phone_world, tmp_path):
    page = _login(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{FORM}")
    for code in COUNTS:
        page.fill(f"input[name='{code}-numerator']", "7")
        page.fill(f"input[name='{code}-denominator']", "10")
    page.select_option("select[name='so_tay-done']", "yes")
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(PDF)
    page.set_input_files("input[name='chi_tieu_01-evidence']", str(minutes))
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Đã lưu bản nháp." in page.content()
    report = Report.objects.get()
    assert report.values.count() == 12 and report.values.get(indicator__code="chi_tieu_10").numerator == 7
    evidence = Evidence.objects.get()
    assert (evidence.indicator.code, evidence.original_name) == ("chi_tieu_01", "bien-ban.pdf")
    card = page.locator("tr[data-indicator=chi_tieu_01]")
    assert "bien-ban.pdf" in card.locator("ul.evidence").inner_text()
    assert page.input_value("input[name='chi_tieu_10-numerator']") == "7"
    assert page.locator("#progress").inner_text() == "12/12 chỉ tiêu đã nhập"

    page.click("button[name=submit]")
    page.wait_for_load_state()
    _shot(page, "form-phone-submitted")
    assert "Đã nộp báo cáo." in page.content()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert page.locator("output#id_so_tay-done").inner_text() == "Hoàn thành"  # not "yes"


def test_the_desktop_keeps_the_table(browser, live_server, phone_world):
    page = _login(browser, live_server, DESKTOP)
    page.goto(f"{live_server.url}{FORM}")
    _shot(page, "form-desktop-after")
    assert _page_width(page) <= 1366
    header = page.locator("table.entry thead").first
    assert header.is_visible() and "Ghi chú và minh chứng" in header.inner_text()
    row = page.locator("tr[data-indicator=chi_tieu_00]")
    inputs = row.locator("input.count")
    # A row of the table: the name, the inputs and the note side by side.
    assert row.locator("th").bounding_box()["x"] < inputs.nth(0).bounding_box()["x"] < row.locator(
        "textarea").bounding_box()["x"]


def test_the_clerks_list_on_a_phone(browser, live_server, phone_world):
    page = _login(browser, live_server, PHONE)
    page.goto(f"{live_server.url}/reports/")
    _shot(page, "mine-phone-after")
    assert _page_width(page) <= 390
    assert "Hạn nộp" in page.content()


def test_the_form_prints_without_the_site_chrome(browser, live_server, phone_world):
    page = _login(browser, live_server, DESKTOP)
    page.goto(f"{live_server.url}{FORM}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator("#report-form .actions").is_visible()
    assert not page.locator("input[name='chi_tieu_00-evidence']").is_visible()
    assert page.locator("tr[data-indicator=chi_tieu_00]").is_visible()
    page.pdf(path=str(ARTIFACTS / "form-print.pdf"))


def test_the_header_links_are_big_enough_to_tap(browser, live_server, phone_world):
    page = _login(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{FORM}")
    heights = page.evaluate("""() => Array.from(
        document.querySelectorAll('.site-header nav a, .site-header nav button')
    ).map(e => e.getBoundingClientRect().height)""")
    assert heights and min(heights) >= 44
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
