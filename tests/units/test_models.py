import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from tests.factories import unit_make
from units.models import Unit, UnitKind
from units.selectors import unit_ancestor_paths, unit_subtree
from units.services import unit_create, unit_move, unit_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["000.00.00.H41", "DN", "DN.XP.LOCNINH", "A" * 35])
def test_valid_codes_are_accepted(root, code):
    unit = unit_create(code=code, name="Đơn vị", kind=UnitKind.PROVINCE, parent=root, by=None)
    assert Unit.objects.get(code=code) == unit


@pytest.mark.parametrize("code", ["dn.vptu", "DN..VPTU", ".DN", "DN.", "ĐN", "DN VPTU", "DN-VPTU", "A" * 36])
def test_invalid_codes_are_refused_in_vietnamese(root, code):
    with pytest.raises(ValidationError) as caught:
        unit_create(code=code, name="Đơn vị", kind=UnitKind.PROVINCE, parent=root, by=None)
    messages = " ".join(caught.value.message_dict["code"])
    assert "Mã định danh gồm" in messages or "tối đa 35 kí tự" in messages
    assert not Unit.objects.filter(code=code).exists()


def test_closing_before_opening_is_refused(root):
    with pytest.raises(ValidationError) as caught:
        unit_create(code="X1", name="Đơn vị", kind=UnitKind.COMMUNE, parent=root, by=None,
                    opened_on=dt.date(2025, 7, 1), closed_on=dt.date(2025, 6, 30))
    assert "Ngày giải thể" in caught.value.message_dict["closed_on"][0]


def test_subtree_holds_the_unit_and_all_below_it_and_nothing_else(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    commune = unit_make(parent=province, code="P1.X1")
    cell = unit_make(parent=commune, kind=UnitKind.CELL, code="P1.X1.CB1")
    other_province = unit_make(kind=UnitKind.PROVINCE, code="P2")
    unit_make(parent=other_province, code="P2.X1")

    assert set(unit_subtree(unit=province).values_list("code", flat=True)) == {"P1", "P1.X1", "P1.X1.CB1"}
    assert set(unit_subtree(unit=commune, include_self=False).values_list("code", flat=True)) == {"P1.X1.CB1"}
    paths = unit_ancestor_paths(cell)
    assert list(Unit.objects.filter(path__in=paths).order_by("depth").values_list("code", flat=True)) == [
        "TW", "P1", "P1.X1", "P1.X1.CB1"]


def test_moving_a_unit_moves_its_subtree_and_is_audited(root):
    old = unit_make(kind=UnitKind.PROVINCE, code="OLD")
    new = unit_make(kind=UnitKind.PROVINCE, code="NEW")
    commune = unit_make(parent=old, code="OLD.X1")
    unit_make(parent=commune, kind=UnitKind.CELL, code="OLD.X1.CB1")

    unit_move(unit=commune, parent=new, by=None)

    new.refresh_from_db()
    assert set(unit_subtree(unit=new).values_list("code", flat=True)) == {"NEW", "OLD.X1", "OLD.X1.CB1"}
    assert list(unit_subtree(unit=Unit.objects.get(code="OLD")).values_list("code", flat=True)) == ["OLD"]
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    event = AuditEvent.objects.filter(object_id=str(commune.pk), changes__has_key="parent").get()
    assert event.changes["parent"] == ["OLD", "NEW"]


def test_a_unit_cannot_move_under_itself(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P9")
    commune = unit_make(parent=province, code="P9.X1")
    with pytest.raises(ValidationError):
        unit_move(unit=province, parent=commune, by=None)


def test_update_records_old_and_new_values(root):
    unit = unit_make(code="U1", name="Tên cũ")
    unit_update(unit=unit, by=None, name="Tên mới")
    event = AuditEvent.objects.filter(object_id=str(unit.pk), action=AuditEvent.Action.UPDATE).get()
    assert event.changes == {"name": ["Tên cũ", "Tên mới"]}


def test_a_malformed_unit_seed_file_names_the_entry_and_loads_nothing(root, tmp_path):
    from core.seeds import SeedFileError
    from units.services import units_seed_load

    path = tmp_path / "tinh.yaml"
    path.write_text(
        "- {code: P7, name: Tỉnh ủy thử, kind: province, parent: TW}\n"
        "- {code: p7.sai, name: Sai mã, kind: commune, parent: P7}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedFileError) as caught:
        units_seed_load(path=path)
    assert str(caught.value).startswith("tinh.yaml, tại p7.sai, trường “code”: Mã định danh gồm")
    assert not Unit.objects.filter(code="P7").exists()
