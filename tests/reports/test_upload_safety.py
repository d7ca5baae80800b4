"""Workbooks that are hostile or broken are refused before openpyxl parses them; no workbook the portal writes
holds a formula, whatever its units' names and clerks' notes begin with."""

import datetime as dt
import io
import re
import subprocess

import openpyxl
import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats import base_formats

from compliance.services import compliance_compute
from core.periods import Quarter
from core.resources import TextXLSX
from exports.services import quarterly_report_write
from plans.models import PlanTask
from reports import imports
from reports.models import Report, ReportValue
from targets.models import Indicator, Target
from tests.compliance.helpers import AFTER_DUE, OCT, report
from tests.factories import MembershipFactory
from tests.reports import bad_files
from units.models import Membership, Unit
from units.resources import UnitResource

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)
HOSTILE = ['=HYPERLINK("http://x.invalid","bấm")', "+1+1", "-2+3", "@SUM(1,1)"]


def _unit_upload(client, content: bytes, name="so-lieu.xlsx"):
    url = reverse("reports:import", kwargs={"code": "P1.X1", "period": MAY})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _bulk_upload(client, content: bytes):
    return client.post(reverse("reports:bulk-import"),
                       {"file": SimpleUploadedFile("nhap.xlsx", content), "month": "2026-05"})


def test_openpyxl_reads_xml_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize(("build", "message"), [
    (lambda: bad_files.bomb(megabytes=40), "sẽ bung ra"),
    (bad_files.far_cell, "đến dòng 1.048.576"),
    (lambda: bad_files.far_cell(keep_dimension=False), "đến dòng 1.048.576"),
    (lambda: bad_files.many_rows(500), "tối đa 59 dòng"),
    (bad_files.malformed_xml, "Bảng tính bị hỏng"),
    (lambda: bad_files.malformed_xml("xl/styles.xml"), "Bảng tính bị hỏng"),
    (bad_files.entity_expansion, "Bảng tính bị hỏng"),
    (bad_files.with_macros, "có macro"),
    (lambda: bad_files.many_strings(5000), "nhiều văn bản hơn"),
    (lambda: bad_files.long_text(40_000), "dài hơn mức Excel cho phép"),
    (bad_files.password_protected, "đặt mật khẩu"),
    (bad_files.not_a_zip, "không phải là bảng tính Excel"),
])
def test_a_clerks_bad_workbook_is_refused_with_a_vietnamese_message_and_nothing_is_written(client, world, build,
                                                                                          message):
    client.force_login(world.clerk)
    response = _unit_upload(client, build())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists() and not ReportValue.objects.exists()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: bad_files.many_rows(5000), "tối đa 64 dòng"),
    (bad_files.far_cell, "đến dòng 1.048.576"),
    (bad_files.malformed_xml, "Bảng tính bị hỏng"),
])
def test_a_reviewers_bad_bulk_file_is_refused_before_it_is_read(client, world, build, message):
    client.force_login(world.reviewer)
    response = _bulk_upload(client, build())
    assert response.status_code == 400 and message in response.content.decode()
    assert not Report.objects.exists()


def test_at_most_200_errors_are_listed_then_how_many_more(client, world, monkeypatch):
    monkeypatch.setattr(imports, "SPARE_ROWS", 1000)
    client.force_login(world.clerk)
    response = _unit_upload(client, bad_files.many_rows(600))
    html = response.content.decode()
    assert response.status_code == 400
    items = re.findall(r"<li>(.*?)</li>", html, re.DOTALL)
    assert len(items) == 201 and items[0].startswith("Trang “Số liệu”, dòng 6")
    # Row 6 holds the first ky_so (three bad cells' worth of errors stop at its first refusal), the other 599 rows
    # repeat it: one error each.
    more = int(re.search(r"… và ([\d.]+) lỗi khác", items[-1]).group(1).replace(".", ""))
    assert more > 300 and len(items) - 1 + more < 1300


def _text_cells(book) -> list:
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a formula in a generated workbook"
    return [cell.value for cell in cells if isinstance(cell.value, str)]


def test_a_note_beginning_with_equals_round_trips_through_the_clerks_template(client, world):
    client.force_login(world.clerk)
    form = reverse("reports:form", kwargs={"code": "P1.X1", "period": MAY})
    client.post(form, {"version": "0", "ky_so-numerator": "1", "ky_so-denominator": "2", "ky_so-note": HOSTILE[0],
                       "save": "1"})
    assert ReportValue.objects.get(indicator=world.signed).note == HOSTILE[0]
    template = client.get(reverse("reports:template", kwargs={"code": "P1.X1", "period": MAY})).content
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert HOSTILE[0] in _text_cells(book)
    sheet = book["Số liệu"]
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "so_hoa")
    sheet.cell(row=row, column=4, value=3)
    sheet.cell(row=row, column=5, value=4)
    sheet.cell(row=row, column=7, value=HOSTILE[1]).data_type = "s"  # typed as text, as Excel keeps "'+1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    response = _unit_upload(client, buffer.getvalue())
    assert response.status_code == 302, response.content.decode()[-800:]
    notes = dict(ReportValue.objects.values_list("indicator__code", "note"))
    assert notes["ky_so"] == HOSTILE[0] and notes["so_hoa"] == HOSTILE[1]


