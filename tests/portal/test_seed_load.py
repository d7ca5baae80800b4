import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEvent, Conflict
from core.seeds import SeedFileError
from plans.models import Plan, PlanTask
from portal.seeding import plan_files, plan_seed_load, seed_plans_load
from targets.models import Indicator, Target
from units.models import Unit

pytestmark = pytest.mark.django_db

SOURCES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "plans" / "seeds" / "sources").glob("*.txt"))


def test_every_seed_document_has_a_plan_file_and_loads_with_targets(seeded):
    loaded = {Plan.objects.get(key=result.plan_key).source_name: result for name, result in seeded.loaded
              if getattr(result, "plan_key", "") and Plan.objects.get(key=result.plan_key).source_name}
    assert sorted(loaded) == SOURCES
    for source, result in loaded.items():
        plan = Plan.objects.get(source_name=source)
        assert plan.source_text.strip(), source
        assert plan.targets.count() == result.targets > 0, source
        assert plan.parent is not None, source
        # Every target keeps the words it came from, and every clause is found in the document.
        for target in plan.targets.all():
            assert target.clause.strip()
            first_words = " ".join(target.clause.lstrip("-–• ").split()[:3])
            assert first_words in " ".join(plan.source_text.split()), (source, target.position, first_words)


def test_named_parent_plans_form_the_plan_tree(seeded):
    decision = Plan.objects.get(number="204-QĐ/TW")
    assert decision.is_named_only and decision.issuer.code == "TW"
    assert Plan.objects.get(number="86-KH/TU").parent.number == "38-KH/TU"
    for plan in Plan.objects.exclude(source_text=""):
        ancestor = plan
        while ancestor.parent is not None:
            ancestor = ancestor.parent
        assert ancestor == decision, plan.key


def test_the_office_appendix_has_its_fifteen_tasks_with_every_column(seeded):
    plan = Plan.objects.get(issuer__code="DN.VPTU", source_text__gt="")
    tasks = list(plan.tasks.order_by("number"))
    assert [task.number for task in tasks] == list(range(1, 16))
    for task in tasks:
        assert task.title and task.lead_text and task.expected_output and task.due_text, task.number
        assert task.lead_unit is not None and task.lead_unit.code.startswith("DN.VPTU"), task.number
    first = tasks[0]
    assert first.due_label == "Quý I/2026"
    assert first.lead_unit.name == "Phòng Chuyển đổi số - Cơ yếu"
    assert "Phòng Quản trị" in first.cooperating_text
    assert list(first.cooperating_units.values_list("name", flat=True)) == ["Phòng Quản trị"]


def test_staged_targets_keep_one_entry_per_year(seeded):
    plan = Plan.objects.get(issuer__code="DN.XP.LOCNINH", source_text__gt="")
    years = set(plan.targets.values_list("due_on__year", flat=True))
    assert {2025, 2026, 2027} <= years


def test_a_second_load_changes_nothing(seeded):
    events = AuditEvent.objects.count()
    rows = (Unit.objects.count(), Plan.objects.count(), Target.objects.count(), PlanTask.objects.count(),
            Indicator.objects.count())

    again = seed_plans_load()

    assert not again.errors
    assert again.changed == 0, [(name, r.created, r.updated) for name, r in again.loaded if r.changed]
    assert AuditEvent.objects.count() == events
    assert (Unit.objects.count(), Plan.objects.count(), Target.objects.count(), PlanTask.objects.count(),
            Indicator.objects.count()) == rows


def test_every_load_writes_audit_rows(seeded):
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.LOAD, object_type="targets.target")
    targets = {str(pk) for pk in Target.objects.values_list("pk", flat=True)}
    assert set(audited.values_list("object_id", flat=True)) == targets


