import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Report
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
FORM = reverse("reports:form", kwargs={"code": "P1.X1", "period": dt.date(2026, 5, 1)})


def _post(world, **overrides):
    data = {"version": "0", "ky_so-numerator": "80", "ky_so-denominator": "1.000", "ky_so-note": "",
            "so_hoa-numerator": "500", "so_hoa-denominator": "1000", "so_hoa-note": "", "moc-done": "no",
            "moc-note": ""}
    data.update(overrides)
    return data


def test_the_form_shows_targets_grouped_and_no_one_else_sees_it(client, world):
    client.force_login(world.clerk)
    html = client.get(FORM).content.decode()
    assert "Báo cáo tháng 05/2026" in html
    assert "Mục tiêu Năm 2026: ≥ 100%" in html
    assert world.milestone.name in html and "Ứng dụng số" in html
    client.force_login(MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    assert client.get(FORM).status_code == 404
    client.force_login(world.reviewer)
    assert client.get(FORM).status_code == 404


def test_free_text_and_wrong_ratios_are_refused_on_the_field_and_nothing_is_written(client, world):
    client.force_login(world.clerk)
    response = client.post(FORM, _post(world, **{"ky_so-numerator": "tám mươi"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "“tám mươi” không phải là số" in html
    assert 'value="tám mươi"' in html  # what was typed stays on the page
    html = client.post(FORM, _post(world, **{"so_hoa-numerator": "2000"})).content.decode()
    assert "Tử số không được lớn hơn mẫu số." in html and 'value="2000"' in html
    assert not Report.objects.exists()


def test_saving_then_submitting(client, world):
    client.force_login(world.clerk)
    response = client.post(FORM, _post(world, save="1"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT
    assert report.values.get(indicator=world.signed).denominator == 1000
    page = client.get(FORM).content.decode()
    assert "Đã lưu bản nháp." in page and "8%" in page
    client.post(FORM, _post(world, version=str(report.version), submit="1"))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.submitted_at


def test_a_stale_save_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.clerk)
    client.post(FORM, _post(world, save="1"))
    response = client.post(FORM, _post(world, **{"ky_so-numerator": "99", "save": "1"}))
    html = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in html
    assert 'value="99"' in html
    assert Report.objects.get().values.get(indicator=world.signed).numerator == 80


def _session_expires(client) -> None:
    """The server forgets the session while the browser keeps its other cookies."""
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


def test_figures_posted_after_the_session_expired_come_back_after_login(client, world):
    client.force_login(world.clerk)
    client.get(FORM)
    _session_expires(client)
    response = client.post(FORM, _post(world, **{"ky_so-numerator": "77", "save": "1"}))
    assert response.status_code == 302
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert next_url.startswith(FORM + "?restore=")
    restore_url = next_url
    client.force_login(world.clerk)
    html = client.get(restore_url).content.decode()
    assert 'value="77"' in html and "Phiên làm việc đã hết hạn" in html
    assert not Report.objects.exists()
    # The kept copy is handed back once only.
    assert 'value="77"' not in client.get(restore_url).content.decode()


def test_the_reviewer_returns_with_a_reason_and_the_clerk_sees_it(client, world):
    client.force_login(world.clerk)
    client.post(FORM, _post(world, submit="1"))
    report = Report.objects.get()
    decide = reverse("reports:decide", kwargs={"pk": report.pk})

    client.force_login(UserFactory())
    assert client.post(decide, {"action": "approve"}).status_code == 404
    client.force_login(world.reviewer)
    assert report.unit.name in client.get(reverse("reports:queue")).content.decode()
    client.post(decide, {"action": "return", "reason": ""}, follow=True)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    client.post(decide, {"action": "return", "reason": "Mẫu số ký số chưa đúng", "reason-ky_so": "Xem lại sổ"})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED

    client.force_login(world.clerk)
    html = client.get(FORM).content.decode()
    assert "Mẫu số ký số chưa đúng" in html and "Xem lại sổ" in html
    client.post(FORM, _post(world, version=str(report.version), submit="1", **{"ky_so-numerator": "90"}))
    client.force_login(world.reviewer)
    detail = client.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()
    assert "tử số: 80 → 90" in detail
    client.post(decide, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_the_report_page_shows_its_history_and_is_missing_for_strangers(client, world):
    client.force_login(world.clerk)
    client.post(FORM, _post(world, save="1"))
    report = Report.objects.get()
    detail = reverse("reports:detail", kwargs={"pk": report.pk})
    html = client.get(detail).content.decode()
    # The history names the indicator and the field in words, not "ky_so.numerator: — → 80".
    assert f"{world.signed.name} – tử số: 80" in html
    assert "ky_so.numerator" not in html
    client.force_login(MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    assert client.get(detail).status_code == 404


def test_form_page_query_count(client, world, django_assert_max_num_queries):
    client.force_login(world.clerk)
    client.post(FORM, _post(world, save="1"))
    # The form's own reads, plus the header's: the unread-notifications count and whether the user reviews.
    with django_assert_max_num_queries(16):
        client.get(FORM)
