"""A draft plan binds no one and is seen by its authors alone; a retired target stops binding from its month."""

import datetime as dt

import pytest

from plans.models import PlanStatus, PlanTask
from plans.selectors import plan_list, plan_task_list
from targets.binding import Bindings, targets_for_unit
from tests.factories import PlanFactory, TargetFactory, UserFactory, unit_make
from units.models import UnitKind

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 1)


@pytest.fixture
def world(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P", opened_on=dt.date(2025, 1, 1))
    commune = unit_make(parent=province, kind=UnitKind.COMMUNE, code="P.X", opened_on=dt.date(2025, 1, 1))
    issued = PlanFactory(issuer=province, key="issued", year_start=2026, year_end=2026)
    held = TargetFactory(plan=issued, position=1)
    return province, commune, issued, held


def test_a_draft_binds_no_one_until_it_is_issued(world):
    province, commune, issued, held = world
    draft = PlanFactory(issuer=commune, key="draft", year_start=2026, year_end=2026, parent=issued,
                        status=PlanStatus.DRAFT)
    own = TargetFactory(plan=draft, position=1, indicator=held.indicator)

    # The commune stays bound by the province's target: the draft neither binds nor cuts the province's plan short.
    assert targets_for_unit(unit=commune, period=OCT) == [held]
    assert Bindings().for_unit(commune, OCT) == {held.indicator_id: [held]}

    draft.status = PlanStatus.ISSUED
    draft.save()
    assert set(targets_for_unit(unit=commune, period=OCT)) == {held, own}


def test_a_draft_is_seen_by_its_authors_alone(world):
    province, commune, issued, held = world
    author, colleague, staff = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    draft = PlanFactory(issuer=province, key="draft", year_start=2026, year_end=2026, status=PlanStatus.DRAFT)
    draft.authors.add(author)
    PlanTask.objects.create(plan=draft, number=1, title="Việc của bản nháp", due_on=dt.date(2026, 12, 31))

    assert set(plan_list(user=staff)) == {issued}  # staff see every unit, not others' drafts
    assert set(plan_list(user=colleague)) == set()
    assert set(plan_list(user=author)) == {draft}  # the author has no unit, yet sees their draft
    assert list(plan_task_list(user=author)) == []  # a draft's tasks are no one's work yet


def test_a_retired_target_binds_until_the_month_before(world):
    province, commune, issued, held = world
    held.retired_from = dt.date(2026, 10, 1)
    held.save()

    assert targets_for_unit(unit=commune, period=dt.date(2026, 9, 1)) == [held]
    assert targets_for_unit(unit=commune, period=OCT) == []
    assert Bindings().for_unit(commune, OCT) == {}
    assert Bindings().for_unit(commune, dt.date(2026, 9, 1)) == {held.indicator_id: [held]}
