"""The clerk's side of the round: the form's errors, files sent with the figures, last month, the list of months."""

import datetime as dt
import re
import zoneinfo
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Evidence, Report, ReportSubmission, ReportValue
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUG, SEP, OCT = dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def _form(period: dt.date) -> str:
    return reverse("reports:form", kwargs={"code": "P1.X1", "period": period})


def _post(**overrides):
    data = {"version": "0", "ky_so-numerator": "80", "ky_so-denominator": "1.000", "ky_so-note": "",
            "so_hoa-numerator": "500", "so_hoa-denominator": "1000", "so_hoa-note": "", "moc-done": "no",
            "moc-note": ""}
    data.update(overrides)
    return data


def _report(world, period, status, *, digitised=None, submitted=None, late=False):
    report = Report.objects.create(unit=world.ward, period=period, status=status,
                                   due_on=dt.date(period.year + period.month // 12, period.month % 12 + 1, 20),
                                   submitted_at=submitted)
    if digitised is not None:
        ReportValue.objects.create(report=report, indicator=world.digitised, numerator=digitised, denominator=1000)
    if submitted:
        ReportSubmission.objects.create(report=report, number=1, submitted_at=submitted, is_late=late)
    return report


def test_errors_are_summed_up_at_the_top_each_linking_to_its_described_field(client, world):
    client.force_login(world.clerk)
    html = client.post(_form(SEP), _post(**{"ky_so-numerator": "tám", "so_hoa-denominator": "-3"})).content.decode()
    summary = html[html.index('id="error-summary"'):html.index('id="report-form"')]
    assert "Chưa lưu được: có 2 lỗi cần sửa" in summary
    assert '<a href="#id_ky_so-numerator">' in summary and '<a href="#id_so_hoa-denominator">' in summary
    field = re.search(r'<input[^>]*name="ky_so-numerator"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_ky_so-numerator_error"' in field
    assert re.search(r'id="id_ky_so-numerator_error">“tám” không phải là số', html)
    assert 'value="tám"' in field  # what was typed stays
    assert not Report.objects.exists()


def test_every_input_of_the_form_has_a_label(client, world):
    client.force_login(world.clerk)
    html = client.get(_form(SEP)).content.decode()
    form = html[html.index('id="report-form"'):html.index("</form>", html.index('id="report-form"'))]
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*id="([^"]+)"', form)
    labelled = set(re.findall(r'<label for="([^"]+)"', form))
    assert len(ids) == 3 * 3 + 2  # ky_so, so_hoa: 2 counts, a note, a file; moc: done, a note, a file
    assert set(ids) <= labelled


def test_a_file_goes_in_with_the_figures_and_a_refused_file_saves_nothing(client, world):
    client.force_login(world.clerk)
    bad = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    response = client.post(_form(SEP), {**_post(save="1"), "so_hoa-evidence": bad})
    html = response.content.decode()
    assert "Chưa lưu được: có 2 lỗi cần sửa" in html and '<a href="#id_so_hoa-evidence">' in html
    assert "Các tệp đã chọn chưa được đính kèm vì chưa có gì được lưu: hãy chọn lại." in html
    assert not Report.objects.exists() and not Evidence.objects.exists()  # all or nothing
    assert re.search(r'name="ky_so-numerator"[^>]*value="80"|value="80"[^>]*name="ky_so-numerator"', html)

    good = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(_form(SEP), {**_post(save="1"), "so_hoa-evidence": good})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.values.get(indicator=world.signed).numerator == 80
    evidence = Evidence.objects.get()
    assert (evidence.indicator, evidence.original_name) == (world.digitised, "bien-ban.pdf")
    html = client.get(_form(SEP)).content.decode()
    assert "bien-ban.pdf" in html and "2/3 chỉ tiêu đã nhập" not in html
    assert "3/3 chỉ tiêu đã nhập" in html  # 80/1.000, 500/1000 and "not done": all three entered


def test_last_month_is_the_last_approved_month_the_drop_check_compares_with(client, world):
    # August approved with 180 records digitised; September's draft says 174 (not approved). October's form shows
    # 180 as last month, names 08/2026, and a running total of 175 is refused against 180, naming August.
    _report(world, AUG, Report.Status.APPROVED, digitised=180)
    _report(world, SEP, Report.Status.DRAFT, digitised=174)
    client.force_login(world.clerk)
    html = client.get(_form(OCT)).content.decode()
    previous = re.search(r'<td class="previous"[^>]*data-label="Tháng trước \(08/2026\)">([^<]*)</td>',
                         html[html.index('data-indicator="so_hoa"'):])
    assert previous.group(1).strip() == "180 / 1.000"  # not September's 174
    assert "đã duyệt 08/2026" in html
    html = client.post(_form(OCT), _post(**{"so_hoa-numerator": "175"})).content.decode()
    assert ("Số lũy kế này thấp hơn số đã duyệt của tháng 08/2026 (180): hãy ghi chú lý do." in html)  # 175 < 180
    assert not Report.objects.filter(period=OCT).exists()


