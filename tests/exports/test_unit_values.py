"""The quarterly report prints, for the unit a row is about, the value its target sets for that unit.

Province P asks ≥ 50% of its communes A and B and sets 90% for A (`targets.TargetUnitValue`). Each committee exports
its own quarterly report: A's row is judged against 90%, B's and the province's against the plan's 50%. The
target runs from 01/01/2026 to 31/12/2026 (364 days) without a baseline: on 31/10 its path needs value×303/364
(90% → 74,92%; 50% → 41,62%); more than 10 points below the path is "Chậm", below it "Có nguy cơ".
"""

import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command

from compliance.models import ComplianceResult, Status
from compliance.services import compliance_compute
from core.periods import Quarter
from exports.figures import export_data
from targets.models import TargetUnitValue
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.exports.test_workbook import paragraphs
from tests.factories import IndicatorFactory, PlanFactory, TargetFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
OPEN = dt.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P")
    b, a = (unit_make(parent=province, kind=UnitKind.COMMUNE, code=f"P.{n}", opened_on=OPEN) for n in "BA")
    signed = IndicatorFactory(code="ky_so")
    target = TargetFactory(plan=PlanFactory(issuer=province), indicator=signed, value=50,
                           applies_to_kinds=[UnitKind.COMMUNE])
    TargetUnitValue.objects.create(target=target, unit=a, value=90)
    report(a, {signed: (60, 100)})
    report(b, {signed: (40, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    return type("World", (), dict(province=province, a=a, b=b, signed=signed, target=target))


def _export(unit, tmp_path):
    folder = tmp_path / unit.code
    call_command("export_quarterly_report", "--unit", unit.code, "--quarter", "2026-Q4", "--output-dir",
                 str(folder), "--no-pdf")
    summary = openpyxl.load_workbook(next(folder.glob("phu-luc-*.xlsx"))).worksheets[0]
    rows = {row[2].value: [c.value for c in row] for row in summary.iter_rows(min_row=7) if isinstance(row[0].value,
                                                                                                       int)}
    return rows[unit.name], paragraphs(next(folder.glob("bao-cao-*.docx")))


def _status(unit, world) -> str:
    return ComplianceResult.objects.get(run__is_current=True, unit=unit, indicator=world.signed).sub_status


def test_each_units_report_prints_the_value_its_target_sets_for_it(world, tmp_path):
    w = world
    plan_and_due = w.target.held_label.removeprefix("≥ 50%")  # " · <plan> · 31/12/2026"
    own = f"≥ 90% (giá trị riêng cho {w.a.name})"

    # A: 60/100 = 60% against its own 90%; the path needs 74,92%; 14,92 short → behind. Its row and the body say 90.
    row, body = _export(w.a, tmp_path)
    assert _status(w.a, w) == Status.BEHIND
    assert row[3] == own + plan_and_due and row[4:6] == [60, 100]
    assert f"+ {w.signed.name} ({w.a.name}): 60/100 (60%), chỉ tiêu {own}; chậm." in body
    assert any(line.startswith(f"+ {w.signed.name}: 60/100 (60%), chỉ tiêu {own}.") for line in body)

    # B: 40/100 = 40% against the plan's 50%; the path needs 41,62%; 1,62 short → at risk. Its row says 50.
    row, body = _export(w.b, tmp_path)
    assert _status(w.b, w) == Status.AT_RISK
    # The target sets other units other values: said as the scorecard says it.
    assert row[3] == "≥ 50%" + plan_and_due + " · có giá trị riêng cho một số đơn vị" and row[4:6] == [40, 100]
    assert f"+ {w.signed.name} ({w.b.name}): 40/100 (40%), chỉ tiêu ≥ 50%; có nguy cơ." in body

    # The province: (60 + 40)/(100 + 100) = 100/200 = 50% against the plan's 50% (not A's 90%) → met. It says 50.
    row, body = _export(w.province, tmp_path)
    assert _status(w.province, w) == Status.MET
    assert row[3] == "≥ 50%" + plan_and_due + " · có giá trị riêng cho một số đơn vị" and row[4:6] == [100, 200]
    assert not any("90%" in line for line in body)


def test_the_figures_read_the_units_values_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    # The values per unit are read once for the report's targets, then once per unit whose target sets some (here
    # A alone: its values and the names above it).
    with django_assert_max_num_queries(20):
        data = export_data(unit=world.a, quarter=Quarter(2026, 4))
    (row,) = data.judged
    assert (row.asked.value, row.asked.set_for) == (90, world.a.name)
