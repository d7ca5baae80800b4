"""In the browser, on a phone and on a desk: the province's office writes a commune's plan from the province's plan
and another commune's plan from its pasted text, issues both, and each plan's page shows the units it binds."""

import datetime as dt

import pytest

from core.periods import DueKind
from plans.models import Plan, PlanStatus, PlanTask
from targets.binding import targets_for_unit
from targets.models import Measure, Rollup
from tests.authoring.test_views import CLAUSE, DOCUMENT
from tests.browser.conftest import login
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def world(root):
    opened = dt.date(2025, 1, 1)
    province = unit_make(kind=UnitKind.PROVINCE, code="P", name="Tỉnh ủy P", opened_on=opened)
    x = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.X", name="Đảng ủy xã X", opened_on=opened)
    unit_make(parent=x, kind=UnitKind.CELL, code="P.X.S", name="Chi bộ trường X", opened_on=opened)
    y = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.Y", name="Đảng ủy xã Y", opened_on=opened)
    parent = PlanFactory(issuer=province, key="p-2026", number="1-KH/TU", year_start=2026, year_end=2026,
                         source_text="Kế hoạch của tỉnh")
    signed = IndicatorFactory(code="ky_so", name="Văn bản được ký số")
    ai = IndicatorFactory(code="ai", name="Cơ quan ứng dụng AI", measure=Measure.UNIT_SHARE,
                          rollup=Rollup.UNIT_SHARE, numerator_label="", denominator_label="")
    TargetFactory(plan=parent, position=1, indicator=signed, value=80, clause="Tối thiểu 80% văn bản được ký số")
    TargetFactory(plan=parent, position=2, indicator=ai, value=30, clause="30% cơ quan ứng dụng AI")
    PlanTask.objects.create(plan=parent, number=1, title="Số hóa hồ sơ lưu trữ", due_kind=DueKind.QUARTER,
                            due_on=dt.date(2026, 6, 30))
    MembershipFactory(user=UserFactory(username="vanphong.p"), unit=province, role=Membership.Role.REVIEWER)
    return type("World", (), dict(province=province, x=x, y=y, parent=parent, signed=signed))