def test_conflicts_are_reported_and_marked_for_a_person(seeded):
    conflicts = [(name, where, message) for name, result in seeded.loaded
                 for where, message, status in getattr(result, "conflicts", [])]
    assert conflicts
    flagged = Target.objects.filter(conflict_status=Conflict.OPEN)
    assert flagged.count() >= 3
    # A deadline before the plan's own first year is found by the loader itself.
    early = [t for t in Target.objects.select_related("plan") if t.due_on.year < t.plan.year_start]
    early += [t for t in PlanTask.objects.select_related("plan") if t.due_on and t.due_on.year < t.plan.year_start]
    assert early, "the seed documents contain a deadline before the plan's year"
    for item in early:
        assert item.conflict_status == Conflict.OPEN
        assert "sớm hơn năm bắt đầu của kế hoạch" in item.conflict


def test_a_resolved_conflict_stays_resolved_on_reload(seeded):
    from core.services import conflict_resolve

    target = Target.objects.filter(conflict_status=Conflict.OPEN).first()
    conflict_resolve(obj=target, by=None)

    seed_plans_load()

    target.refresh_from_db()
    assert target.conflict_status == Conflict.RESOLVED


def test_repeated_clauses_are_kept_not_merged(seeded):
    duplicated = [t for t in Target.objects.all() if Target.objects.filter(
        plan=t.plan, indicator=t.indicator, clause=t.clause).exclude(pk=t.pk).exists()]
    for target in duplicated:
        assert target.conflict_status == Conflict.OPEN


def test_the_command_prints_each_conflict(db, capsys):
    call_command("load_seed_plans")
    out = capsys.readouterr().out
    assert "MÂU THUẪN" in out
    # One line per line of each marked conflict, and one for the plan whose issuer closed (001, Bình Phước).
    assert out.count("MÂU THUẪN") == Target.objects.exclude(conflict="").count() + sum(
        len(t.conflict.splitlines()) - 1 for t in Target.objects.exclude(conflict="")) + sum(
        len(t.conflict.splitlines()) for t in PlanTask.objects.exclude(conflict="")) + 1
    assert "MÂU THUẪN 001_bp-kh-cds-2025-2028.yaml, kế hoạch: Đơn vị ban hành (Tỉnh ủy Bình Phước)" in out


@pytest.fixture
def plan_copy(tmp_path):
    """A writable copy of one seed plan file (the Bạch Đằng plan)."""
    source = next(p for p in plan_files() if "004_" in p.name)
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def _rewrite(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "entry", "field"),
    [
        (lambda d: d["targets"][2].update(indicator="khong_ton_tai"), "mục tiêu 3", "indicator"),
        (lambda d: d["targets"][1].update(due={"quarter": "2026-Q5"}), "mục tiêu 2", "due"),
        (lambda d: d["targets"][0].pop("clause"), "mục tiêu 1", "clause"),
        (lambda d: d["targets"][3].update(comparator="range", value=40, value_max=30), "mục tiêu 4",
         "value_max"),
        (lambda d: d["plan"].update(issuer="KHONG.CO"), "hp-xp-bachdang-cds-2026", "issuer"),
        (lambda d: d["targets"][0].update(appendix={"task": 99}), "mục tiêu 1", "appendix"),
        (lambda d: d["targets"][0].update(appendix="STT 1"), "mục tiêu 1", "appendix"),
        (lambda d: d["plan"].update(report_due={"truoc": 20}), "plan", "report_due"),
        (lambda d: d["plan"].update(issued_in="tháng 3"), "plan", "issued_in"),
    ],
)
def test_a_malformed_file_names_file_entry_and_field_and_loads_nothing(seeded, plan_copy, change, entry, field):
    _rewrite(plan_copy, change)
    plan = Plan.objects.get(source_name__startswith="004_")
    before = list(plan.targets.values_list("id", "indicator__code", "due_on", "value", "value_max"))
    events = AuditEvent.objects.count()

    with pytest.raises(SeedFileError) as caught:
        plan_seed_load(path=plan_copy)

    message = str(caught.value)
    assert plan_copy.name in message and entry in message and f"“{field}”" in message
    assert list(plan.targets.values_list("id", "indicator__code", "due_on", "value", "value_max")) == before
    assert AuditEvent.objects.count() == events


