"""Per-unit values of a target: the grid, the Excel template and its import, all or nothing, audited."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from authoring.unit_values import (
    SHEET,
    UnitValueInput,
    UnitValuesRefused,
    percent_parse,
    target_unit_values_import,
    target_unit_values_set,
    target_unit_values_template,
)
from core.exceptions import ApplicationError
from core.models import AuditEvent
from targets.models import Comparator, TargetUnitValue
from tests.factories import IndicatorFactory, MembershipFactory, PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world(root):
    """Province P's target ≥ 80% of documents signed; communes A, B, C under P, a cell under A; P's reviewer."""
    p = unit_make(kind=UnitKind.PROVINCE, code="P")
    a, b, c = (unit_make(parent=p, kind=UnitKind.COMMUNE, code=f"P.{n}") for n in "ABC")
    cell = unit_make(parent=a, kind=UnitKind.CELL, code="P.A.1")
    target = TargetFactory(plan=PlanFactory(issuer=p, number="38-KH/TU"), indicator=IndicatorFactory(code="ky_so"),
                           value=80)
    reviewer = MembershipFactory(unit=p, role=Membership.Role.REVIEWER).user
    return type("World", (), dict(p=p, a=a, b=b, c=c, cell=cell, target=target, reviewer=reviewer))


def values(target) -> dict[str, D]:
    return {v.unit.code: v.value for v in TargetUnitValue.objects.filter(target=target).select_related("unit")}


def test_set_change_and_remove_each_audited(world):
    w = world
    changed = target_unit_values_set(by=w.reviewer, target=w.target, rows=[
        UnitValueInput("P.A", D("90")), UnitValueInput("P.B", D("60")), UnitValueInput("P.C", None)])
    # A and B set (2 changes); C had none and gets none (no change).
    assert (changed, values(w.target)) == (2, {"P.A": D("90"), "P.B": D("60")})
    changed = target_unit_values_set(by=w.reviewer, target=w.target, rows=[
        UnitValueInput("P.A", D("90")), UnitValueInput("P.B", D("65")), UnitValueInput("P.A.1", D("95"))])
    # A unchanged, B 60 → 65, the cell set: 2 changes.
    assert (changed, values(w.target)) == (2, {"P.A": D("90"), "P.B": D("65"), "P.A.1": D("95")})
    assert target_unit_values_set(by=w.reviewer, target=w.target, rows=[UnitValueInput("P.B", None)]) == 1
    assert values(w.target) == {"P.A": D("90"), "P.A.1": D("95")}
    events = AuditEvent.objects.filter(object_type="targets.targetunitvalue").order_by("pk")
    assert [(e.action, e.changes["value"], e.note) for e in events] == [
        ("create", [None, "90.00"], "P.A"), ("create", [None, "60.00"], "P.B"),
        ("update", ["60.00", "65.00"], "P.B"), ("create", [None, "95.00"], "P.A.1"),
        ("delete", ["65.00", None], "P.B")]
    assert {e.actor_id for e in events} == {w.reviewer.pk}


def test_all_rows_or_none_with_every_wrong_row_named(world):
    w = world
    with pytest.raises(UnitValuesRefused) as refused:
        target_unit_values_set(by=w.reviewer, target=w.target, rows=[
            UnitValueInput("P.A", D("90"), row=5), UnitValueInput("X.Y", D("50"), row=6),
            UnitValueInput("P.A", D("70"), row=7), UnitValueInput("P.B", D("50"), D("60"), row=8)])
    assert refused.value.errors == [
        "Dòng 6: không có đơn vị mã “X.Y” dưới " + w.p.name + ".",
        "Dòng 7: đơn vị P.A xuất hiện hai lần (lần đầu ở Dòng 5).",
        "Dòng 8: chỉ khoảng giá trị mới có giá trị trên; hãy để trống.",
    ]
    assert values(w.target) == {}  # row 5 was right, but nothing was written


def test_a_range_needs_both_values_in_order(world):
    w = world
    w.target.comparator, w.target.value, w.target.value_max = Comparator.RANGE, D("30"), D("40")
    w.target.save()
    with pytest.raises(UnitValuesRefused) as refused:
        target_unit_values_set(by=w.reviewer, target=w.target, rows=[
            UnitValueInput("P.A", D("50")), UnitValueInput("P.B", D("60"), D("50"))])
    assert refused.value.errors == ["P.A: khoảng giá trị: hãy nhập cả giá trị trên.",
                                    "P.B: giá trị dưới (60%) phải nhỏ hơn giá trị trên (50%)."]
    target_unit_values_set(by=w.reviewer, target=w.target, rows=[UnitValueInput("P.A", D("50"), D("60"))])
    assert TargetUnitValue.objects.get(unit=w.a).value_max == D("60")


def test_who_may_set_them(world):
    w = world
    clerk = MembershipFactory(unit=w.a, role=Membership.Role.CLERK).user
    commune_reviewer = MembershipFactory(unit=w.a, role=Membership.Role.REVIEWER).user
    for user in (clerk, commune_reviewer, UserFactory()):
        with pytest.raises(ApplicationError, match="Bạn không được sửa chỉ tiêu của kế hoạch này."):
            target_unit_values_set(by=user, target=w.target, rows=[UnitValueInput("P.A", D("90"))])
    assert values(w.target) == {}
    target_unit_values_set(by=w.reviewer, target=w.target, rows=[UnitValueInput("P.A", D("90"))])
    assert values(w.target) == {"P.A": D("90")}


@pytest.mark.parametrize(("raw", "expected"), [("85", D("85")), ("85,5", D("85.5")), (" 85.5 % ", D("85.5")),
                                               (72, D("72")), (72.25, D("72.25")), ("", None), (None, None)])
def test_percentages_as_people_type_them(raw, expected):
    assert percent_parse(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [("abc", "“abc” không phải là tỷ lệ phần trăm"),
                                              ("120", "“120” không phải là tỷ lệ phần trăm"),
                                              ("85,555", "tối đa hai chữ số thập phân")])
def test_what_is_not_a_percentage(raw, message):
    with pytest.raises(ValueError, match=message):
        percent_parse(raw)


def _filled(target, fill: dict) -> SimpleUploadedFile:
    wb = load_workbook(io.BytesIO(target_unit_values_template(target=target)))
    ws = wb[SHEET]
    for r in range(5, ws.max_row + 1):
        code = ws.cell(row=r, column=1).value
        if code in fill:
            for column, value in zip((4, 5), fill[code], strict=False):
                ws.cell(row=r, column=column).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("gia-tri.xlsx", buffer.getvalue())


def test_the_template_lists_the_units_below_and_reads_back(world):
    w = world
    TargetUnitValue.objects.create(target=w.target, unit=w.cell, value=95)
    ws = load_workbook(io.BytesIO(target_unit_values_template(target=w.target)))[SHEET]
    # A, its cell (it has a value of its own), B, C: in tree order.
    assert [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)] == ["P.A", "P.A.1", "P.B", "P.C"]
    assert ws.cell(row=6, column=4).value == 95
    changed = target_unit_values_import(by=w.reviewer, target=w.target,
                                        upload=_filled(w.target, {"P.A": (90,), "P.B": ("62,5",), "P.A.1": (None,)}))
    # A and B set, the cell's 95 removed: 3 changes.
    assert (changed, values(w.target)) == (3, {"P.A": D("90"), "P.B": D("62.5")})


def test_a_wrong_file_writes_nothing_and_lists_its_rows(world):
    w = world
    upload = _filled(w.target, {"P.A": (90,), "P.B": ("nhiều",), "P.C": ("=1+1",)})
    with pytest.raises(UnitValuesRefused) as refused:
        target_unit_values_import(by=w.reviewer, target=w.target, upload=upload)
    # Rows: 5 A, 6 B, 7 C.
    assert refused.value.errors == [
        "Dòng 6: “nhiều” không phải là tỷ lệ phần trăm: hãy nhập một số từ 0 đến 100.",
        "Dòng 7: hãy nhập chính giá trị, không nhập công thức.",
    ]
    assert values(w.target) == {}


def test_a_file_that_is_not_a_workbook_is_refused_in_words(world):
    with pytest.raises(ApplicationError, match="không phải là bảng tính Excel"):
        target_unit_values_import(by=world.reviewer, target=world.target,
                                  upload=SimpleUploadedFile("x.xlsx", b"not a workbook"))


def test_the_grid_page(client, world):
    w = world
    url = reverse("unit_values:grid", args=[w.target.pk])
    client.force_login(w.reviewer)
    html = client.get(url).content.decode()
    assert "Giá trị theo đơn vị" in html and 'name="value-P.A"' in html
    response = client.post(url, {"value-P.A": "90", "value-P.B": "", "value-P.C": "ba"})
    assert response.status_code == 400 and "không phải là tỷ lệ phần trăm" in response.content.decode()
    assert values(w.target) == {}
    client.post(url, {"value-P.A": "90", "value-P.B": "", "value-P.C": "70,5"})
    assert values(w.target) == {"P.A": D("90"), "P.C": D("70.5")}


def test_the_grid_is_read_only_to_those_who_may_not_write_the_plan_and_hidden_from_others(client, world):
    w = world
    url = reverse("unit_values:grid", args=[w.target.pk])
    viewer = MembershipFactory(unit=w.p, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    assert 'name="value-P.A"' not in client.get(url).content.decode()
    client.post(url, {"value-P.A": "90"})
    assert values(w.target) == {}
    other = MembershipFactory(unit=unit_make(kind=UnitKind.PROVINCE, code="Q"), role=Membership.Role.REVIEWER).user
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("unit_values:template", args=[w.target.pk])).status_code == 404
