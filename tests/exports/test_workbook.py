import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from compliance.models import ComplianceResult
from compliance.services import compliance_compute
from exports.models import ExportJob
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def computed(tree):
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    return tree


def _workbook(tmp_path, tree) -> Path:
    path = tmp_path / "bao-cao.xlsx"
    call_command("export_quarterly_report", "--unit", tree.province.code, "--quarter", "2026-Q4", "--output",
                 str(path))
    return path


def test_the_workbook_has_the_official_heading_and_the_engines_numbers(computed, tmp_path):
    book = openpyxl.load_workbook(_workbook(tmp_path, computed))
    assert book.sheetnames == ["Tổng hợp", "Ứng dụng số", "Tình hình nộp báo cáo", "Nhiệm vụ"]
    summary = book["Tổng hợp"]
    texts = [c.value for row in summary.iter_rows(max_row=6) for c in row if c.value]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHUYỂN ĐỔI SỐ QUÝ IV/2026" in texts
    assert any(str(t).startswith("ngày ") and "tháng" in str(t) and "năm" in str(t) for t in texts)
    assert summary.freeze_panes == "A8"
    assert summary.page_setup.orientation == "landscape" and int(summary.page_setup.paperSize) == 9
    rows = {row[1].value: row for row in summary.iter_rows(min_row=8) if row[1].value}
    signed = rows[computed.signed.name]
    total = ComplianceResult.objects.get(run__is_current=True, unit=computed.province, indicator=computed.signed)
    assert signed[4].value == pytest.approx(float(total.sub_value) / 100)
    assert signed[4].number_format == "[$-42A]0.0%"
    # The province is not bound itself (the plan binds wards and cells), but its total covers them and is judged
    # against its plan's ≥ 100%: (80 + 1)/(100 + 2) = 81/102 = 79,41%, C1 silent; the path on 31/10 needs
    # 100×303/364 = 83,24%; 3,83 short → at risk.
    assert (total.sub_numerator, total.sub_denominator, total.sub_status) == (81, 102, "at_risk")
    assert signed[3].value == total.target.held_label and signed[5].value == "Có nguy cơ"
    w1_row = ComplianceResult.objects.get(run__is_current=True, unit=computed.w1, indicator=computed.signed)
    assert w1_row.sub_status == "at_risk"
    assert signed[6].value == f"{total.sub_meeting}/{total.sub_expected}"

    group = book["Ứng dụng số"]
    assert group.freeze_panes == "C9"
    codes = [row[0].value for row in group.iter_rows(min_row=9) if row[0].value]
    assert codes == ["P", "P.W1", "P.W1.C1", "P.W2", "P.NEW"]  # the ward closed in 2025 is left out
    ward_row = next(row for row in group.iter_rows(min_row=9) if row[0].value == computed.c1.code)
    assert ward_row[1].alignment.indent == 2  # a cell two levels below the province

    timeliness = book["Tình hình nộp báo cáo"]
    province = next(row for row in timeliness.iter_rows(min_row=8) if row[0].value == computed.province.code)
    assert [c.value for c in province[4:8]] == [3, 2, 0, 1]


def test_a_reviewer_queues_the_export_and_downloads_it(client, computed, django_capture_on_commit_callbacks):
    reviewer = MembershipFactory(unit=computed.province, role=Membership.Role.REVIEWER).user
    clerk = MembershipFactory(unit=computed.w1, role=Membership.Role.CLERK).user
    client.force_login(clerk)
    response = client.post(reverse("exports:create"), {"unit": computed.w1.code, "quarter": "2026-Q4"},
                           follow=True)
    assert "Chỉ người duyệt" in response.content.decode() and not ExportJob.objects.exists()

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:create"),
                               {"unit": computed.province.code, "quarter": "2026-Q4"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job", kwargs={"pk": job.pk})
    assert job.state == ExportJob.State.DONE and job.progress == 100
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Tải bảng tính" in page and "every 2s" not in page
    download = client.get(reverse("exports:file", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.force_login(clerk)
    assert client.get(reverse("exports:file", kwargs={"pk": job.pk})).status_code == 404


@pytest.mark.libreoffice
def test_the_workbook_opens_in_libreoffice_with_the_same_numbers(computed, tmp_path):
    source = _workbook(tmp_path, computed)
    out = tmp_path / "lo"
    for kind in ("pdf", "xlsx"):
        subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", kind, "--outdir", str(out), str(source)], check=True, timeout=180,
                       capture_output=True)
    pdf = (out / "bao-cao.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 4
    original = openpyxl.load_workbook(source)["Tổng hợp"]
    reopened = openpyxl.load_workbook(out / "bao-cao.xlsx")["Tổng hợp"]
    def cells(sheet):
        return [[pytest.approx(c.value) if isinstance(c.value, float) else c.value for c in row]
                for row in sheet.iter_rows(min_row=8, max_col=7)]

    assert cells(reopened)[: len(cells(original))] == cells(original)