def test_an_upside_down_range_is_refused_in_vietnamese(seeded, plan_copy):
    _rewrite(plan_copy, lambda d: d["targets"][0].update(comparator="range", value=40, value_max=30))
    with pytest.raises(SeedFileError) as caught:
        plan_seed_load(path=plan_copy)
    message = "Khoảng giá trị bị đảo ngược: giá trị cận dưới (40%) phải nhỏ hơn giá trị cận trên (30%)."
    assert message in caught.value.message


def test_a_file_that_is_not_yaml_is_refused_and_the_others_still_load(db, tmp_path, capsys):
    broken = tmp_path / "009_broken.yaml"
    broken.write_text("plan: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_seed_plans", *plan_files(), broken)
    err = capsys.readouterr().err
    assert "009_broken.yaml" in err and "YAML" in err
    assert Plan.objects.exclude(source_text="").count() == len(plan_files())


def test_a_plan_of_a_province_merged_in_2025_keeps_its_own_closed_issuer(seeded):
    plan = Plan.objects.get(source_name__startswith="001_")
    assert plan.issuer.name == "Tỉnh ủy Bình Phước"
    assert str(plan.issuer.closed_on) == "2025-06-30"
    assert "Bình Phước" in plan.notes


# --- what the loader checks beyond the words: the unit tree, the appendix, the plan's date ---------------------


def _binding_warnings(report) -> set[tuple[str, str, str]]:
    """(file, where, message) of every warning that a target or a plan binds no one."""
    return {(name[:3], where, line) for name, result in report.loaded
            for where, message, _status in getattr(result, "conflicts", [])
            for line in message.splitlines() if "ràng buộc đơn vị nào" in line}


BP_CLOSED = ("Đơn vị ban hành (Tỉnh ủy Bình Phước) đã đóng ngày 30/06/2025 và không còn đơn vị trực thuộc nào đang "
             "hoạt động: mục tiêu này không ràng buộc đơn vị nào.")
NO_MTTQ = ("Không có đơn vị đang hoạt động nào thuộc Đảng ủy phường Bạch Đằng có loại mà mục tiêu nêu "
           "(“MTTQ và tổ chức chính trị - xã hội”): mục tiêu này không ràng buộc đơn vị nào.")


def test_the_loader_says_which_targets_bind_no_open_unit(seeded):
    from portal.demo import demo_cells_ensure

    demo_cells_ensure()  # the demo's party cells under Lộc Ninh, Bạch Đằng, the Văn phòng and Đảng ủy UBND tỉnh
    report = seed_plans_load()

    warnings = _binding_warnings(report)
    plan_001 = {w for w in warnings if w[0] == "001"}
    # Bình Phước closed on 30/06/2025 with nothing under it: the plan says so once, and each of its 18 targets.
    assert ("001", "kế hoạch", "Đơn vị ban hành (Tỉnh ủy Bình Phước) đã đóng ngày 30/06/2025 và không còn đơn vị "
            "trực thuộc nào đang hoạt động: không mục tiêu nào trong 18 mục tiêu của kế hoạch ràng buộc đơn vị nào."
            ) in plan_001
    assert {where for _f, where, line in plan_001 if line == BP_CLOSED} == {
        f"mục tiêu {t.position}, {t.ref}" for t in Target.objects.filter(plan__source_name__startswith="001_")}
    assert len(plan_001) == 19
    # 002 T1 counts "Chi, Đảng bộ các trường học, trạm y tế", which the tree does not name; 004 II.9 and both
    # halves of III.6 name the Front, and there is no MTTQ unit under the ward. Nothing else binds no one.
    assert warnings - plan_001 == {
        ("002", "mục tiêu 1, I.2, mục 2.1.a (Năm 2026), gạch đầu dòng 1",
         "Mục tiêu chỉ tính các đơn vị được nêu tên, nhưng chưa nêu đơn vị nào thuộc Đảng ủy xã Lộc Ninh: mục tiêu "
         "này không ràng buộc đơn vị nào cho đến khi các đơn vị được nêu."),
        ("004", "mục tiêu 14, II, chỉ tiêu 9 (nêu lại ở III.6)", NO_MTTQ),
        ("004", "mục tiêu 22, III.6, gạch đầu dòng 4 (vế 1; không ghi năm; lấy năm cuối của kế hoạch; nêu lại chỉ "
         "tiêu 9 mục II)", NO_MTTQ),
        ("004", "mục tiêu 23, III.6, gạch đầu dòng 4 (vế 2; không ghi năm; lấy năm cuối của kế hoạch; mốc so sánh "
         "'so với trước' không xác định)", NO_MTTQ),
    }
    # Each is marked on its target for a person to resolve.
    ward_front = Target.objects.get(plan__source_name__startswith="004_", position=14)
    assert ward_front.conflict_status == Conflict.OPEN and NO_MTTQ in ward_front.conflict.splitlines()


