"""Issue 11 item 5 and the display of item 3: a cell says which plan, value and deadline hold; the unit page lists
the targets that also bind but do not hold; an open conflict shows on the cell, the unit page and the workbook."""

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from compliance.models import ComplianceResult
from compliance.services import compliance_compute
from core.periods import DueKind
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory, PlanFactory, TargetFactory
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("compliance:dashboard")
LOWER = [UnitKind.WARD, UnitKind.CELL]
CONFLICT = "Thân văn bản ghi Năm 2026, phụ lục ghi Quý I/2026"
LEGEND_ITEM = re.compile(r'<li><span class="st st-[a-z_]+" aria-hidden="true">([^<]*)</span> ([^<]*)</li>')


@pytest.fixture
def two_plans(tree):
    """The province's plan asks ≥ 100% signed by 31/12/2026 of every ward and cell; ward W1's own plan asks ≥ 80%
    by the same day of W1 and its cells, with an earlier stage (≥ 60% by 30/09/2026) and a later one (≥ 90% by
    31/12/2027)."""
    ward_plan = PlanFactory(issuer=tree.w1, number="12-KH/ĐU", source_text="Kế hoạch của phường",
                            year_start=2026, year_end=2027)
    TargetFactory(plan=ward_plan, indicator=tree.signed, value=60, due_kind=DueKind.DATE,
                  due_on=dt.date(2026, 9, 30), applies_to_kinds=LOWER, series="signed")
    held = TargetFactory(plan=ward_plan, indicator=tree.signed, value=80, applies_to_kinds=LOWER, series="signed")
    TargetFactory(plan=ward_plan, indicator=tree.signed, value=90, due_on=dt.date(2027, 12, 31),
                  applies_to_kinds=LOWER, series="signed")
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    tree.ward_plan, tree.held = ward_plan, held
    tree.province_target = tree.signed.targets.get(plan__issuer=tree.province)
    return tree


@pytest.fixture
def reviewer(tree):
    return MembershipFactory(unit=tree.province, role=Membership.Role.REVIEWER).user


def _cell(html: str, unit_name: str) -> str:
    """A scorecard row's cells, found by its unit's name."""
    return html.split('<table class="scorecard">')[1].split(f">{unit_name}</a>")[1].split("</tr>")[0]


def test_the_nearest_plan_holds_and_the_cell_says_which_plan_value_and_deadline(client, two_plans, reviewer):
    tree = two_plans
    w1 = ComplianceResult.objects.get(run__is_current=True, unit=tree.w1, indicator=tree.signed)
    w2 = ComplianceResult.objects.get(run__is_current=True, unit=tree.w2, indicator=tree.signed)
    # W1 is bound by both plans; the ward's plan is the nearer issuer's, and of its stages the first still due in
    # October 2026 is ≥ 80% by 31/12/2026 (the 30/09/2026 stage has passed, the 2027 one is later).
    assert w1.target_id == tree.held.pk
    assert w2.target_id == tree.province_target.pk  # W2 has no plan of its own: the province's 100% holds
    # W1: 80/100 = 80% ≥ 80% → Đạt (against the province's 100% it would be Có nguy cơ: the path at 31/10/2026 is
    # 100% × 304/365 = 83,2%, and 80% < 83,2%). W2: 1/2 = 50% against that same 83,2% → Chậm.
    assert (w1.sub_value, w1.sub_status) == (80, "met") and (w2.sub_value, w2.path_value) == (50, Decimal("83.24"))
    assert w2.sub_status == "behind"
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    number = tree.province_target.plan.number
    assert ('<td class="cell st-met"><b role="img" title="Đạt">✓</b> 80%'
            '<small title="≥ 80% · 12-KH/ĐU · 31/12/2026">≥ 80%</small></td>') in _cell(html, tree.w1.name)
    assert f'<small title="≥ 100% · {number} · 31/12/2026">≥ 100%</small>' in _cell(html, tree.w2.name)
    # The indicator page's month-by-month table names it the same way.
    trend = client.get(reverse("compliance:indicator", kwargs={"code": "ky_so"}),
                       {"unit": tree.w1.code, "period": "2026-10"}).content.decode()
    assert "<td>≥ 80% · 12-KH/ĐU · 31/12/2026</td>" in trend
    # Drilling into W1: its cell C1 is bound the same way.
    ward = client.get(DASHBOARD, {"period": "2026-10", "unit": tree.w1.code}).content.decode()
    assert '<small title="≥ 80% · 12-KH/ĐU · 31/12/2026">≥ 80%</small>' in _cell(ward, tree.c1.name)


def test_the_unit_page_shows_the_target_in_force_and_lists_the_others(client, two_plans, reviewer):
    tree = two_plans
    client.force_login(reviewer)
    html = client.get(reverse("compliance:unit", kwargs={"code": tree.w1.code}), {"period": "2026-10"}).content.decode()
    number = tree.province_target.plan.number
    assert "Đang áp dụng: ≥ 80% · 12-KH/ĐU · 31/12/2026" in html
    others = re.findall(r"<li>([^<]*)</li>", html.split('class="not-in-force muted">')[1].split("</ul>")[0])
    # Nearest issuer first, then by deadline: the ward's passed and later stages, then the province's plan.
    assert others == [
        "≥ 60% · 12-KH/ĐU · 30/09/2026 — Mốc trước, đã qua hạn",
        "≥ 90% · 12-KH/ĐU · 31/12/2027 — Mốc sau",
        f"≥ 100% · {number} · 31/12/2026 — Không áp dụng: kế hoạch gần hơn 12-KH/ĐU được áp dụng",
    ]
    # W2 is bound by the province's plan alone: nothing else to list.
    w2 = client.get(reverse("compliance:unit", kwargs={"code": tree.w2.code}), {"period": "2026-10"}).content.decode()
    assert f"Đang áp dụng: ≥ 100% · {number} · 31/12/2026" in w2 and "not-in-force" not in w2


