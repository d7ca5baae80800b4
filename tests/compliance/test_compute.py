import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.management import call_command

from compliance.models import (
    ComplianceMonth,
    ComplianceResult,
    ComplianceRun,
    ExpectedReporter,
    Reminder,
    ReportingResult,
    Status,
)
from compliance.reminders import reminders_send
from compliance.services import compliance_compute
from reports.models import Report, ReportValue
from tests.compliance.helpers import AFTER_DUE, HCM, OCT, at, report
from tests.factories import MembershipFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db
def result(unit, indicator) -> ComplianceResult:
    return ComplianceResult.objects.get(run__is_current=True, run__period=OCT, unit=unit, indicator=indicator)


def test_statuses_roll_up_and_reporting_rates(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True}, submitted=at(10))
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False}, submitted=at(22))
    # P.W1.C1 never reports: after the due date it is overdue.
    compliance_compute(period=OCT, as_of=AFTER_DUE)

    w1 = result(tree.w1, tree.signed)
    # No figures before October: the path starts from 0 on 01/01 and needs 100×303/364 = 83,2% by 31/10.
    assert (w1.value, w1.status, w1.path_value) == (D("80.00"), Status.AT_RISK, D("83.24"))
    assert w1.reason == "80% / mục tiêu 100% đến 31/12/2026; lộ trình cần 83,2% đến 31/10/2026."
    assert result(tree.c1, tree.signed).status == Status.OVERDUE
    # The ward's subtree holds itself and its cell; the province's subtree sums both wards: 81/102.
    province = result(tree.province, tree.signed)
    assert (province.sub_numerator, province.sub_denominator, province.sub_value) == (81, 102, D("79.41"))
    assert (province.sub_expected, province.sub_reporting) == (3, 2)
    # Share of units using AI: 1 of the 3 expected units (the closed and the not-yet-opened ones don't count).
    share = result(tree.province, tree.ai)
    assert (share.sub_meeting, share.sub_expected, share.sub_value) == (1, 3, D("33.33"))

    rates = ReportingResult.objects.get(run__is_current=True, unit=tree.province)
    assert (rates.expected, rates.on_time, rates.late, rates.missing) == (3, 1, 1, 1)
    assert ReportingResult.objects.get(run__is_current=True, unit=tree.c1).own == ReportingResult.Own.OVERDUE
    assert not ReportingResult.objects.filter(unit__in=[tree.closed, tree.new]).exists()


def test_submitted_but_unapproved_figures_are_provisional_only(tree):
    report(tree.w1, {tree.signed: (90, 100)}, status=Report.Status.SUBMITTED)
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    row = result(tree.w1, tree.signed)
    assert (row.value, row.provisional_value, row.status) == (None, D("90.00"), Status.NO_DATA)


@pytest.mark.parametrize(("moment", "own"), [
    (dt.datetime(2026, 11, 20, 23, 59, tzinfo=HCM), ReportingResult.Own.MISSING),
    (dt.datetime(2026, 11, 21, 0, 0, tzinfo=HCM), ReportingResult.Own.OVERDUE),
])
def test_overdue_starts_at_local_midnight_after_the_due_day(tree, moment, own):
    compliance_compute(period=OCT, as_of=moment.astimezone(dt.UTC))
    assert ReportingResult.objects.get(run__is_current=True, unit=tree.w2).own == own