def test_the_clerks_list_shows_due_dates_and_how_each_month_stands(client, world):
    # Today 21/11/2026, reports due on the 20th of the next month:
    # October due 20/11 → not submitted, overdue by 1 day (21 − 20);
    # September due 20/10 → submitted 15/10, on time; August due 20/09 → submitted 25/09, late;
    # July due 20/08 → never begun, overdue by 93 days (11 in Aug after the 20th + 30 Sep + 31 Oct + 21 Nov).
    _report(world, SEP, Report.Status.APPROVED, submitted=dt.datetime(2026, 10, 15, 9, tzinfo=HCM))
    _report(world, AUG, Report.Status.SUBMITTED, submitted=dt.datetime(2026, 9, 25, 9, tzinfo=HCM), late=True)
    client.force_login(world.clerk)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 21)):
        html = client.get(reverse("reports:mine")).content.decode()
    cells = {m: html[html.index(f"Tháng {m}"):][:900] for m in ("10/2026", "09/2026", "08/2026", "07/2026")}
    assert "Hạn nộp: 20/11/2026" in cells["10/2026"] and "Quá hạn 1 ngày" in cells["10/2026"]
    assert "Hạn nộp: 20/10/2026" in cells["09/2026"] and "Đã nộp đúng hạn" in cells["09/2026"]
    assert "Hạn nộp: 20/09/2026" in cells["08/2026"] and "Đã nộp muộn" in cells["08/2026"]
    assert "Hạn nộp: 20/08/2026" in cells["07/2026"] and "Quá hạn 93 ngày" in cells["07/2026"]


def test_months_with_nothing_to_report_are_left_out(client, world):
    # The plan covers 2026 only: on 10/02/2026 the last six months are 01/2026 and 12, 11, 10, 9, 8/2025, and only
    # January has anything to report (due 20/02, so not yet due).
    client.force_login(world.clerk)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 2, 10)):
        html = client.get(reverse("reports:mine")).content.decode()
    assert "Tháng 01/2026" in html and "Chưa đến hạn" in html
    assert "/2025" not in html and "Chưa thực hiện" in html  # January, not begun
    assert html.count('class="timely-') == 1


def test_links_only_for_those_who_may_use_them(client, world):
    client.force_login(world.clerk)
    html = client.get(reverse("reports:mine")).content.decode()
    assert reverse("reports:queue") not in html
    dashboard = client.get(reverse("compliance:dashboard"), {"unit": "P1.X1"}).content.decode()
    assert reverse("reports:bulk-import") not in dashboard and reverse("exports:create") not in dashboard
    # A report's page: the clerk's way back is their list, not the review queue.
    client.post(_form(SEP), _post(**{"ky_so-numerator": "1", "ky_so-denominator": "2"}))
    report = Report.objects.get()
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:queue") not in html and f'href="{reverse("reports:mine")}"' in html
    client.force_login(world.reviewer)
    html = client.get(reverse("reports:mine")).content.decode()
    assert f'href="{reverse("reports:queue")}"' in html
    dashboard = client.get(reverse("compliance:dashboard")).content.decode()
    assert reverse("reports:bulk-import") in dashboard and reverse("exports:create") in dashboard
    viewer = MembershipFactory(unit=world.province, role="viewer").user
    client.force_login(viewer)
    dashboard = client.get(reverse("compliance:dashboard")).content.decode()
    assert reverse("reports:queue") not in dashboard and reverse("exports:create") not in dashboard


def test_the_bulk_import_reads_a_month_typed_the_vietnamese_way(client, world):
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:bulk-import"), {"unit": "P1", "month": "tháng 5/2026"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-2026-05.xlsx"')
    response = client.get(reverse("reports:bulk-import"), {"unit": "P1", "month": "tháng năm"}, follow=True)
    assert "“tháng năm” không phải là một tháng; hãy ghi theo dạng 09/2026." in response.content.decode()


def test_months_before_the_unit_opened_are_left_out(client, world):
    # The ward opened on 15/09/2026: on 21/11/2026 it reports for October and September (open by 30/09), not August.
    world.ward.opened_on = dt.date(2026, 9, 15)
    world.ward.save()
    client.force_login(world.clerk)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 21)):
        html = client.get(reverse("reports:mine")).content.decode()
    assert "Tháng 10/2026" in html and "Tháng 09/2026" in html and "Tháng 08/2026" not in html
