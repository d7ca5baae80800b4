import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def phone_world():
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1", name="Tỉnh ủy Thử")
    commune = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1", name="Đảng ủy xã Lộc Ninh")
    plan = PlanFactory(issuer=province)
    for n in range(12):
        TargetFactory(plan=plan, indicator=IndicatorFactory(
            code=f"chi_tieu_{n:02d}", name=f"Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng số {n}"))
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


def test_before(browser, live_server, phone_world):
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _login(browser, live_server, viewport)
        page.goto(f"{live_server.url}/reports/P1.X1/2026-09/")
        page.screenshot(path=str(ARTIFACTS / f"form-{name}-before.png"), full_page=True)
        print(name, page.evaluate("document.scrollingElement.scrollWidth"))
        page.goto(f"{live_server.url}/reports/")
        page.screenshot(path=str(ARTIFACTS / f"mine-{name}-before.png"), full_page=True)
