import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from targets.models import Indicator
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", "q@example.vn", "pw-admin-2026"))
    return client


def _csv_format_index(client, url) -> str:
    html = client.get(url).content.decode()
    options = re.findall(r'<option value="(\d+)"[^>]*>csv</option>', html)
    assert options, html[:2000]
    return options[0]


def _import(client, app_model: str, csv: str):
    url = reverse(f"admin:{app_model}_import")
    fmt = _csv_format_index(client, url)
    return client.post(url, {"format": fmt, "import_file": SimpleUploadedFile("du-lieu.csv", csv.encode("utf-8"))})


def test_indicators_import_with_a_dry_run_preview_then_confirm(admin_client_vi, seeded):
    indicator = Indicator.objects.get(code="van_ban_ky_so")
    csv = ("code,name,group,measure,flow,rollup,unit_threshold,numerator_label,denominator_label,"
           "description,is_active\n"
           f"van_ban_ky_so,Tỷ lệ văn bản được ký số (sửa),{indicator.group.code},ratio,{indicator.flow},"
           f"sum_ratio,,Số văn bản ký số,Tổng số văn bản,,1\n")
    preview = _import(admin_client_vi, "targets_indicator", csv)
    html = preview.content.decode()
    assert preview.status_code == 200 and "(sửa)" in html and "process_import" in html
    indicator.refresh_from_db()
    assert indicator.name != "Tỷ lệ văn bản được ký số (sửa)"  # the preview wrote nothing
    confirm = {name: value for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', html)
               if name in ("import_file_name", "original_file_name", "format", "resource", "csrfmiddlewaretoken")}
    done = admin_client_vi.post(reverse("admin:targets_indicator_process_import"), confirm)
    assert done.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Tỷ lệ văn bản được ký số (sửa)"
    assert AuditEvent.objects.filter(object_type="targets.indicator", object_id=str(indicator.pk),
                                     note="Excel/CSV").exists()


def test_a_bad_row_is_reported_and_nothing_imported(admin_client_vi, seeded):
    csv = ("code,name,group,measure,flow,rollup,unit_threshold,numerator_label,denominator_label,"
           "description,is_active\nchi_tieu_moi,Mới,khong_co_nhom,ratio,level,sum_ratio,,A,B,,1\n")
    html = _import(admin_client_vi, "targets_indicator", csv).content.decode()
    assert "Không có nhóm chỉ tiêu nào mã “khong_co_nhom”." in html
    assert not Indicator.objects.filter(code="chi_tieu_moi").exists()


def test_units_import_through_the_tree_services(admin_client_vi, seeded):
    csv = "code,name,kind,parent,opened_on,closed_on\nDN.XP.LOCNINH.CB77,Chi bộ ấp 77,cell,DN.XP.LOCNINH,2025-07-01,\n"
    html = _import(admin_client_vi, "units_unit", csv).content.decode()
    assert "Chi bộ ấp 77" in html and not Unit.objects.filter(code="DN.XP.LOCNINH.CB77").exists()
    confirm = {name: value for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', html)
               if name in ("import_file_name", "original_file_name", "format", "resource", "csrfmiddlewaretoken")}
    admin_client_vi.post(reverse("admin:units_unit_process_import"), confirm)
    unit = Unit.objects.get(code="DN.XP.LOCNINH.CB77")
    assert Unit.objects.get_parent(unit).code == "DN.XP.LOCNINH"
    assert Unit.objects.find_problems() == ([], [], [], [], [])