def test_a_target_binds_no_one_once_the_units_it_names_close(seeded):
    from portal.demo import demo_cells_ensure

    demo_cells_ensure()
    # Bạch Đằng's three party cells close: "100% chi bộ … sử dụng Sổ tay đảng viên" (II.5) now binds no one.
    Unit.objects.filter(code__startswith="HP.XP.BACHDANG.CB").update(closed_on="2026-06-30")
    warnings = _binding_warnings(seed_plans_load())
    assert ("004", "mục tiêu 6, II, chỉ tiêu 5 (vế 1)",
            "Không có đơn vị đang hoạt động nào thuộc Đảng ủy phường Bạch Đằng có loại mà mục tiêu nêu (“Chi bộ”, "
            "“Đảng bộ cơ sở”): mục tiêu này không ràng buộc đơn vị nào.") in warnings


def test_a_deadline_the_body_and_the_appendix_give_differently_is_a_conflict_on_both(seeded):
    plan = Plan.objects.get(source_name__startswith="003_")
    expected = {  # target position → (the body's deadline, the appendix task, the appendix's deadline)
        1: ("Năm 2026", 1, "Quý I/2026"),  # nâng cấp Trung tâm tích hợp dữ liệu
        3: ("Năm 2026", 2, "Quý III/2026"),  # phòng họp trực tuyến
        4: ("Năm 2026", 5, "Quý I/2026"),  # chữ ký số cho cán bộ xử lý văn bản
        15: ("Năm 2026", 8, "Quý II/2026"),  # chuyển đổi dữ liệu Lotus Notes
    }
    flagged = {t.position for t in plan.targets.all() if "ghi thời hạn" in t.conflict}
    assert flagged == set(expected)
    # The appendix's own deadlines for targets 1, 3 and 15 stand as targets 26–28, both judged until resolved.
    assert {t.position for t in plan.targets.all() if "Cả hai thời hạn đều được đánh giá" in t.conflict} == {
        26, 27, 28}
    for position, (body, number, appendix) in expected.items():
        target = plan.targets.get(position=position)
        task = plan.tasks.get(number=number)
        assert target.due_label == body and task.due_label == appendix
        assert (f"Thân kế hoạch ghi thời hạn {body}, Phụ lục (nhiệm vụ {number}) ghi {appendix} cho cùng sản phẩm."
                in target.conflict.splitlines())
        assert (f"Phụ lục ghi thời hạn {appendix}, thân kế hoạch (mục tiêu {position}, {target.ref}) ghi {body} "
                "cho cùng sản phẩm." in task.conflict.splitlines())
        assert target.conflict_status == task.conflict_status == Conflict.OPEN
    assert {t.number for t in plan.tasks.all() if "cho cùng sản phẩm" in t.conflict} == {1, 2, 5, 8}