def test_no_generated_workbook_holds_a_formula(client, tree, tmp_path, settings):
    """Unit names, indicator and group names, tasks and notes that begin with = + - @ are written as text."""
    settings.MEDIA_ROOT = tmp_path
    for unit, name in ((tree.province, HOSTILE[0]), (tree.w1, HOSTILE[1]), (tree.w2, HOSTILE[2])):
        Unit.objects.filter(pk=unit.pk).update(name=name)
    tree.signed.name = HOSTILE[3]
    tree.signed.save()
    tree.signed.group.name = HOSTILE[0]
    tree.signed.group.save()
    plan = tree.signed.targets.first().plan
    PlanTask.objects.create(plan=plan, number=1, title=HOSTILE[2], lead_text=HOSTILE[3], expected_output=HOSTILE[0])
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    ReportValue.objects.filter(report__unit=tree.w1).update(note=HOSTILE[1])
    province = Unit.objects.get(pk=tree.province.pk)

    quarterly = quarterly_report_write(unit=province, quarter=Quarter(2026, 4), path=tmp_path / "q.xlsx")
    client.force_login(MembershipFactory(unit=tree.w1, role=Membership.Role.CLERK).user)
    unit_template = client.get(reverse("reports:template", kwargs={"code": "P.W1", "period": OCT})).content
    client.force_login(MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user)
    bulk = client.get(reverse("reports:bulk-import"), {"unit": "P", "month": "2026-10"}).content
    admin_export = TextXLSX().export_data(UnitResource().export())

    written = {
        "quarterly": openpyxl.load_workbook(quarterly),
        "unit template": openpyxl.load_workbook(io.BytesIO(unit_template)),
        "bulk template": openpyxl.load_workbook(io.BytesIO(bulk)),
        "admin export": openpyxl.load_workbook(io.BytesIO(admin_export)),
    }
    texts = {name: _text_cells(book) for name, book in written.items()}
    assert HOSTILE[0] in texts["quarterly"] and HOSTILE[1] in texts["quarterly"]  # the group's line, the ward
    assert {HOSTILE[2], HOSTILE[3]} <= set(texts["quarterly"])  # the task's title and lead, the indicator
    assert {HOSTILE[1], HOSTILE[3]} <= set(texts["unit template"])  # the unit, the indicator, the note
    assert {HOSTILE[1], HOSTILE[2], HOSTILE[3]} <= set(texts["bulk template"])
    assert {HOSTILE[0], HOSTILE[1], HOSTILE[2]} <= set(texts["admin export"])


def test_the_admin_refuses_a_hostile_xlsx_before_reading_it():
    with pytest.raises(Exception, match="1.048.576|1,048,576"):
        TextXLSX().create_dataset(bad_files.far_cell())


def test_the_admins_import_export_offers_only_csv_and_the_text_only_xlsx():
    for model in (Unit, Indicator, Target):
        assert site._registry[model].get_export_formats() == [base_formats.CSV, TextXLSX]


@pytest.mark.libreoffice
def test_a_template_saved_again_by_libreoffice_passes_the_checks_and_imports(client, world, tmp_path):
    """The checks refuse hostile files, not real ones: the template re-saved by another office suite is read."""
    client.force_login(world.clerk)
    template = client.get(reverse("reports:template", kwargs={"code": "P1.X1", "period": MAY})).content
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Số liệu"]
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "so_hoa")
    sheet.cell(row=row, column=4, value=3)
    sheet.cell(row=row, column=5, value=4)
    sheet.cell(row=row, column=7, value=HOSTILE[0]).data_type = "s"
    source = tmp_path / "so-lieu.xlsx"
    book.save(source)
    for kind, path, out in (("ods", source, tmp_path / "ods"), ("xlsx", tmp_path / "ods" / "so-lieu.ods",
                                                                  tmp_path / "lo")):
        subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", kind, "--outdir", str(out), str(path)], check=True, timeout=180,
                       capture_output=True)
    response = _unit_upload(client, (tmp_path / "lo" / "so-lieu.xlsx").read_bytes())
    assert response.status_code == 302, response.content.decode()[-800:]
    value = ReportValue.objects.get(indicator__code="so_hoa")
    assert (value.numerator, value.denominator, value.note) == (3, 4, HOSTILE[0])