def test_a_rerun_gives_identical_results(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    fields = ["unit_id", "indicator_id", "value", "status", "reason", "sub_value", "sub_status", "sub_reason"]
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    first = sorted(ComplianceResult.objects.filter(run__is_current=True).values_list(*fields))
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    assert sorted(ComplianceResult.objects.filter(run__is_current=True).values_list(*fields)) == first
    assert ComplianceRun.objects.filter(period=OCT).count() == 1


def test_a_crash_midway_leaves_the_previous_results_whole(tree):
    report(tree.w1, {tree.signed: (80, 100)})
    before = compliance_compute(period=OCT, as_of=AFTER_DUE)
    rows = sorted(ComplianceResult.objects.filter(run=before).values_list("unit_id", "indicator_id", "value"))
    ReportValue.objects.filter(report__unit=tree.w1).update(numerator=100)

    with pytest.raises(RuntimeError):
        compliance_compute(period=OCT, as_of=AFTER_DUE, fail_after=2)

    current = ComplianceRun.objects.get(period=OCT, is_current=True)
    assert current == before
    assert sorted(ComplianceResult.objects.filter(run=current).values_list("unit_id", "indicator_id", "value")) == rows
    failed = ComplianceRun.objects.get(period=OCT, state=ComplianceRun.State.FAILED)
    assert not ComplianceResult.objects.filter(run=failed).exists()


def test_a_real_seed_target(seeded):
    from units.models import Unit

    ward = Unit.objects.get(code="HP.XP.BACHDANG")
    from targets.models import Indicator

    signed = Indicator.objects.get(code="van_ban_ky_so")
    report(ward, {signed: (82, 100)}, submitted=at(15))
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    row = ComplianceResult.objects.get(run__is_current=True, unit=ward, indicator=signed)
    assert row.target.plan.source_name.startswith("004_")
    assert row.status in (Status.AT_RISK, Status.BEHIND)
    assert row.reason.startswith("82% / mục tiêu 100% đến 31/12/2026; lộ trình cần")


def test_the_command_computes_a_month(tree, capsys):
    call_command("compute_compliance", "--period", "2026-10")
    assert ComplianceRun.objects.get(period=OCT, is_current=True).results > 0
    assert "10/2026" in capsys.readouterr().out


def test_approval_recomputes_the_month_after_commit(tree, django_capture_on_commit_callbacks):
    from reports.services import report_approve

    reviewer = MembershipFactory(unit=tree.province, role=Membership.Role.REVIEWER).user
    submitted = report(tree.w1, {tree.signed: (80, 100)}, status=Report.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=submitted, by=reviewer)
    assert result(tree.w1, tree.signed).value == D("80.00")


@pytest.fixture
def people(tree):
    clerk = UserFactory(email="vanthu@example.vn")
    MembershipFactory(user=clerk, unit=tree.w2, role=Membership.Role.CLERK)
    reviewer = UserFactory(email="vanphong@example.vn")
    MembershipFactory(user=reviewer, unit=tree.province, role=Membership.Role.REVIEWER)
    return clerk, reviewer


@pytest.mark.parametrize(("today", "kinds", "to"), [
    (dt.date(2026, 11, 16), [], []),
    (dt.date(2026, 11, 17), ["before_due"], ["vanthu@example.vn"]),
    (dt.date(2026, 11, 21), ["after_due"], ["vanthu@example.vn"]),
    (dt.date(2026, 11, 25), ["after_due", "escalation"], ["vanphong@example.vn", "vanthu@example.vn"]),
])
def test_reminders_go_out_once_at_the_right_time(tree, people, today, kinds, to):
    report(tree.w1, {tree.signed: (80, 100)})  # W1 reported; W2 did not
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    for _repeat in range(3):
        reminders_send(period=OCT, today=today)
    assert sorted(Reminder.objects.filter(unit=tree.w2).values_list("kind", flat=True)) == kinds
    assert sorted(address for message in mail.outbox for address in message.to) == to
    assert not Reminder.objects.filter(unit=tree.w1).exists()
    if kinds:
        assert "10/2026" in mail.outbox[0].subject and "20/11/2026" in mail.outbox[0].subject


def test_the_api_serves_results_with_reasons_in_scope(tree, client):
    report(tree.w1, {tree.signed: (80, 100)})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    outsider = UserFactory()
    MembershipFactory(user=outsider, unit=unit_make(kind=UnitKind.PROVINCE, code="Q"), role=Membership.Role.VIEWER)
    client.force_login(outsider)
    assert client.get("/api/v1/compliance/", {"period": "2026-10"}).json()["count"] == 0
    viewer = MembershipFactory(unit=tree.w1, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    rows = client.get("/api/v1/compliance/", {"period": "2026-10", "indicator": "ky_so"}).json()["results"]
    assert {row["unit"] for row in rows} == {"P.W1", "P.W1.C1"}
    w1 = next(row for row in rows if row["unit"] == "P.W1")
    assert w1["status"] == "at_risk" and w1["reason"].startswith("80% / mục tiêu 100%")
    rates = client.get("/api/v1/reporting/", {"period": "2026-10", "unit": "P.W1"}).json()["results"]
    assert rates == [{"unit": "P.W1", "own": "on_time", "due_on": "2026-11-20", "expected": 2, "on_time": 1,
                      "late": 0, "missing": 1}]
    vietnamese = client.get("/api/v1/compliance/", {"period": "10/2026", "indicator": "ky_so"}).json()["results"]
    assert vietnamese == rows  # 10/2026 as clerks write it is the same month as 2026-10
    bad = client.get("/api/v1/compliance/", {"period": "10.2026"})
    assert bad.status_code == 400 and "09/2026" in bad.json()["period"][0]


def test_the_beat_tasks_compute_and_remind(tree, people, django_capture_on_commit_callbacks):
    from compliance.tasks import compute_nightly, remind_daily

    with django_capture_on_commit_callbacks(execute=True):  # the months are queued once the pass commits
        months = compute_nightly.delay().get()
    assert len(months) == 2
    for month in months:
        assert ComplianceRun.objects.filter(period=dt.date.fromisoformat(f"{month}-01"), is_current=True).exists()
    first = remind_daily.delay().get()
    assert remind_daily.delay().get() == 0  # a second pass the same day sends nothing again
    assert first == Reminder.objects.count()


def test_the_expected_reporters_of_a_month_that_is_over_are_kept(tree):
    # October computed on 25/11: the month is over, so its expected reporters are recorded: W1, W2 and C1 (the
    # wards and cells the province's plan binds; the ward closed in June and the one opening in December are not).
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    kept = set(ExpectedReporter.objects.filter(period=OCT, unit__path__startswith=tree.province.path)
               .values_list("unit__code", flat=True))
    assert kept == {"P.W1", "P.W2", "P.W1.C1"}
    # Afterwards a ward is entered in the tree, backdated to July 2025: worked out today it would be a fourth
    # expected reporter for October.
    unit_make(parent=tree.province, kind=UnitKind.WARD, code="P.W3", opened_on=dt.date(2025, 7, 1))
    compliance_compute(period=OCT, as_of=AFTER_DUE + dt.timedelta(days=3))
    province = ReportingResult.objects.get(run__is_current=True, unit=tree.province)
    # Still the same three expected for October: 1 on time (W1), 2 missing; the rate stays 1/3, not 1/4.
    assert (province.expected, province.on_time, province.missing) == (3, 1, 2)


def test_a_month_in_progress_keeps_no_roll(tree):
    compliance_compute(period=OCT, as_of=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC))
    assert not ExpectedReporter.objects.filter(period=OCT).exists()
    assert ComplianceMonth.objects.get(period=OCT).roll_kept_at is None
