import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import AuditEvent, Conflict
from targets.models import Target
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "pw-admin-2026")
    client.force_login(user)
    return client


def test_admin_index_is_in_vietnamese(admin_client_vi, seeded):
    html = admin_client_vi.get(reverse("admin:index")).content.decode()
    for text in ["Cổng theo dõi chuyển đổi số", "Đơn vị", "Kế hoạch", "Chỉ tiêu", "Mục tiêu", "Báo cáo"]:
        assert text in html


@pytest.mark.parametrize("model", [m for m in admin.site._registry])
def test_every_model_has_a_working_changelist(admin_client_vi, seeded, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_vi.get(url).status_code == 200


def test_a_target_change_page_opens(admin_client_vi, seeded):
    target = Target.objects.first()
    url = reverse("admin:targets_target_change", args=[target.pk])
    response = admin_client_vi.get(url)
    assert response.status_code == 200
    assert target.clause[:30] in response.content.decode()


def test_creating_a_unit_in_the_admin_places_it_in_the_tree_and_audits_it(admin_client_vi, seeded):
    response = admin_client_vi.post(reverse("admin:units_unit_add"), {
        "code": "DN.XP.LOCNINH.CB99", "name": "Chi bộ ấp 99", "kind": "cell", "parent": "DN.XP.LOCNINH",
        "opened_on": "01/07/2025", "closed_on": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="DN.XP.LOCNINH.CB99")
    assert Unit.objects.get_parent(unit).code == "DN.XP.LOCNINH"
    assert str(unit.opened_on) == "2025-07-01"
    assert AuditEvent.objects.filter(object_type="units.unit", object_id=str(unit.pk),
                                     action=AuditEvent.Action.CREATE, actor__username="quantri").exists()


def test_an_invalid_code_in_the_admin_shows_a_vietnamese_message(admin_client_vi, seeded):
    response = admin_client_vi.post(reverse("admin:units_unit_add"), {
        "code": "dn.sai", "name": "Sai mã", "kind": "cell", "parent": "DN", "opened_on": "", "closed_on": "",
    })
    assert response.status_code == 200
    assert "Mã định danh gồm" in response.content.decode()
    assert not Unit.objects.filter(name="Sai mã").exists()


def test_resolving_a_conflict_in_the_admin_is_audited(admin_client_vi, seeded):
    target = Target.objects.filter(conflict_status=Conflict.OPEN).first()
    response = admin_client_vi.post(reverse("admin:targets_target_changelist"), {
        "action": "conflict_mark_resolved", "_selected_action": [target.pk],
    })
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.conflict_status == Conflict.RESOLVED
    event = AuditEvent.objects.filter(object_type="targets.target", object_id=str(target.pk),
                                      action=AuditEvent.Action.UPDATE).get()
    assert event.changes == {"conflict_status": ["open", "resolved"]}


def test_resolving_lộc_ninh_s_two_levels_for_2026_in_favour_of_80_percent(admin_client_vi, seeded):
    # 002 I.2, 2.3.1 and 2.3.2 are both headed "Năm 2026": 50% (target 13) and 80% (target 21) of the same data
    # for the same year, one series with 100% in 2027 (target 26). The reviewer picks 80%.
    plan_targets = Target.objects.filter(plan__source_name__startswith="002_")
    fifty, eighty, later = (plan_targets.get(position=n) for n in (13, 21, 26))
    response = admin_client_vi.post(reverse("admin:targets_target_changelist"), {
        "action": "resolve_in_favour", "_selected_action": [eighty.pk],
    }, follow=True)
    assert "Áp dụng mục tiêu 21; 1 mục tiêu nhường cho mục tiêu này." in response.content.decode()
    fifty.refresh_from_db()
    eighty.refresh_from_db()
    later.refresh_from_db()
    assert (fifty.superseded_by, fifty.conflict_status) == (eighty, Conflict.RESOLVED)
    assert eighty.conflict_status == Conflict.RESOLVED and later.superseded_by is None
    event = AuditEvent.objects.get(object_type="targets.target", object_id=str(fifty.pk), action="update")
    assert event.changes["superseded_by"][0] is None and event.note == "Nhường cho mục tiêu 21 của kế hoạch."
