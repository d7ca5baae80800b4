import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from plans.models import Plan, PlanStatus
from plans.selectors import plan_list
from portal.demo import SYNTHETIC_ROOT
from reports.models import Report, ReportValue
from targets.binding import targets_for_unit
from targets.models import Target
from units.models import Membership, Unit

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_both_provinces_users_and_a_year_of_figures(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out

    communes = Unit.objects.filter(kind__in=["commune", "ward", "special_zone"])
    assert communes.filter(path__startswith=Unit.objects.get(code="DN").path).count() == 95
    assert communes.filter(path__startswith=Unit.objects.get(code="HP").path).count() == 114
    assert Unit.objects.filter(kind="cell").exists()
    for username in ["quantri", "vanphong.dongnai", "vanthu.locninh", "vanthu.bachdang"]:
        assert username in out
        assert get_user_model().objects.get(username=username).check_password("demo-cds-2026")
    assert Membership.objects.get(user__username="vanphong.dongnai").unit.code == "DN"
    assert Membership.objects.filter(role=Membership.Role.CLERK).count() >= 5

    months = Report.objects.values("unit").annotate(n=Count("period", distinct=True))
    assert max(row["n"] for row in months) == 12
    # Figures only for what binds the unit, and every ratio is plausible.
    report = Report.objects.filter(unit__code="HP.XP.BACHDANG").first()
    bound = {t.indicator_id for t in targets_for_unit(unit=report.unit, period=report.period)}
    assert set(report.values.values_list("indicator_id", flat=True)) == bound
    assert not ReportValue.objects.filter(numerator__gt=0, denominator=0).exists()
    # A plan binds only in its years: Bạch Đằng's plan is for 2026, so December 2025 has no report from the ward.
    assert not Report.objects.filter(unit__code="HP.XP.BACHDANG", period__year=2025).exists()
    # The marked conflicts describe the demo tree: its party cells are bound by "100% chi bộ" (004 II.5) and by
    # "100% tổ chức cơ sở đảng trực thuộc" (000 T1: grassroots organisations and the party cells under the
    # committee), while Lộc Ninh's "Chi, Đảng bộ các trường học, trạm y tế" (002 T1) names no unit of the tree.
    for source, position in (("004_", 6), ("000_", 1)):
        target = Target.objects.get(plan__source_name__startswith=source, plan__status="issued", position=position)
        assert "không ràng buộc đơn vị nào" not in target.conflict
    assert "không ràng buộc đơn vị nào" in Target.objects.get(
        plan__source_name__startswith="002_", plan__status="issued", position=1).conflict
    for value in ReportValue.objects.filter(indicator__measure="ratio")[:500]:
        assert value.numerator <= value.denominator


def test_seed_demo_if_empty_leaves_an_existing_database_alone(capsys):
    call_command("seed_demo")
    reports = Report.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Report.objects.count() == reports
    assert "quantri" in capsys.readouterr().out


def test_scale_builds_a_consistent_synthetic_tree_with_figures():
    call_command("seed_demo", "--scale", "300", "--months", "2")
    province = Unit.objects.get(code=SYNTHETIC_ROOT)
    assert Unit.objects.filter(path__startswith=province.path).count() == 300
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert Report.objects.filter(unit__path__startswith=province.path).values("period").distinct().count() == 2
    assert ReportValue.objects.filter(report__unit__path__startswith=province.path).exists()


def test_seed_demo_reads_a_seed_plan_into_a_draft_through_the_document_path():
    call_command("seed_demo")
    author = get_user_model().objects.get(username="vanphong.dongnai")
    draft = Plan.objects.get(status=PlanStatus.DRAFT)
    transcribed = Plan.objects.get(key="dn-xp-locninh-cds-2025-2028")
    assert list(draft.authors.all()) == [author] and draft.issuer == transcribed.issuer
    assert draft.source_text == transcribed.source_text and draft.parent.key == "dn-38-kh-tu"
    # Every target read keeps its sentence of the document, and the reading finds most of what was transcribed:
    # the extraction test measures it exactly; here, at least 20 of the 28 transcribed targets' sentences.
    targets = list(draft.targets.all())
    assert all(" ".join(t.clause.split()) in " ".join(draft.source_text.split()) for t in targets)
    assert len(targets) >= 20 and transcribed.targets.count() == 28
    # A draft binds no one and is seen by its author alone.
    ward = transcribed.issuer
    bound = targets_for_unit(unit=ward, period=dt.date(2026, 10, 1))
    assert bound and not any(t.plan_id == draft.pk for t in bound)
    assert draft in plan_list(user=author)
    assert draft not in plan_list(user=get_user_model().objects.get(username="quantri"))

    call_command("seed_demo")  # once only
    assert Plan.objects.filter(status=PlanStatus.DRAFT).count() == 1
