import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from reports.models import Report, ReportValue
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)


def _url(name, unit="P1.X1"):
    return reverse(f"reports:{name}", kwargs={"code": unit, "period": MAY})


def _template(client) -> openpyxl.Workbook:
    response = client.get(_url("template"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> dict:
    return {sheet.cell(row=r, column=1).value: r for r in range(6, sheet.max_row + 1)}


def _upload(client, book_or_bytes, name="so-lieu.xlsx", url=None):
    if isinstance(book_or_bytes, bytes):
        content = book_or_bytes
    else:
        buffer = io.BytesIO()
        book_or_bytes.save(buffer)
        content = buffer.getvalue()
    return client.post(url or _url("import"), {"file": SimpleUploadedFile(name, content), "month": "2026-05"})


def _filled(client, world, **cells):
    book = _template(client)
    sheet = book["Số liệu"]
    rows = _rows(sheet)
    sheet.cell(row=rows["ky_so"], column=4, value=cells.get("ky_so_num", "1.234"))
    sheet.cell(row=rows["ky_so"], column=5, value=cells.get("ky_so_den", 2000))
    sheet.cell(row=rows["so_hoa"], column=4, value=500)
    sheet.cell(row=rows["so_hoa"], column=5, value=1000)
    sheet.cell(row=rows["moc"], column=6, value="Có")
    return book


def test_the_template_lists_the_indicators_with_only_input_cells_open(client, world):
    client.force_login(world.clerk)
    sheet = _template(client)["Số liệu"]
    assert sheet["B2"].value == "P1.X1" and sheet["B3"].value == "2026-05"
    rows = _rows(sheet)
    assert set(rows) == {"ky_so", "so_hoa", "moc"}
    assert sheet.protection.sheet is True
    assert sheet.cell(row=rows["ky_so"], column=4).protection.locked is False
    assert sheet.cell(row=rows["ky_so"], column=2).protection.locked is True
    assert sheet.cell(row=rows["moc"], column=4).protection.locked is True  # a milestone takes Có/Không only
    client.force_login(world.reviewer)
    assert client.get(_url("template")).status_code == 404


def test_a_filled_template_fills_the_draft(client, world):
    client.force_login(world.clerk)
    response = _upload(client, _filled(client, world))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT
    values = {v.indicator.code: v for v in report.values.select_related("indicator")}
    assert (values["ky_so"].numerator, values["ky_so"].denominator) == (1234, 2000)
    assert values["moc"].done is True
    assert AuditEvent.objects.filter(object_type="reports.report", note__startswith="Nhập từ").exists()
    page = client.get(_url("form")).content.decode()
    assert "Đã đưa số liệu trong tệp vào bản nháp" in page


def _merged(book):
    book["Số liệu"].merge_cells("D6:E6")
    return book


def _formula(book):
    sheet = book["Số liệu"]
    sheet.cell(row=_rows(sheet)["ky_so"], column=4, value="=1+1")
    return book


def _text(book):
    sheet = book["Số liệu"]
    sheet.cell(row=_rows(sheet)["ky_so"], column=4, value="mười")
    return book


def _unknown(book):
    sheet = book["Số liệu"]
    sheet.cell(row=sheet.max_row + 1, column=1, value="khong_co")
    return book


def _duplicate(book):
    sheet = book["Số liệu"]
    sheet.cell(row=sheet.max_row + 1, column=1, value="ky_so")
    return book


def _ratio(book):
    sheet = book["Số liệu"]
    sheet.cell(row=_rows(sheet)["ky_so"], column=4, value=3000)
    return book


@pytest.mark.parametrize(("spoil", "message"), [
    (_merged, "ô gộp"),
    (_formula, "cột D: không được dùng công thức"),
    (_text, "cột D: “mười” không phải là số"),
    (_unknown, "cột A: mã chỉ tiêu “khong_co” không thuộc đơn vị này"),
    (_duplicate, "cột A: chỉ tiêu “ky_so” xuất hiện hai lần"),
    (_ratio, "cột D: Tử số không được lớn hơn mẫu số."),
])
def test_bad_rows_are_refused_with_sheet_row_column_and_nothing_is_written(client, world, spoil, message):
    client.force_login(world.clerk)
    response = _upload(client, spoil(_filled(client, world)))
    html = response.content.decode()
    assert response.status_code == 400 and "Trang “Số liệu”" in html and message in html, html[-1500:]
    assert not Report.objects.exists() and not ReportValue.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"unit,indicator\nP1.X1,ky_so\n", "không phải là bảng tính Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "đặt mật khẩu"),
    (b"PK\x03\x04 broken", "Không đọc được bảng tính"),
])
def test_bad_files_are_refused_and_nothing_is_written(client, world, content, message):
    client.force_login(world.clerk)
    response = _upload(client, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Report.objects.exists()


def test_a_50_mb_file_is_refused_from_its_length_before_it_is_read(client, world):
    client.force_login(world.clerk)
    response = _upload(client, b"PK" + b"\0" * (50 * 2**20))
    assert response.status_code == 413 and "cổng chỉ nhận tối đa 11 MB" in response.content.decode()
    assert not Report.objects.exists()


def test_a_file_over_the_import_limit_is_refused(client, world, settings):
    settings.PORTAL_IMPORT_MAX_BYTES = 2**20
    client.force_login(world.clerk)
    response = _upload(client, b"PK" + b"\0" * (2 * 2**20))
    assert response.status_code == 400 and "tối đa 1 MB" in response.content.decode()
    assert not Report.objects.exists()


def _bulk(client, root="P1"):
    response = client.get(reverse("reports:bulk-import"), {"unit": root, "month": "2026-05"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_a_reviewer_imports_many_units_at_once(client, world):
    MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK)
    client.force_login(world.reviewer)
    book = _bulk(client)
    sheet = book["Số liệu"]
    for r in range(5, sheet.max_row + 1):
        code = sheet.cell(row=r, column=2).value
        if code == "moc":
            sheet.cell(row=r, column=5, value="Không")
        else:
            sheet.cell(row=r, column=3, value=7)
            sheet.cell(row=r, column=4, value=10)
    units = {sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)}
    assert {"P1.X1", "P1.X2"} <= units
    response = _upload(client, book, url=reverse("reports:bulk-import"))
    assert response.status_code == 302
    assert set(Report.objects.values_list("unit__code", flat=True)) == units
    assert ReportValue.objects.filter(numerator=7, denominator=10).count() == 2 * len(units)


def test_bulk_import_is_all_or_nothing_and_foreign_units_look_unknown(client, world):
    from tests.factories import unit_make
    from units.models import UnitKind

    elsewhere = unit_make(kind=UnitKind.PROVINCE, code="Q9")
    client.force_login(world.reviewer)
    book = _bulk(client)
    sheet = book["Số liệu"]
    sheet.cell(row=5, column=3, value=1)
    sheet.cell(row=5, column=4, value=2)
    last = sheet.max_row + 1
    sheet.cell(row=last, column=1, value=elsewhere.code)
    sheet.cell(row=last, column=2, value="ky_so")
    sheet.cell(row=last + 1, column=1, value="KHONG.CO")
    sheet.cell(row=last + 1, column=2, value="ky_so")
    html = _upload(client, book, url=reverse("reports:bulk-import")).content.decode()
    assert f"dòng {last}, cột A: mã đơn vị “Q9” không có trong phạm vi" in html
    assert f"dòng {last + 1}, cột A: mã đơn vị “KHONG.CO” không có" in html
    assert not Report.objects.exists()
