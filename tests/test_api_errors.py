"""Bad ids and bad filter values answer 404/400 with a message, never 500; the schema says what the API returns."""

import datetime as dt

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, PlanFactory, unit_make
from units.models import Membership, UnitKind

pytestmark = pytest.mark.django_db

NOT_FOUND = "Không tìm thấy."


@pytest.fixture
def api(root):
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1")
    PlanFactory(issuer=province)
    user = MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


@pytest.mark.parametrize("pk", ["abc", "null,null", "1.5", "-1", "9" * 30])
@pytest.mark.parametrize("action", ["", "changes/", "approve/", "submit/", "values/", "return/", "reopen/"])
def test_a_malformed_report_id_is_not_found(api, pk, action):
    path = f"/api/v1/reports/{pk}/{action}"
    response = api.get(path) if action in ("", "changes/") else api.post(path, {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


@pytest.mark.parametrize("path", ["/api/v1/tasks/abc/", "/api/v1/targets/1e3/", "/api/v1/compliance/x/?period=2026-05",
                                  "/api/v1/reporting/99999999999999999999999/?period=2026-05"])
def test_other_malformed_ids_are_not_found_either(api, path):
    response = api.get(path)
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}


@pytest.mark.parametrize("name", ["target-list", "plan-list"])
@pytest.mark.parametrize("year", ["0", "0.0", "-5", "99999", "10000000000000000000000"])
def test_an_impossible_year_is_refused_with_a_message(api, name, year):
    response = api.get(reverse(name), {"year": year})
    assert response.status_code == 400
    assert response.json() == {"year": ["Hãy ghi một năm trong khoảng 2000 đến 2100."]}


@pytest.mark.parametrize("name", ["target-list", "plan-list"])
def test_a_year_that_is_not_a_number_is_refused_and_a_real_one_works(api, name):
    response = api.get(reverse(name), {"year": "hai nghìn"})
    assert response.status_code == 400 and response.json() == {"year": ["Hãy ghi năm bằng số, ví dụ 2026."]}
    assert api.get(reverse(name), {"year": dt.date.today().year}).status_code == 200


@pytest.mark.parametrize("period", ["2026-13", "2026-5-1", "tháng 5", "9999999-01"])
def test_a_report_month_filter_that_is_not_a_month_is_refused(api, period):
    response = api.get(reverse("report-list"), {"period": period})
    assert response.status_code == 400
    assert "không phải là một tháng; hãy ghi theo dạng 09/2026" in response.json()["period"][0]
    assert api.get(reverse("report-list"), {"period": "2026-05"}).status_code == 200


@pytest.mark.parametrize(("name", "params"), [
    ("report-list", {"status": "gui-roi"}), ("unit-list", {"kind": "xa"}),
    ("task-list", {"due_kind": "x"}), ("target-list", {"comparator": "gan-bang"}),
])
def test_a_choice_filter_with_an_unknown_value_is_refused(api, name, params):
    response = api.get(reverse(name), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_a_huge_page_size_is_capped_not_a_server_error(api):
    response = api.get(reverse("unit-list"), {"limit": "4" * 30, "offset": "9" * 30})
    assert response.status_code == 200 and response.json()["results"] == []


def test_a_report_for_an_unknown_unit_or_month_is_refused_with_a_message(api):
    response = api.post(reverse("report-list"), {"unit": "P1.X1", "period": "2026-13"}, format="json")
    assert response.status_code == 400
    assert "không phải là một tháng" in response.json()["period"][0]
    response = api.post(reverse("report-list"), {"unit": "KHONG.CO", "period": "2026-05"}, format="json")
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}


def test_the_schema_describes_what_the_endpoints_return(client, staff_user):
    client.force_login(staff_user)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "chỉ đọc" not in schema["info"]["description"]
    assert "báo cáo tháng" in schema["info"]["description"]
    components = schema["components"]["schemas"]
    assert components["PlanOutput"]["properties"]["parent"]["nullable"] is True
    period = components["ReportOutput"]["properties"]["period"]
    assert period["type"] == "string" and period["pattern"] == "^[0-9]{4}-(0[1-9]|1[0-2])$" and "format" not in period
    assert components["DecisionOutput"]["properties"]["by"]["nullable"] is True
    changes = schema["paths"]["/api/v1/reports/{id}/changes/"]["get"]["responses"]["200"]["content"]
    body = changes["application/json"]["schema"]
    assert body["type"] == "object" and "numerator" in body["additionalProperties"]["properties"]
    # Report ids are integers in the schema, so clients know "abc" cannot be one.
    id_parameter = schema["paths"]["/api/v1/reports/{id}/approve/"]["post"]["parameters"][0]
    assert id_parameter["schema"]["type"] == "integer"
    compliance = schema["paths"]["/api/v1/compliance/"]["get"]["parameters"]
    assert any(p["name"] == "period" and p["required"] for p in compliance)


def test_an_unknown_api_path_answers_json_and_a_missing_slash_is_still_added(api):
    response = api.get("/api/v1/reports/1.5/approve/")
    assert response.status_code == 404 and response.json() == {"detail": NOT_FOUND}
    response = api.get("/api/v1/units")
    assert response.status_code == 301 and response["Location"] == "/api/v1/units/"


def test_the_schema_is_generated_without_a_warning_and_validates(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/reports/{id}/changes/" in (tmp_path / "schema.yml").read_text()


@pytest.mark.parametrize("path", ["/api/v1/plans/a%00b/", "/api/v1/indicators/%00/", "/api/v1/units/?q=%00",
                                  "/api/v1/targets/?plan=%00", "/api/v1/reports/?unit=x%00"])
def test_a_nul_character_in_a_key_or_a_filter_is_not_a_server_error(api, path):
    # PostgreSQL refuses NUL in a string outright; the API must answer before the query is sent.
    assert api.get(path).status_code in (400, 404)