@pytest.fixture
def conflicted(two_plans):
    two_plans.province_target.conflict = CONFLICT
    two_plans.province_target.conflict_status = "open"
    two_plans.province_target.save()
    return two_plans


def test_an_open_conflict_shows_on_the_cells_it_touches_with_its_text(client, conflicted, reviewer):
    tree = conflicted
    client.force_login(reviewer)
    html = client.get(DASHBOARD, {"period": "2026-10"}).content.decode()
    legend = dict(LEGEND_ITEM.findall(html))
    assert legend["⚠"] == "Mâu thuẫn chưa xử lý"
    marker = f'<i class="conflict" role="img" title="Mâu thuẫn chưa xử lý: {CONFLICT}">⚠</i>'
    # W2's signed documents are judged against the province's target, which has the open conflict; W1's against its
    # ward's plan, which has none; the AI cells' target has none either.
    assert marker in _cell(html, tree.w2.name)
    assert "⚠" not in _cell(html, tree.w1.name)
    # The province issued that target, so its own total is judged against it too: the totals row carries it.
    totals = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert html.count(marker) == 2 and marker in totals
    page = client.get(reverse("compliance:unit", kwargs={"code": tree.w2.code}), {"period": "2026-10"}).content.decode()
    number = tree.province_target.plan.number
    held = re.findall(r'<div class="held">(.*?)</div>', page)
    # AI first (group, then code), without a conflict; then signed documents, the conflicted target beside it.
    assert held == [f"Đang áp dụng: 30 – 40% · {number} · 31/12/2026",
                    f'Đang áp dụng: ≥ 100% · {number} · 31/12/2026 <span class="conflict">'
                    f'<span aria-hidden="true">⚠</span> Mâu thuẫn chưa xử lý: {CONFLICT}</span>']
    # On W1's page the conflicted target is listed among those not in force, with its marker.
    w1 = client.get(reverse("compliance:unit", kwargs={"code": tree.w1.code}), {"period": "2026-10"}).content.decode()
    assert f"Mâu thuẫn chưa xử lý: {CONFLICT}" in w1.split('class="not-in-force muted">')[1].split("</ul>")[0]


def _summary(tmp_path, unit) -> dict:
    folder = tmp_path / unit.code
    call_command("export_quarterly_report", "--unit", unit.code, "--quarter", "2026-Q4", "--output-dir", str(folder),
                 "--no-pdf")
    sheet = openpyxl.load_workbook(next(folder.glob("phu-luc-*.xlsx"))).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(min_row=6, max_row=6))]
    assert header[2:4] == ["Đơn vị được đánh giá", "Mục tiêu"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    # Indicator name → (the unit's own target, the open conflict noted under the indicator's rows)
    summary = {}
    for index, row in enumerate(rows):
        if isinstance(row[0], int) and row[2] == unit.name:
            following = next((r for r in rows[index + 1:] if not (isinstance(r[0], int) and r[1] == row[1])), [None])
            note = following[0] if str(following[0]).startswith("Mâu thuẫn") else None
            summary[row[1]] = (row[3], note)
    return summary


def test_the_workbook_summary_names_the_target_in_force_and_the_open_conflict(conflicted, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tree = conflicted
    number = tree.province_target.plan.number
    note = f"Mâu thuẫn chưa xử lý: {CONFLICT}"
    assert _summary(tmp_path, tree.w2)[tree.signed.name] == (f"≥ 100% · {number} · 31/12/2026", note)
    assert _summary(tmp_path, tree.w1)[tree.signed.name] == ("≥ 80% · 12-KH/ĐU · 31/12/2026", None)
    # The province issued the conflicted target, and its total is judged against it (from the issuer down).
    assert _summary(tmp_path, tree.province)[tree.signed.name] == (f"≥ 100% · {number} · 31/12/2026", note)


@pytest.fixture
def demo(seeded):
    from portal.demo import demo_seed
    from reports.models import Report

    demo_seed()
    return compliance_compute(period=max(Report.objects.values_list("period", flat=True)))


def test_on_the_demo_data_the_unit_page_agrees_with_the_engine(demo):
    """For every judged unit of the demo month: the target the unit page shows in force is the engine's
    (one of `targets.binding.targets_in_force` on the targets binding the unit: the series judged worst), and the
    others listed are exactly the rest."""
    from compliance.selectors import unit_results
    from core.periods import month_last_day
    from targets.binding import targets_for_unit, targets_in_force
    from units.models import Unit

    month_end = month_last_day(demo.period.year, demo.period.month)
    judged = sorted(set(ComplianceResult.objects.filter(run=demo).exclude(target=None)
                        .values_list("unit_id", flat=True)))
    checked = listed = 0
    for unit in Unit.objects.filter(pk__in=judged[::max(1, len(judged) // 60)]).order_by("path"):
        bound: dict = {}
        for target in targets_for_unit(unit=unit, period=demo.period):
            bound.setdefault(target.indicator_id, []).append(target)
        for result, others, own, _asked in unit_results(unit=unit, month=demo.period):
            if result.target_id is None or not own:
                continue  # no target, or one judging only the subtree's total (its issuer is above the unit)
            held = {t.pk for t in targets_in_force(bound[result.indicator_id], month_end)}
            assert result.target_id in held, unit.code
            assert {o.target.pk for o in others} == {t.pk for t in bound[result.indicator_id]} - {result.target_id}
            checked += 1
            listed += len(others)
    assert checked > 0 and listed > 0  # not vacuous: the demo binds some units by more than one target
