"""The seed files give a task its six answers; a contribution from a unit that is not cooperating is refused."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from core.seeds import SeedFileError
from plans.models import PlanTask, Recurrence
from plans.selectors import task_accepting_unit
from portal.seeding import plan_seed_load

pytestmark = pytest.mark.django_db
VPTU = Path(settings.BASE_DIR) / "plans" / "seeds" / "plans" / "003_dn-vptu-cds-2026.yaml"


def _with_task_one(tmp_path, **changes) -> Path:
    document = yaml.safe_load(VPTU.read_text(encoding="utf-8"))
    document["tasks"][0].update(changes)
    path = tmp_path / VPTU.name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_appendix_tasks_load_with_their_defaults(seeded):
    tasks = PlanTask.objects.filter(plan__key="dn-vptu-cds-2026")
    assert tasks.count() == 15
    # the Văn phòng issued the plan: it accepts its own appendix tasks
    assert {task_accepting_unit(task=t).code for t in tasks.select_related("plan__issuer")} == {"DN.VPTU"}
    assert tasks.get(number=7).recurrence == Recurrence.QUARTERLY


def test_person_contributions_and_accepting_unit_load(seeded, tmp_path):
    path = _with_task_one(tmp_path, responsible="Trưởng phòng CĐS - Cơ yếu",
                          contributions={"DN.VPTU.QT": "Bố trí mặt bằng, điện, điều hòa"}, accepting="DN")
    plan_seed_load(path=path)
    task = PlanTask.objects.get(plan__key="dn-vptu-cds-2026", number=1)
    assert task.responsible_person == "Trưởng phòng CĐS - Cơ yếu"
    assert task.contributions == {"DN.VPTU.QT": "Bố trí mặt bằng, điện, điều hòa"}
    assert task_accepting_unit(task=task).code == "DN"


def test_a_contribution_from_a_unit_not_cooperating_is_refused(seeded, tmp_path):
    path = _with_task_one(tmp_path, contributions={"DN.VPTU.TH": "Tổng hợp"})
    with pytest.raises(SeedFileError) as caught:
        plan_seed_load(path=path)
    assert caught.value.field == "contributions"
    assert PlanTask.objects.get(plan__key="dn-vptu-cds-2026", number=1).contributions == {}


def test_recurrence_without_recurring_work_is_refused(seeded, tmp_path):
    with pytest.raises(SeedFileError) as caught:
        plan_seed_load(path=_with_task_one(tmp_path, recurrence="monthly"))
    assert caught.value.field == "recurrence"
