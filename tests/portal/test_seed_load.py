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
    assert out.count("MÂU THUẪN") == Target.objects.exclude(conflict="").count() + sum(
        len(t.conflict.splitlines()) - 1 for t in Target.objects.exclude(conflict="")) + sum(
        len(t.conflict.splitlines()) for t in PlanTask.objects.exclude(conflict=""))


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
