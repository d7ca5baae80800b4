"""axe-core (vendored under static/vendor/axe-core for these tests) on the form, the review page and the dashboard,
on a phone and a desktop: no serious or critical violation."""

import datetime as dt

import pytest

from compliance.services import compliance_compute
from reports.models import Report, ReportValue
from tests.browser.conftest import ARTIFACTS
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
SEP = dt.date(2026, 9, 1)


@pytest.fixture
def a11y_world():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy phường Một",
                     opened_on=dt.date(2025, 7, 1))
    plan = PlanFactory(issuer=province, source_text="Kế hoạch thử")
    signed = IndicatorFactory(code="ky_so", name="Tỷ lệ văn bản được ký số")
    TargetFactory(plan=plan, indicator=signed, value=100)
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="so_hoa", name="Tỷ lệ hồ sơ được số hóa"),
                  comparator="range", value=30, value_max=40)
    MembershipFactory(user=UserFactory(username="vanthu"), unit=ward, role=Membership.Role.CLERK)
    MembershipFactory(user=UserFactory(username="vanphong"), unit=province, role=Membership.Role.REVIEWER)
    report = Report.objects.create(unit=ward, period=SEP, status=Report.Status.SUBMITTED,
                                   due_on=dt.date(2026, 10, 20))
    ReportValue.objects.create(report=report, indicator=signed, numerator=8, denominator=10)
    approved = Report.objects.create(unit=ward, period=dt.date(2026, 8, 1), status=Report.Status.APPROVED,
                                     due_on=dt.date(2026, 9, 20))
    ReportValue.objects.create(report=approved, indicator=signed, numerator=7, denominator=10)
    compliance_compute(period=dt.date(2026, 8, 1))
    return report


def _serious(browser, live_server, username: str, path: str, viewport: str, name: str) -> list[str]:
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{path}")
    # Loaded from the portal itself, as the content security policy allows.
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{viewport}.png"), full_page=True)
    context.close()
    return violations


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_form_has_no_serious_violation(browser, live_server, a11y_world, viewport):
    assert _serious(browser, live_server, "vanthu", "/reports/P1.X1/2026-10/", viewport, "form") == []
    assert _serious(browser, live_server, "vanthu", "/reports/", viewport, "mine") == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_review_page_has_no_serious_violation(browser, live_server, a11y_world, viewport):
    assert _serious(browser, live_server, "vanphong", f"/reports/{a11y_world.pk}/", viewport, "review") == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_dashboard_has_no_serious_violation(browser, live_server, a11y_world, viewport):
    assert _serious(browser, live_server, "vanphong", "/dashboard/?period=08/2026", viewport, "dashboard") == []


def test_a_skip_link_leads_past_the_header(browser, live_server, a11y_world):
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible() and skip.inner_text() == "Bỏ qua, đến nội dung chính"
    # The focus ring is drawn (3 px) on whatever has the keyboard's focus.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


CONTRAST = """() => {
    const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    const lum = c => { const [r, g, b] = rgb(c).map(v => v / 255).map(
        v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const background = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
    return Array.from(document.querySelectorAll('.legend .st, td.cell b')).map(e => ({
        symbol: e.textContent.trim(), cls: e.closest('[class*=st-]').className,
        ratio: Math.round(ratio(getComputedStyle(e).color, background(e)) * 100) / 100}));
}"""


def test_status_symbols_stand_out_at_4_5_to_1(browser, live_server, a11y_world):
    # axe does not judge symbols (they are images to it): measured here, each symbol's colour against what is
    # behind it. Before, white on the palette's orange was 2.25:1 and on its vermilion 3.87:1.
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "vanphong")
    page.fill("input[name=password]", "pw-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/dashboard/?period=08/2026")
    symbols = page.evaluate(CONTRAST)
    assert len(symbols) >= 9 + 2  # the legend's symbols and the cells'
    assert [s for s in symbols if s["ratio"] < 4.5] == []