def _fits(page) -> None:
    """Nothing scrolls sideways: the page is no wider than the window."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _plan_heading(page, world, *, issuer, title: str) -> None:
    page.select_option("select[name=issuer]", str(issuer.pk))
    page.select_option("select[name=parent]", str(world.parent.pk))
    page.fill("textarea[name=title]", title)
    page.fill("input[name=year_start]", "2026")
    page.fill("input[name=year_end]", "2026")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_office_writes_two_plans_and_issues_them(browser, live_server, world, shot, viewport):
    page = login(browser, live_server, "vanphong.p")
    page.set_viewport_size(VIEWPORTS[viewport])

    # From the parent: the province's 2 targets and 1 task arrive in the draft; the AI target is dropped.
    page.goto(f"{live_server.url}/plans/")
    _fits(page)
    _submit(page, "text=Kế hoạch mới từ kế hoạch cấp trên")
    _fits(page)
    _plan_heading(page, world, issuer=world.x, title="Kế hoạch chuyển đổi số xã X")
    _submit(page, "button[type=submit].primary")
    assert "Bản nháp" in page.content() and "1-KH/TU, mục tiêu 2" in page.content()
    _fits(page)
    _submit(page, "li.plan-item:has-text('Cơ quan ứng dụng AI') button:has-text('Bỏ')")
    _submit(page, "text=Ban hành kế hoạch")
    assert "1 mục tiêu và 1 nhiệm vụ" in page.content()
    _submit(page, "form button.primary")
    assert "Đã ban hành kế hoạch" in page.content()
    # Bound now: commune X and its school cell (every unit under the commune), 2 units.
    bound = page.locator("dd.bound").first
    assert bound.get_attribute("data-count") == "2" and "Chi bộ trường X" in bound.inner_text()
    _fits(page)
    shot(page, f"authoring-from-parent-{viewport}")

    # From the document: the pasted text, its one candidate highlighted and accepted.
    page.goto(f"{live_server.url}/plans/new/from-document/")
    _plan_heading(page, world, issuer=world.y, title="Kế hoạch chuyển đổi số xã Y")
    page.fill("textarea[name=text]", DOCUMENT)
    _submit(page, "button[value=read]")
    assert page.locator("mark#clause-1").inner_text().startswith(CLAUSE)
    _fits(page)
    shot(page, f"authoring-document-{viewport}")
    # "Tăng cường lãnh đạo." sets nothing the rules read: the reviewer selects it in the document and has it read.
    page.evaluate("""() => {
      const source = document.getElementById('document-source');
      const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf('Tăng cường lãnh đạo.');
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'Tăng cường lãnh đạo.'.length);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }
      }
    }""")
    page.wait_for_function("document.getElementById('id_passage_new').value === 'Tăng cường lãnh đạo.'")
    _submit(page, "button[value=passage]")
    assert page.locator("mark#clause-2").inner_text().startswith("Tăng cường lãnh đạo.")
    fresh = page.locator("fieldset.candidate.fresh")
    assert fresh.locator("[name=c2-clause]").input_value() == "Tăng cường lãnh đạo."
    page.click("button[data-accept=none]")  # nothing accepted, then the two taken again
    assert not page.locator("[name=c1-accept]").is_checked() and not page.locator("[name=c2-accept]").is_checked()
    page.click("button[data-accept=all]")
    assert page.locator("[name=c1-accept]").is_checked() and page.locator("[name=c2-accept]").is_checked()
    fresh.locator("[name=c2-due]").fill("Quý IV/2026")
    # Each candidate shows its kind's fields: the task its units and recurrence, the target its indicator and values.
    assert fresh.locator("[name=c2-lead_text]").is_visible() and fresh.locator("[name=c2-indicator]").is_hidden()
    assert page.locator("[name=c1-indicator]").is_visible() and page.locator("[name=c1-recurrence]").is_hidden()
    _fits(page)
    shot(page, f"authoring-document-passage-{viewport}")
    _submit(page, "button[value=create]")
    _submit(page, "text=Ban hành kế hoạch")
    _submit(page, "form button.primary")
    assert "Đã ban hành kế hoạch" in page.content()
    assert page.locator("dd.bound").first.get_attribute("data-count") == "1"  # commune Y alone: no unit under it
    _fits(page)

    x_plan, y_plan = (Plan.objects.get(issuer=unit) for unit in (world.x, world.y))
    assert x_plan.status == y_plan.status == PlanStatus.ISSUED
    october = dt.date(2026, 10, 1)
    assert y_plan.targets.get() in targets_for_unit(unit=world.y, period=october)
    task = y_plan.tasks.get()  # the passage pointed at, due by the end of Quý IV/2026
    assert (task.title, task.due_on) == ("Tăng cường lãnh đạo.", dt.date(2026, 12, 31))
    assert x_plan.targets.get() in targets_for_unit(unit=world.x, period=october)


def _issued_by_office(world) -> Plan:
    """Commune X's plan, issued by its Văn phòng reviewer `vanphong.x`: target 1, ≥ 80% of documents signed."""
    from authoring.services import plan_issue

    office = MembershipFactory(user=UserFactory(username="vanphong.x"), unit=world.x,
                               role=Membership.Role.REVIEWER).user
    plan = Plan.objects.create(key="x-2026", issuer=world.x, title="Kế hoạch xã X", year_start=2026, year_end=2026,
                               status=PlanStatus.DRAFT, parent=world.parent)
    plan.authors.add(office)
    TargetFactory(plan=plan, position=1, indicator=world.signed, value=80, clause="Tối thiểu 80% văn bản được ký số")
    plan_issue(by=office, plan=plan)
    return plan


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_office_amends_an_issued_plan_over_two_saves_and_applies_it(browser, live_server, world, shot, viewport):
    plan = _issued_by_office(world)
    page = login(browser, live_server, "vanphong.x")
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto(f"{live_server.url}/plans/{plan.key}/")
    _submit(page, "button:has-text('Mở bản điều chỉnh')")
    assert "Chưa có thay đổi nào" in page.content()
    _fits(page)
    # First save: target 1 from ≥ 80% to ≥ 90%.
    page.goto(f"{live_server.url}/plans/{plan.key}/")
    _submit(page, "li.plan-item a:has-text('Điều chỉnh')")
    page.fill("input[name=value]", "90")
    _submit(page, "button[type=submit].primary")
    assert "Mục tiêu 1: ≥ 80% → ≥ 90%" in page.content()
    # Second save: a task added.
    _submit(page, "text=Điều chỉnh: thêm nhiệm vụ")
    _fits(page)
    page.fill("textarea[name=title]", "Tập huấn ký số cho chi bộ")
    page.fill("input[name=due]", "Quý IV/2026")
    _submit(page, "button[type=submit].primary")
    lines = page.locator("ul.amendment-lines li").all_inner_texts()
    assert lines == ["Mục tiêu 1: ≥ 80% → ≥ 90%", "Thêm nhiệm vụ 1"]
    plan.refresh_from_db()
    assert plan.version == 1  # nothing applied yet
    _fits(page)
    shot(page, f"authoring-amendment-{viewport}")
    page.fill("textarea[name=reason]", "Tỉnh giao thêm chỉ tiêu")
    _submit(page, "button:has-text('Áp dụng thành phiên bản mới')")
    assert "Phiên bản 2" in page.content() and "Tỉnh giao thêm chỉ tiêu" in page.content()
    _fits(page)
    plan.refresh_from_db()
    assert plan.version == 2 and plan.targets.get().value == 90 and plan.tasks.count() == 1


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_office_amends_an_issued_plans_heading_through_the_working_copy(browser, live_server, world, shot, viewport):
    later = PlanFactory(issuer=world.province, key="p-2026-2030", number="2-KH/TU", year_start=2026, year_end=2030,
                        source_text="Kế hoạch giai đoạn của tỉnh")
    plan = _issued_by_office(world)
    page = login(browser, live_server, "vanphong.x")
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto(f"{live_server.url}/plans/{plan.key}/")
    _submit(page, "text=Điều chỉnh: thông tin chung")
    _fits(page)
    # Years from 2027 would leave target 1 (due 2026) before them: refused at the field, nothing kept.
    page.fill("input[name=year_start]", "2027")
    page.fill("input[name=year_end]", "2030")
    _submit(page, "button[type=submit].primary")
    assert "mục tiêu 1 (hạn Năm 2026) sẽ nằm ngoài thời gian của kế hoạch" in page.content()
    _fits(page)
    page.fill("input[name=year_start]", "2026")
    page.fill("textarea[name=title]", "Kế hoạch xã X giai đoạn 2026–2030")
    page.select_option("select[name=parent]", str(later.pk))
    _submit(page, "button[type=submit].primary")
    lines = page.locator("ul.amendment-lines li").all_inner_texts()
    assert lines == ["Tiêu đề: Kế hoạch xã X → Kế hoạch xã X giai đoạn 2026–2030", "Năm: 2026 → 2026–2030",
                     "Thực hiện kế hoạch: 1-KH/TU → 2-KH/TU"]
    plan.refresh_from_db()
    assert (plan.version, plan.year_end) == (1, 2026)  # nothing applied yet
    _fits(page)
    shot(page, f"authoring-heading-amendment-{viewport}")
    page.fill("textarea[name=reason]", "Tỉnh ban hành kế hoạch giai đoạn")
    _submit(page, "button:has-text('Áp dụng thành phiên bản mới')")
    assert "Phiên bản 2" in page.content() and "Năm: 2026 → 2026–2030" in page.content()
    _fits(page)
    plan.refresh_from_db()
    assert (plan.version, plan.year_end, plan.parent_id) == (2, 2030, later.pk)
