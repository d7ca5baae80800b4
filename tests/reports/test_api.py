
import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from reports.models import Report
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db


def _client(user, token=False):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    else:
        client.force_authenticate(user)
    return client


def _values(world, signed="80"):
    return [
        {"indicator": "ky_so", "numerator": signed, "denominator": "1.000"},
        {"indicator": "so_hoa", "numerator": 500, "denominator": 1000},
        {"indicator": "moc", "done": False},
    ]


def test_the_whole_round_through_the_api_with_a_token(world):
    clerk, reviewer = _client(world.clerk, token=True), _client(world.reviewer, token=True)
    opened = clerk.post("/api/v1/reports/", {"unit": "P1.X1", "period": "2026-05"}, format="json")
    assert opened.status_code == 201, opened.json()
    report = opened.json()
    assert report["status"] == "draft" and report["due_on"] == "2026-06-20"

    saved = clerk.post(f"/api/v1/reports/{report['id']}/values/",
                       {"version": report["version"], "values": _values(world)}, format="json")
    assert saved.status_code == 200, saved.json()
    assert {v["indicator"]: v["denominator"] for v in saved.json()["values"]}["ky_so"] == 1000

    submitted = clerk.post(f"/api/v1/reports/{report['id']}/submit/", {"version": saved.json()["version"]},
                           format="json")
    assert submitted.json()["status"] == "submitted"
    refused = reviewer.post(f"/api/v1/reports/{report['id']}/return/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "lý do" in refused.json()["reason"][0]
    returned = reviewer.post(f"/api/v1/reports/{report['id']}/return/",
                             {"reason": "Sai mẫu số", "value_reasons": {"ky_so": "Mẫu số sai"}}, format="json")
    assert returned.json()["decisions"][0]["reason"] == "Sai mẫu số"
    resaved = clerk.post(f"/api/v1/reports/{report['id']}/values/",
                         {"version": returned.json()["version"], "values": _values(world, signed="90")},
                         format="json")
    clerk.post(f"/api/v1/reports/{report['id']}/submit/", {"version": resaved.json()["version"]}, format="json")
    changes = clerk.get(f"/api/v1/reports/{report['id']}/changes/").json()
    assert changes == {str(world.signed.pk): {"numerator": [80, 90]}}
    approved = reviewer.post(f"/api/v1/reports/{report['id']}/approve/")
    assert approved.json()["status"] == "approved"


def test_free_text_in_a_number_is_refused_in_vietnamese(world):
    clerk = _client(world.clerk)
    report = clerk.post("/api/v1/reports/", {"unit": "P1.X1", "period": "2026-05"}, format="json").json()
    response = clerk.post(f"/api/v1/reports/{report['id']}/values/",
                          {"version": report["version"], "values": _values(world, signed="tám mươi")}, format="json")
    assert response.status_code == 400
    assert "không phải là số" in response.json()["values"]["0"]["numerator"][0]
    assert not Report.objects.get(pk=report["id"]).values.exists()


def test_a_stale_version_gets_a_clear_message(world):
    clerk = _client(world.clerk)
    report = clerk.post("/api/v1/reports/", {"unit": "P1.X1", "period": "2026-05"}, format="json").json()
    clerk.post(f"/api/v1/reports/{report['id']}/values/", {"version": report["version"], "values": _values(world)},
               format="json")
    stale = clerk.post(f"/api/v1/reports/{report['id']}/values/",
                       {"version": report["version"], "values": _values(world, signed="1")}, format="json")
    assert stale.status_code == 400
    assert stale.json()["code"] == "stale_version"
    assert "Người khác đã lưu" in stale.json()["detail"]


def test_another_units_report_is_missing_not_forbidden(world):
    report = _client(world.clerk).post("/api/v1/reports/", {"unit": "P1.X1", "period": "2026-05"},
                                       format="json").json()
    stranger = _client(MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    for method, url in [("get", f"/api/v1/reports/{report['id']}/"),
                        ("post", f"/api/v1/reports/{report['id']}/approve/"),
                        ("post", f"/api/v1/reports/{report['id']}/values/"),
                        ("get", "/api/v1/reports/999999/")]:
        response = getattr(stranger, method)(url, {}, format="json")
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Không tìm thấy."}
    opened = stranger.post("/api/v1/reports/", {"unit": "P1.X1", "period": "2026-05"}, format="json")
    assert opened.status_code == 404
    assert stranger.get("/api/v1/reports/").json()["count"] == 0


def test_anonymous_users_are_refused():
    assert APIClient().get("/api/v1/reports/").status_code in (401, 403)


def test_bad_period_is_refused_in_vietnamese(world):
    # 05/2026 is a month as clerks write it, and is read; "5-2026-01" is nothing.
    response = _client(world.clerk).post("/api/v1/reports/", {"unit": "P1.X1", "period": "5-2026-01"},
                                         format="json")
    assert response.status_code == 400
    assert "không phải là một tháng; hãy ghi theo dạng 09/2026" in response.json()["period"][0]