def test_a_deadline_no_later_than_the_month_the_plan_was_issued_is_a_conflict(seeded):
    plan = Plan.objects.get(source_name__startswith="003_")  # "ngày … tháng 3 năm 2026": only the month is known
    message = ("Thời hạn (Quý I/2026) không muộn hơn tháng ban hành kế hoạch (tháng 03/2026): đến hạn trước hoặc "
               "ngay khi kế hoạch được ban hành.")
    # Quý I/2026 ends 31/03/2026, the last day of March: tasks 1 and 5, the two targets of task 5 (STT 5) and the
    # appendix's deadline for task 1 (STT 1, target 26).
    assert {t.number for t in plan.tasks.all() if message in t.conflict.splitlines()} == {1, 5}
    assert {t.position for t in plan.targets.all() if message in t.conflict.splitlines()} == {19, 20, 26}
    # Quý II/2026 (task 3, 30/06/2026) comes after March: not flagged.
    assert "tháng ban hành" not in plan.tasks.get(number=3).conflict


def test_a_deadline_before_the_day_a_plan_was_issued_is_a_conflict():
    from portal.seeding import issue_conflicts_find

    rows = [{"due_kind": "quarter", "due_on": dt.date(2026, 3, 31), "conflicts": []},
            {"due_kind": "quarter", "due_on": dt.date(2026, 6, 30), "conflicts": []},
            {"due_kind": "recurring", "due_on": None, "conflicts": []}]
    issue_conflicts_find(issued_on=dt.date(2026, 4, 10), issued_in=None, rows=rows)
    # 31/03/2026 < 10/04/2026: flagged; 30/06/2026 is after; a recurring task has no date.
    assert rows[0]["conflicts"] == ["Thời hạn (Quý I/2026) sớm hơn ngày ban hành kế hoạch (10/04/2026)."]
    assert rows[1]["conflicts"] == rows[2]["conflicts"] == []


def test_before_a_day_means_due_by_the_day_before():
    from portal.seeding import due_parse, report_due_parse

    path = Path("004.yaml")
    # "trước ngày 01/7/2025" → 01/07/2025 − 1 day = 30/06/2025.
    assert due_parse({"before": dt.date(2025, 7, 1)}, path=path, entry="x") == ("date", dt.date(2025, 6, 30))
    # "trước ngày 01/3/2026" → 28/02/2026 (2026 is not a leap year).
    assert due_parse({"before": dt.date(2026, 3, 1)}, path=path, entry="x") == ("date", dt.date(2026, 2, 28))
    # A plain date is kept as written.
    assert due_parse({"date": dt.date(2025, 7, 1)}, path=path, entry="x") == ("date", dt.date(2025, 7, 1))
    # "trước ngày 20 hằng tháng" → due by the 19th; a plan that says "ngày 20" keeps 20.
    assert report_due_parse({"before_day": 20}, path=path, label="plan") == 19
    assert report_due_parse({"day": 20}, path=path, label="plan") == 20


def test_bach_dang_reads_before_the_20th_as_due_by_the_19th(seeded):
    from plans.selectors import report_due_on

    plan = Plan.objects.get(source_name__startswith="004_")
    assert plan.report_due_day == 19  # "trước ngày 20 hằng tháng" (mục IV.6)
    ward = Unit.objects.get(code="HP.XP.BACHDANG")
    # October 2026's figures: due in the following month, by 19/11/2026; sent on 20/11 they are late.
    assert report_due_on(unit=ward, period=dt.date(2026, 10, 1)) == dt.date(2026, 11, 19)
    # A plan that says nothing about it keeps the default: Lộc Ninh's October figures are due 20/11/2026.
    locninh = Unit.objects.get(code="DN.XP.LOCNINH")
    assert report_due_on(unit=locninh, period=dt.date(2026, 10, 1)) == dt.date(2026, 11, 20)
    # "Hoàn thành số hoá … trước ngày 01/7/2025" (II.10) and its repeat in III.5: due by 30/06/2025.
    archive = plan.targets.filter(indicator__code="so_hoa_tai_lieu_luu_tru")
    assert sorted(archive.values_list("position", "due_on")) == [(15, dt.date(2025, 6, 30)),
                                                                 (20, dt.date(2025, 6, 30))]
    # The label says the day it is due by, inclusive; "Trước ngày 30/06/2025" would read as due by 29/06.
    assert archive.first().due_label == "Đến hết ngày 30/06/2025"
