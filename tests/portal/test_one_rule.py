"""One rule, one place: on the demo data, the form, the engine and the due dates agree for every unit and month."""

from collections import defaultdict

import pytest

from compliance.models import ComplianceResult, ReportingResult
from compliance.services import compliance_compute
from core.periods import month_last_day
from plans.selectors import report_due_on
from reports.models import Report
from reports.selectors import report_form_context
from targets.binding import targets_for_unit
from units.models import Unit
from units.selectors import unit_open_in_month


@pytest.fixture
def demo(demo_seeded):
    months = sorted(set(Report.objects.values_list("period", flat=True)))[-3:]
    return [compliance_compute(period=month) for month in months]


def test_the_form_and_the_engine_judge_the_same_indicators_for_every_unit_and_month(demo):
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for run in demo:
        bound = {pk: {t.indicator_id for t in targets_for_unit(unit=unit, period=run.period)}
                 for pk, unit in units.items()}
        assert sum(1 for indicators in bound.values() if indicators) > 20
        judged = defaultdict(set)
        # A total judged only through a target's scope names that target too; the unit itself is judged where its
        # own row has a verdict.
        for unit_id, indicator_id in ComplianceResult.objects.filter(run=run, target__isnull=False).exclude(
                reason="").values_list("unit_id", "indicator_id"):
            judged[unit_id].add(indicator_id)
        month_end = month_last_day(run.period.year, run.period.month)
        for pk, unit in units.items():
            open_in_month = unit_open_in_month(opened_on=unit.opened_on, closed_on=unit.closed_on,
                                               month_end=month_end)
            assert judged.get(pk, set()) == (bound[pk] if open_in_month else set()), unit.code
        for report in Report.objects.filter(period=run.period).select_related("unit"):
            form = {row["indicator"].pk for row in report_form_context(unit=report.unit, period=run.period,
                                                                        report=report)}
            assert form == judged[report.unit_id], report.unit.code


def test_due_dates_and_lateness_agree_for_every_unit_and_month(demo):
    for run in demo:
        reports = {r.unit_id: r for r in Report.objects.filter(period=run.period).prefetch_related("submissions")}
        expected = ReportingResult.objects.filter(run=run).exclude(own=ReportingResult.Own.NOT_EXPECTED)
        assert expected.count() > 20
        for row in expected.select_related("unit"):
            report = reports.get(row.unit_id)
            assert row.due_on == report_due_on(unit=row.unit, period=run.period), row.unit.code
            if report is None:
                continue
            assert row.due_on == report.due_on, row.unit.code
            first = report.submissions.order_by("number").first()
            if first is not None and report.status != Report.Status.DRAFT:
                # The reporting panel and the submission record say the same thing about lateness.
                late = row.own == ReportingResult.Own.LATE
                assert late == first.is_late, (row.unit.code, run.period)
