"""The demo data, seeded once for the crawl module and rolled back after it, with the objects the crawl asks for."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings

from compliance.models import ComplianceResult, ComplianceRun, ReportingResult
from core.periods import Quarter
from exports.models import ExportJob
from exports.services import export_job_create
from notifications.models import Notification
from plans.models import Plan
from portal.demo import demo_seed
from portal.seeding import seed_plans_load
from reports.models import Evidence, Report
from reports.services import evidence_attach, report_return
from tasks.services import task_product_attach
from tests.conftest import statistics_refresh
from units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Who owns a sample, for the scope check: a Đồng Nai commune, the rest of Đồng Nai, a Hải Phòng ward, the rest
# of Hải Phòng, or one user alone (export jobs are their requester's).
LOCNINH, DONGNAI, BACHDANG, HAIPHONG = "DN.XP.LOCNINH", "DN", "HP.XP.BACHDANG", "HP"


@dataclass
class Demo:
    """Real ids of the demo data, each with the scope it belongs to ("" when every signed-in user may see it)."""

    reports: list[tuple[int, str]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    clerk_units: list[tuple[str, str]] = field(default_factory=list)
    periods: list[dt.date] = field(default_factory=list)
    evidence: list[tuple[int, str]] = field(default_factory=list)
    exports: list[tuple[int, str]] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    plans: list[tuple[str, str]] = field(default_factory=list)
    tasks: list[tuple[int, str]] = field(default_factory=list)
    task_files: list[tuple[int, str]] = field(default_factory=list)
    targets: list[tuple[int, str]] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    results: list[tuple[int, str]] = field(default_factory=list)
    reporting: list[tuple[int, str]] = field(default_factory=list)
    notifications: list[tuple[int, str]] = field(default_factory=list)
    month: dt.date | None = None


def _scope_of(unit: Unit) -> str:
    for code in (LOCNINH, BACHDANG):
        if unit.code == code or unit.code.startswith(f"{code}."):
            return code
    return DONGNAI if unit.code.split(".")[0] == "DN" else HAIPHONG


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` as a fresh install runs it, plus what a month of use adds: a return, evidence, exports."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    User = get_user_model()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            # The seed's compliance runs are queued after commit: run them as a real commit would.
            with TestCase.captureOnCommitCallbacks(execute=True):
                assert not seed_plans_load().errors
                demo_seed()
            statistics_refresh()
            data = Demo()
            submitted = {}
            for code in (LOCNINH, BACHDANG, "DN.VPTU", "HP.VPTU"):
                unit = Unit.objects.get(code=code)
                approved = Report.objects.filter(unit=unit, status=Report.Status.APPROVED).order_by("-period").first()
                last = Report.objects.filter(unit=unit, status=Report.Status.SUBMITTED).first()
                submitted[code] = last
                data.reports += [(r.pk, _scope_of(unit)) for r in (approved, last) if r]
            data.units = [(code, _scope_of(Unit.objects.get(code=code)))
                          for code in (LOCNINH, BACHDANG, DONGNAI, HAIPHONG, "DN.VPTU", "HP.XP.BACHDANG.CB01")]
            data.clerk_units = [(LOCNINH, LOCNINH), (BACHDANG, BACHDANG)]
            data.periods = sorted({r.period for r in Report.objects.filter(unit__code=LOCNINH)})[-2:]
            # A month of use: a reviewer returns a report, the clerk attaches a file to it.
            for code, reviewer, clerk in ((LOCNINH, "vanphong.dongnai", "vanthu.locninh"),
                                          (BACHDANG, "vanphong.haiphong", "vanthu.bachdang")):
                report = submitted[code]
                report_return(report=report, by=User.objects.get(username=reviewer),
                              reason="Kiểm tra lại số văn bản ký số.", value_reasons={})
                indicator = report.values.first().indicator_id
                evidence = evidence_attach(report=report, indicator_id=indicator, by=User.objects.get(username=clerk),
                                           upload=SimpleUploadedFile("bien-ban.pdf", PDF))
                data.evidence.append((evidence.pk, code))
            # The returns told each commune's clerk; a notification is its recipient's alone, staff included.
            for username in ("vanthu.locninh", "vanthu.bachdang"):
                told = Notification.objects.filter(recipient__username=username).order_by("pk").first()
                data.notifications.append((told.pk, f"user:{username}"))
            quarter = Quarter.of(data.periods[-1])
            with TestCase.captureOnCommitCallbacks(execute=True):
                for username, code in (("vanphong.dongnai", DONGNAI), ("vanphong.haiphong", HAIPHONG)):
                    job = export_job_create(unit=Unit.objects.get(code=code), quarter=quarter,
                                            by=User.objects.get(username=username))
                    data.exports.append((job.pk, f"user:{username}"))
            assert ExportJob.objects.filter(state=ExportJob.State.DONE).count() == 2
            assert Evidence.objects.count() == 2
            data.indicators = list(
                Report.objects.get(pk=data.reports[0][0]).values.values_list("indicator__code", flat=True)[:2])
            # Plans are read by their issuer's subtree and the units below it: the communes' and the Văn
            # phòng's own plans belong to one scope each.
            issued = Plan.objects.issued().filter(issuer__code__in=[LOCNINH, BACHDANG, "DN.VPTU"])
            for plan in issued.select_related("issuer"):
                scope = _scope_of(plan.issuer)
                data.plans.append((plan.key, scope))
                data.targets += [(pk, scope) for pk in plan.targets.order_by("pk").values_list("pk", flat=True)[:1]]
                data.tasks += [(pk, scope) for pk in plan.tasks.order_by("pk").values_list("pk", flat=True)[:1]]
            # The commune's clerk attaches a product file to its open propaganda task.
            task = Plan.objects.issued().get(issuer__code=LOCNINH).tasks.get(number=1)
            product = task_product_attach(task=task, by=User.objects.get(username="vanthu.locninh"),
                                          upload=SimpleUploadedFile("tin-bai.pdf", PDF))
            data.task_files.append((product.pk, LOCNINH))
            run = ComplianceRun.objects.filter(is_current=True).order_by("-period").first()
            data.month = run.period
            data.runs = [run.pk]
            for code in (LOCNINH, BACHDANG):
                result = ComplianceResult.objects.filter(run=run, unit__code=code).order_by("pk").first()
                reporting = ReportingResult.objects.filter(run=run, unit__code=code).order_by("pk").first()
                data.results.append((result.pk, code))
                data.reporting.append((reporting.pk, code))
            yield data
            transaction.set_rollback(True)
    finally:
        media.disable()
