import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENDPOINTS = ["unit-list", "plan-list", "task-list", "indicator-list", "target-list"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_users_are_refused(client, seeded, name):
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["unit-list", "plan-list", "task-list", "target-list"])
def test_a_user_without_a_unit_sees_nothing_and_staff_see_everything(client, seeded, plain_user, staff_user, name):
    client.force_login(plain_user)
    assert client.get(reverse(name)).json()["count"] == 0
    client.force_login(staff_user)
    assert client.get(reverse(name)).json()["count"] > 0


def test_a_ward_clerk_sees_its_ward_and_the_plans_above_it_only(client, seeded, plain_user):
    from units.models import Membership, Unit

    Membership.objects.create(user=plain_user, unit=Unit.objects.get(code="HP.XP.BACHDANG"),
                              role=Membership.Role.CLERK)
    client.force_login(plain_user)
    units = client.get(reverse("unit-list"), {"limit": 500}).json()["results"]
    assert [row["code"] for row in units] == ["HP.XP.BACHDANG"]
    plans = {row["number"] or row["key"] for row in client.get(reverse("plan-list")).json()["results"]}
    assert plans == {"204-QĐ/TW", "35-KH/TU", "hp-xp-bachdang-cds-2026"}
    assert client.get(reverse("unit-detail", kwargs={"code": "DN.XP.LOCNINH"})).status_code == 404
    assert client.get(reverse("indicator-list")).json()["count"] > 0


def test_units_within_a_province_and_children_of_a_unit(client, seeded, staff_user):
    client.force_login(staff_user)
    within = client.get(reverse("unit-list"), {"within": "HP", "limit": 500}).json()
    codes = {row["code"] for row in within["results"]}
    assert "HP.XP.BACHDANG" in codes and not any(code.startswith("DN") for code in codes)
    communes = client.get(reverse("unit-list"), {"parent": "DN", "kind": "commune", "limit": 500}).json()
    assert communes["count"] == 72
    assert {row["parent"] for row in communes["results"]} == {"DN"}
    detail = client.get(reverse("unit-detail", kwargs={"code": "DN.XP.LOCNINH"})).json()
    assert detail == {"code": "DN.XP.LOCNINH", "name": "Đảng ủy xã Lộc Ninh", "kind": "commune", "depth": 3,
                      "parent": "DN", "opened_on": "2025-07-01", "closed_on": None}


def test_unknown_unit_filter_gives_nothing(client, seeded, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("unit-list"), {"within": "KHONG.CO"}).json()["count"] == 0


def test_targets_filtered_by_plan_and_by_unit(client, seeded, staff_user):
    from plans.models import Plan
    from targets.models import Target

    client.force_login(staff_user)
    plan = Plan.objects.get(issuer__code="HP.XP.BACHDANG", source_text__gt="")
    by_plan = client.get(reverse("target-list"), {"plan": plan.key, "limit": 500}).json()
    assert by_plan["count"] == Target.objects.filter(plan=plan).count()
    assert all(row["plan"] == plan.key for row in by_plan["results"])
    first = by_plan["results"][0]
    assert first["clause"] and first["value_label"] and first["due_label"]

    # A Hải Phòng ward is bound by its own plan and by nothing issued in Đồng Nai.
    for_ward = client.get(reverse("target-list"), {"unit": "HP.XP.BACHDANG", "month": "2026-05", "limit": 500}).json()
    plans = {row["plan"] for row in for_ward["results"]}
    assert plan.key in plans
    assert not any(key.startswith("dn-") for key in plans)
    # The ward's plan is for 2026 alone: in January 2027 it binds no one.
    after = client.get(reverse("target-list"), {"unit": "HP.XP.BACHDANG", "month": "2027-01", "limit": 500}).json()
    assert plan.key not in {row["plan"] for row in after["results"]}
    refused = client.get(reverse("target-list"), {"unit": "HP.XP.BACHDANG", "month": "tháng 5"})
    assert refused.status_code == 400
    assert "“tháng 5” không phải là một tháng" in refused.json()["month"][0]


def test_tasks_filtered_by_lead_unit(client, seeded, staff_user):
    client.force_login(staff_user)
    rows = client.get(reverse("task-list"), {"lead_unit": "DN.VPTU.CDSCY", "limit": 100}).json()["results"]
    assert rows and all(row["lead_unit"] == "DN.VPTU.CDSCY" for row in rows)


def test_indicators_filtered_by_group(client, seeded, staff_user):
    client.force_login(staff_user)
    rows = client.get(reverse("indicator-list"), {"group": "an_toan_thong_tin", "limit": 100}).json()["results"]
    assert rows and {row["group"] for row in rows} == {"an_toan_thong_tin"}


def test_openapi_schema_lists_every_endpoint(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/units/", "/api/v1/units/{code}/", "/api/v1/plans/", "/api/v1/tasks/",
                 "/api/v1/indicators/", "/api/v1/targets/"]:
        assert path in paths


def test_unit_list_query_count_does_not_grow_with_the_page(client, seeded, staff_user, django_assert_max_num_queries):
    client.force_login(staff_user)
    with django_assert_max_num_queries(6):
        client.get(reverse("unit-list"), {"limit": 500})
