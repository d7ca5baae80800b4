"""The reviewer's page: every indicator with its figures, target, last approved month, evidence, changes and the
reasons of a return; history in words; approval confirmed first, and in bulk from the queue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from reports.history import change_list
from reports.models import Report, ReportDecision
from reports.services import (
    ValueInput,
    evidence_attach,
    report_approve,
    report_open,
    report_return,
    report_submit,
    report_values_save,
)
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
MAR, APR, MAY = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _values(world, signed=(80, 100), digitised=(500, 1000), done=False, note=""):
    return [ValueInput(world.signed.pk, numerator=signed[0], denominator=signed[1], note=note),
            ValueInput(world.digitised.pk, numerator=digitised[0], denominator=digitised[1]),
            ValueInput(world.milestone.pk, done=done)]


def _submitted(world, period, unit=None, clerk=None, **values):
    unit, clerk = unit or world.ward, clerk or world.clerk
    report = report_open(unit=unit, period=period, by=clerk)
    report = report_values_save(report=report, by=clerk, values=_values(world, **values), version=report.version)
    return report_submit(report=report, by=clerk, version=report.version)


def test_the_review_page_shows_target_last_approved_month_evidence_changes_and_reasons(client, world):
    report_approve(report=_submitted(world, MAR, signed=(60, 100), digitised=(300, 1000)), by=world.reviewer)
    _submitted(world, APR, signed=(75, 100), digitised=(400, 1000))  # submitted, never approved
    may = _submitted(world, MAY)
    report_return(report=may, by=world.reviewer, reason="",
                  value_reasons={"ky_so": "Tử số chưa khớp sổ theo dõi"})
    evidence = evidence_attach(report=may, indicator_id=world.signed.pk, by=world.clerk,
                               upload=SimpleUploadedFile("so-theo-doi.pdf", PDF))
    may.refresh_from_db()
    may = report_values_save(report=may, by=world.clerk, version=may.version,
                             values=_values(world, signed=(90, 100), note="Bổ sung 10 văn bản ký muộn"))
    report_submit(report=may, by=world.clerk, version=may.version)

    client.force_login(world.reviewer)
    html = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    assert "90 / 100" in html and "90%" in html  # 90 × 100 / 100 = 90%
    assert "Mục tiêu Năm 2026: ≥ 100%" in html  # the target in force (targets.binding)
    # "Last month" is the last approved month, the one the running-total check compares with: March (60 of 100,
    # 60 × 100 / 100 = 60%), not April's 75, which was never approved.
    assert "Tháng đã duyệt gần nhất (03/2026)" in html
    assert "60 / 100 (60%)" in html and "75 / 100" not in html
    assert f'href="{reverse("reports:evidence", args=[evidence.pk])}"' in html and "so-theo-doi.pdf" in html
    assert "tử số: 80 → 90" in html  # since the previous submission
    assert "Lý do đơn vị nêu: Bổ sung 10 văn bản ký muộn" in html
    assert "Tử số chưa khớp sổ theo dõi" in html  # the last return's reason, beside the indicator
    assert 'name="reason-ky_so"' in html and 'form="return-form"' in html  # a reason box beside each indicator


def test_a_return_with_reasons_beside_indicators_only_is_stored_per_indicator_and_shown_to_the_clerk(client, world):
    may = _submitted(world, MAY)
    client.force_login(world.reviewer)
    client.post(reverse("reports:decide", args=[may.pk]),
                {"action": "return", "reason": "", "reason-ky_so": "Tử số chưa khớp", "reason-so_hoa": " "})
    may.refresh_from_db()
    assert may.status == Report.Status.RETURNED
    decision = ReportDecision.objects.get()
    assert decision.value_reasons == {"ky_so": "Tử số chưa khớp"}
    assert decision.reason == f"Xem lý do ghi bên cạnh các chỉ tiêu: {world.signed.name}."
    client.force_login(world.clerk)
    form = client.get(reverse("reports:form", args=["P1.X1", MAY])).content.decode()
    assert "Người duyệt: Tử số chưa khớp" in form


def test_a_return_without_any_reason_or_naming_a_foreign_indicator_is_refused(world):
    may = _submitted(world, MAY)
    with pytest.raises(ValidationError, match="Hãy ghi lý do trả lại"):
        report_return(report=may, by=world.reviewer, reason=" ", value_reasons={"ky_so": " "})
    with pytest.raises(ValidationError, match="không thuộc báo cáo này: khong_co"):
        report_return(report=may, by=world.reviewer, reason="Sai", value_reasons={"khong_co": "?"})
    may.refresh_from_db()
    assert may.status == Report.Status.SUBMITTED and not ReportDecision.objects.exists()


def test_history_and_decisions_read_as_sentences(client, world):
    may = _submitted(world, MAY)
    report_return(report=may, by=world.reviewer, reason="Xem lại", value_reasons={"ky_so": "Tử số chưa khớp"})
    client.force_login(world.clerk)
    html = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    assert "Trạng thái: Nháp → Đã nộp" in html and "Trạng thái: Đã nộp → Bị trả lại" in html
    assert "Ngày đến hạn: 20/06/2026" in html  # due_on stored as "2026-06-20"
    assert f"{world.milestone.name} – hoàn thành: Chưa hoàn thành" in html
    assert f"{world.signed.name}: Tử số chưa khớp" in html  # the decision names the indicator
    assert f"{world.signed.name} – lý do trả lại: Tử số chưa khớp" in html  # and so does the history
    for code in ("status:", "due_on", "ky_so.", "2026-06-20", "True", "False", "draft", "submitted"):
        assert code not in html, code


def test_change_list_words_numbers_dates_and_done(world):
    names = {"ky_so": "Tỷ lệ văn bản được ký số"}
    words = [str(change) for change in change_list({
        "ky_so.numerator": [1234, 1500], "ky_so.done": [None, True], "due_on": [None, "2026-12-20"],
        "status": ["draft", "submitted"], "ky_so.note": [None, ""]}, names=names)]
    assert words == [
        "Tỷ lệ văn bản được ký số – tử số: 1.234 → 1.500",
        "Tỷ lệ văn bản được ký số – hoàn thành: Hoàn thành",
        "Ngày đến hạn: 20/12/2026",
        "Trạng thái: Nháp → Đã nộp",
    ]  # an empty note saved where there was none is no change to a reader


def test_approving_asks_for_confirmation_on_the_page(client, world):
    may = _submitted(world, MAY)
    client.force_login(world.reviewer)
    html = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    assert '<details class="confirm">' in html and "Đồng ý duyệt" in html
    assert "Duyệt báo cáo tháng 05/2026 của" in html


def test_bulk_approval_confirms_then_approves_each_and_says_which_were_refused_and_why(client, world):
    # The reviewer also enters the other ward's figures: that report must be left to another reviewer.
    MembershipFactory(user=world.reviewer, unit=world.other_ward, role=Membership.Role.CLERK)
    clean = _submitted(world, MAY)
    own = _submitted(world, MAY, unit=world.other_ward, clerk=world.reviewer)
    draft = report_open(unit=world.ward, period=APR, by=world.clerk)
    client.force_login(world.reviewer)
    url = reverse("reports:queue-approve")
    ids = [str(clean.pk), str(own.pk), str(draft.pk)]

    confirm = client.post(url, {"report": ids}).content.decode()
    assert "Duyệt 2 báo cáo này?" in confirm  # the two still waiting in the queue
    clean.refresh_from_db()
    assert clean.status == Report.Status.SUBMITTED  # nothing approved before the confirmation

    response = client.post(url, {"report": ids, "confirm": "yes"}, follow=True)
    page = response.content.decode()
    for report in (clean, own, draft):
        report.refresh_from_db()
    assert (clean.status, own.status, draft.status) == (
        Report.Status.APPROVED, Report.Status.SUBMITTED, Report.Status.DRAFT)
    assert f"Đã duyệt 1 báo cáo: {world.ward.name} – 05/2026." in page
    assert f"Chưa duyệt: {world.other_ward.name} – 05/2026. Bạn đã nhập số liệu" in page
    assert f"Chưa duyệt: {world.ward.name} – 04/2026. Chỉ có thể duyệt báo cáo đã nộp." in page
    # Each approval went through report_approve: its own decision and audit row.
    assert ReportDecision.objects.filter(action="approve").count() == 1
    assert AuditEvent.objects.filter(object_id=str(clean.pk), changes__status=["submitted", "approved"]).exists()


def test_bulk_approval_of_nothing_or_of_reports_out_of_scope(client, world):
    may = _submitted(world, MAY)
    stranger = MembershipFactory(role=Membership.Role.REVIEWER).user
    client.force_login(stranger)
    page = client.post(reverse("reports:queue-approve"), {"report": [str(may.pk)], "confirm": "yes"},
                       follow=True).content.decode()
    assert "Không có báo cáo này trong phạm vi của bạn." in page
    may.refresh_from_db()
    assert may.status == Report.Status.SUBMITTED
    page = client.post(reverse("reports:queue-approve"), {}, follow=True).content.decode()
    assert "Hãy đánh dấu chọn các báo cáo cần duyệt trước." in page


def test_done_words_for_every_way_a_milestone_is_written():
    from reports.templatetags.report_words import done_words_filter

    assert [done_words_filter(v) for v in (True, "yes", False, "no", None, "")] == [
        "Hoàn thành", "Hoàn thành", "Chưa hoàn thành", "Chưa hoàn thành", "—", "—"]


def test_the_review_page_and_queue_read_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    may = _submitted(world, MAY)
    _submitted(world, MAY, unit=world.other_ward,
               clerk=MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    client.force_login(world.reviewer)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("reports:detail", args=[may.pk])).status_code == 200
    with django_assert_max_num_queries(6):  # session, user, memberships, the bell, the queue: not one a row
        assert client.get(reverse("reports:queue")).status_code == 200


def test_report_ids_in_the_queue_are_written_as_plain_numbers_past_a_thousand(world, rf):
    # The portal writes numbers the Vietnamese way (1.234): a report's id in a form field must not be, or the
    # queue posts "1.234" and the bulk approval finds nothing ticked.
    from django.template.loader import render_to_string

    may = _submitted(world, MAY)
    may.pk = 1234
    request = rf.get("/")
    request.user = world.reviewer
    queue = render_to_string("reports/queue.html", {"reports": [may]}, request=request)
    assert 'value="1234"' in queue and 'id="pick-1234"' in queue and "1.234" not in queue
    confirm = render_to_string("reports/queue_confirm.html", {"reports": [may]}, request=request)
    assert 'name="report" value="1234"' in confirm
