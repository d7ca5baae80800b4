import pytest

from reports.models import Report
from tests.browser.conftest import login
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_world():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy phường Một")
    plan = PlanFactory(issuer=province)
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="ky_so", name="Tỷ lệ văn bản được ký số"), value=100)
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="so_hoa", name="Tỷ lệ hồ sơ được số hóa"),
                  comparator="range", value=30, value_max=40)
    clerk = UserFactory(username="vanthu", first_name="Văn thư")
    MembershipFactory(user=clerk, unit=ward, role=Membership.Role.CLERK)
    reviewer = UserFactory(username="vanphong", first_name="Văn phòng")
    MembershipFactory(user=reviewer, unit=province, role=Membership.Role.REVIEWER)
    return ward


def _fill(page, code: str, numerator: str, denominator: str) -> None:
    page.fill(f"input[name='{code}-numerator']", numerator)
    page.fill(f"input[name='{code}-denominator']", denominator)


def test_clerk_submits_reviewer_returns_clerk_resubmits_reviewer_approves(browser, live_server, round_world, shot):
    clerk = login(browser, live_server, "vanthu")
    clerk.goto(f"{live_server.url}/reports/P1.X1/2026-05/")
    assert "Mục tiêu Năm 2026: 30 – 40%" in clerk.content()

    # A word in a number field is refused on the field, and what was typed stays.
    _fill(clerk, "ky_so", "tám", "10")
    _fill(clerk, "so_hoa", "35", "100")
    clerk.click("button[name=save]")
    clerk.wait_for_load_state()
    shot(clerk, "01-clerk-validation-error")
    assert "“tám” không phải là số" in clerk.content()
    assert clerk.input_value("input[name='ky_so-numerator']") == "tám"
    assert not Report.objects.exists()

    # Corrected; the percentage follows the typing.
    _fill(clerk, "ky_so", "1.234", "2.000")
    clerk.locator("tr[data-indicator=ky_so] .percent").filter(has_text="61,7%").wait_for()
    shot(clerk, "02-clerk-corrected")
    clerk.click("button[name=submit]")
    clerk.wait_for_load_state()
    assert "Đã nộp báo cáo." in clerk.content()
    report = Report.objects.get()
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(indicator__code="ky_so").numerator == 1234

    reviewer = login(browser, live_server, "vanphong")
    reviewer.goto(f"{live_server.url}/reports/review/")
    reviewer.click("text=Đảng ủy phường Một")
    reviewer.fill("textarea[name=reason]", "Số văn bản ký số chưa khớp sổ theo dõi")
    reviewer.click("button[value=return]")
    reviewer.wait_for_load_state()
    shot(reviewer, "03-reviewer-returned")
    assert "Đã trả báo cáo về đơn vị." in reviewer.content()

    clerk.goto(f"{live_server.url}/reports/P1.X1/2026-05/")
    assert "Số văn bản ký số chưa khớp sổ theo dõi" in clerk.content()
    shot(clerk, "04-clerk-sees-reason")
    _fill(clerk, "ky_so", "1.500", "2.000")
    clerk.click("button[name=submit]")
    clerk.wait_for_load_state()
    assert "Đã nộp báo cáo." in clerk.content()

    reviewer.goto(f"{live_server.url}/reports/{report.pk}/")
    assert "tử số: 1.234 → 1.500" in reviewer.content()
    reviewer.click("details.confirm summary")  # approving asks for confirmation first
    reviewer.click("button[value=approve]")
    reviewer.wait_for_load_state()
    shot(reviewer, "05-reviewer-approved")
    assert "Đã duyệt báo cáo." in reviewer.content()
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report.submissions.count() == 2
