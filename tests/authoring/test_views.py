"""The plan pages as each person meets them: the office writes, issues and amends; others read or get 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from authoring.models import PlanAmendment
from authoring.reading import document_read, reading_accepted_whole
from authoring.services import plan_draft_from_parent, plan_issue
from core.periods import DueKind
from plans.models import Plan, PlanStatus, Recurrence
from reports.models import Report, ReportValue
from targets.models import Target
from tasks.models import TaskRecord

pytestmark = pytest.mark.django_db


def _draft(world):
    return plan_draft_from_parent(by=world.author, parent=world.parent, issuer=world.commune,
                                  title="Kế hoạch chuyển đổi số xã X", year_start=2026, year_end=2026)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_clerk_reads_issued_plans_and_writes_none(client, world):
    draft = _draft(world)
    client.force_login(world.clerk)
    assert "1-KH/TU" in _page(client, "/plans/")
    assert draft.key not in _page(client, "/plans/")
    for url in ("/plans/new/", "/plans/new/from-parent/", "/plans/new/from-document/", f"/plans/{draft.key}/",
                f"/plans/{world.parent.key}/targets/new/", f"/plans/targets/{world.held.pk}/",
                f"/plans/targets/{world.held.pk}/retire/", f"/plans/{draft.key}/issue/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/plans/targets/{world.held.pk}/remove/", {"reason": "x"}).status_code == 404
    assert Target.objects.filter(pk=world.held.pk).exists()


def test_a_draft_is_its_authors_alone(client, world):
    draft = _draft(world)
    client.force_login(world.colleague)  # a reviewer of the same commune: the draft reads as missing
    assert client.get(f"/plans/{draft.key}/").status_code == 404
    target = draft.targets.first()
    assert client.get(f"/plans/targets/{target.pk}/").status_code == 404
    assert client.post(f"/plans/{draft.key}/issue/").status_code == 404
    client.force_login(world.author)
    text = _page(client, "/plans/")
    assert draft.key in text and "Bản nháp" in text
    text = _page(client, f"/plans/{draft.key}/")
    # The adopted targets with their scope in words and their link to the parent; adjust or drop each.
    assert "mọi đơn vị thuộc Đảng ủy xã X" in text and "1-KH/TU, mục tiêu 1" in text
    assert "Điều chỉnh" in text and "Bỏ" in text and "Ban hành kế hoạch" in text


def test_a_reviewer_starts_a_plan_from_its_parent(client, world):
    client.force_login(world.author)
    assert "1-KH/TU" in _page(client, "/plans/new/from-parent/")
    response = client.post("/plans/new/from-parent/", {
        "issuer": world.commune.pk, "parent": world.parent.pk, "kind": "ke_hoach", "title": "Kế hoạch của xã",
        "year_start": 2026, "year_end": 2026, "number": "", "issued_on": "01/02/2026"})
    plan = Plan.objects.get(issuer=world.commune)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.key}/"
    # 2 targets and 2 tasks adopted (the parent's third target is retired).
    assert (plan.targets.count(), plan.tasks.count(), plan.issued_on) == (2, 2, dt.date(2026, 2, 1))


def test_a_parent_that_is_not_above_is_refused_on_the_form(client, world):
    client.force_login(world.author)
    sibling = Plan.objects.create(key="y", title="Kế hoạch xã Y", issuer=world.other, year_start=2026, year_end=2026)
    response = client.post("/plans/new/from-parent/", {
        "issuer": world.commune.pk, "parent": sibling.pk, "kind": "ke_hoach", "title": "x", "year_start": 2026,
        "year_end": 2026})
    # The commune's reviewer does not read commune Y's plan: it is not among the choices.
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Plan.objects.filter(issuer=world.commune).exists()


def _target_post(world, **extra):
    return {"indicator": world.signed.pk, "comparator": "at_least", "value": "95", "value_max": "",
            "due": "Quý IV/2026", "clause": "95% văn bản được ký số", "counts": "all", "judged": "each",
            "reporters": "each", **extra}


def test_a_target_is_added_with_its_deadline_in_words_and_a_bad_one_refused(client, world):
    draft = _draft(world)
    client.force_login(world.author)
    response = client.post(f"/plans/{draft.key}/targets/new/", _target_post(world, due="cuối năm"))
    assert response.status_code == 200 and "“cuối năm” không phải là hạn" in response.content.decode()
    response = client.post(f"/plans/{draft.key}/targets/new/", _target_post(world))
    assert response.status_code == 302
    target = draft.targets.get(position=3)
    assert (target.value, target.due_on) == (95, dt.date(2026, 12, 31))  # Quý IV/2026 ends on 31/12


def test_issuing_in_the_browser_binds_the_commune(client, world):
    draft = _draft(world)
    client.force_login(world.author)
    assert "2 mục tiêu và 2 nhiệm vụ" in _page(client, f"/plans/{draft.key}/issue/")
    response = client.post(f"/plans/{draft.key}/issue/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ISSUED
    text = _page(client, f"/plans/{draft.key}/")
    # Target 1 binds every unit under the commune: the commune and its school cell, 2 units.
    assert 'data-count="2"' in text and "Chi bộ trường X" in text
    assert "Phiên bản 1" in text


def _task_post(**extra):
    return {"title": "Tập huấn ký số cho chi bộ", "due": "Quý IV/2026", "expected_output": "Báo cáo kết quả",
            "recurrence": "", **extra}


def test_an_issued_plan_is_amended_over_two_saves_and_applied_with_one_reason(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    target = draft.targets.get(position=1)
    client.force_login(world.author)
    assert "Mở bản điều chỉnh" in _page(client, f"/plans/{draft.key}/")
    response = client.post(f"/plans/{draft.key}/amendment/open/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{draft.key}/amendment/"
    # First request: target 1 from ≥ 80% to ≥ 90%; kept in the copy, the plan unchanged.
    response = client.post(f"/plans/targets/{target.pk}/", _target_post(world, value="90", due="2026",
                                                                        clause=target.clause))
    assert response.status_code == 302 and response["Location"] == f"/plans/{draft.key}/amendment/"
    target.refresh_from_db()
    assert target.value == 80
    assert 'name="value" value="90"' in _page(client, f"/plans/targets/{target.pk}/")  # the copy's value shown
    # Second request: a task added.
    assert client.post(f"/plans/{draft.key}/tasks/new/", _task_post()).status_code == 302
    text = _page(client, f"/plans/{draft.key}/amendment/")
    assert "Mục tiêu 1: ≥ 80% → ≥ 90%" in text and "Thêm nhiệm vụ 3" in text
    assert "Nhiệm vụ mới: Tập huấn ký số cho chi bộ" in text
    assert "số thay đổi: 2" in _page(client, f"/plans/{draft.key}/")
    # No reason: refused on the form, nothing applied.
    response = client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": ""})
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    assert draft.versions.count() == 1
    response = client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": "Tỉnh giao thêm"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{draft.key}/"
    version = draft.versions.get(number=2)
    assert (version.changes, version.reason) == (["Mục tiêu 1: ≥ 80% → ≥ 90%", "Thêm nhiệm vụ 3"], "Tỉnh giao thêm")
    text = _page(client, f"/plans/{draft.key}/")
    assert "Phiên bản 2" in text and "Mục tiêu 1: ≥ 80% → ≥ 90%" in text and "Tỉnh giao thêm" in text
    assert "Mở bản điều chỉnh" in text  # the copy is applied: none open now


def test_the_amendment_is_its_plans_writers_alone(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    client.force_login(world.author)
    client.post(f"/plans/{draft.key}/amendment/open/")
    pages = [f"/plans/{draft.key}/amendment/", f"/plans/tasks/{draft.tasks.first().pk}/close/"]
    posts = [f"/plans/{draft.key}/amendment/{name}/" for name in ("open", "apply", "discard", "drop")]
    # The commune's other reviewer writes the plan too: the same copy, shared.
    client.force_login(world.colleague)
    assert "Do " in _page(client, pages[0]) and PlanAmendment.objects.count() == 1
    # A reviewer of another commune and the commune's clerk: as if it did not exist.
    for outsider in (world.neighbour, world.clerk):
        client.force_login(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, {"reason": "x", "item": "target-1"}).status_code == 404, url
    assert PlanAmendment.objects.get().status == PlanAmendment.Status.OPEN


def test_a_target_with_approved_figures_is_retired_from_its_page(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    target = draft.targets.get(position=1)
    report = Report.objects.create(unit=world.commune, period=dt.date(2026, 9, 1), status=Report.Status.APPROVED)
    ReportValue.objects.create(report=report, indicator=world.signed, numerator=9, denominator=10)
    client.force_login(world.author)
    response = client.post(f"/plans/targets/{target.pk}/remove/", follow=True)
    assert "đã có số liệu được duyệt" in response.content.decode()
    response = client.post(f"/plans/targets/{target.pk}/retire/", {"from_month": "10/2026"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.retired_from is None  # in the copy until applied
    assert "Mục tiêu 1 thôi áp dụng từ 10/2026" in _page(client, f"/plans/{draft.key}/amendment/")
    client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": "Đã đạt"})
    target.refresh_from_db()
    assert target.retired_from == dt.date(2026, 10, 1)


def test_a_task_with_progress_is_closed_and_a_bare_one_removed_from_the_pages(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    reported, bare = draft.tasks.order_by("number")
    TaskRecord.objects.create(task=reported, state="in_progress")
    client.force_login(world.author)
    assert "Kết thúc hoặc bỏ" in _page(client, f"/plans/{draft.key}/")
    response = client.post(f"/plans/tasks/{reported.pk}/remove/", follow=True)
    assert "Hãy kết thúc nhiệm vụ từ một ngày" in response.content.decode()
    response = client.post(f"/plans/tasks/{reported.pk}/close/", {"closed_from": "31/13/2026"})
    assert response.status_code == 200 and "Nhập một ngày hợp lệ." in response.content.decode()
    assert client.post(f"/plans/tasks/{reported.pk}/close/", {"closed_from": "01/10/2026"}).status_code == 302
    assert client.post(f"/plans/tasks/{bare.pk}/remove/").status_code == 302
    text = _page(client, f"/plans/{draft.key}/amendment/")
    assert "Nhiệm vụ 1 kết thúc từ 01/10/2026" in text and "Bỏ nhiệm vụ 2" in text
    # Taking the removal back keeps task 2 as issued.
    client.post(f"/plans/{draft.key}/amendment/drop/", {"item": f"task-{bare.pk}"})
    text = _page(client, f"/plans/{draft.key}/amendment/")
    assert "Bỏ nhiệm vụ 2" not in text
    client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": "Chuyển đơn vị khác"})
    assert draft.versions.get(number=2).changes == ["Nhiệm vụ 1 kết thúc từ 01/10/2026"]
    assert "Kết thúc từ" in _page(client, f"/plans/{draft.key}/")


def test_a_task_the_amendment_adds_is_corrected_on_its_own_page(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    client.force_login(world.author)
    client.post(f"/plans/{draft.key}/tasks/new/", _task_post(title="Tập huấn ký sô"))  # a typo
    url = f"/plans/{draft.key}/amendment/task-new-1/"
    assert f'href="{url}"' in _page(client, f"/plans/{draft.key}/amendment/")
    assert "Tập huấn ký sô" in _page(client, url)
    response = client.post(url, _task_post(due="cuối năm"))
    assert response.status_code == 200 and "“cuối năm” không phải là hạn" in response.content.decode()
    assert client.post(url, _task_post()).status_code == 302
    assert "Nhiệm vụ mới: Tập huấn ký số cho chi bộ" in _page(client, f"/plans/{draft.key}/amendment/")
    for outsider in (world.neighbour, world.clerk):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(world.author)
    assert client.get(f"/plans/{draft.key}/amendment/task-new-2/").status_code == 404  # no such item
    client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": "Bổ sung nhiệm vụ"})
    assert draft.tasks.get(number=3).title == "Tập huấn ký số cho chi bộ"


def test_a_discarded_amendment_leaves_the_plan_as_issued(client, world):
    draft = _draft(world)
    plan_issue(by=world.author, plan=draft)
    target = draft.targets.get(position=1)
    client.force_login(world.author)
    client.post(f"/plans/targets/{target.pk}/", _target_post(world, value="90", due="2026", clause=target.clause))
    response = client.post(f"/plans/{draft.key}/amendment/discard/", follow=True)
    assert "Đã hủy bản điều chỉnh" in response.content.decode()
    target.refresh_from_db()
    assert target.value == 80 and draft.versions.count() == 1
    assert 'name="value" value="80' in _page(client, f"/plans/targets/{target.pk}/")  # the issued value again


# The document path, read by authoring.documents and authoring.extract.
DOCUMENT = "I. MỤC TIÊU\n1. Đến hết năm 2026, tối thiểu 95% văn bản được ký số.\n2. Tăng cường lãnh đạo.\n"
CLAUSE = "1. Đến hết năm 2026, tối thiểu 95% văn bản được ký số."


def _plan_fields(world):
    return {"issuer": world.commune.pk, "parent": world.parent.pk, "kind": "ke_hoach", "title": "Kế hoạch từ văn bản",
            "year_start": 2026, "year_end": 2026}


def test_a_plan_starts_from_its_pasted_text(client, world):
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", {**_plan_fields(world), "text": DOCUMENT, "action": "read"})
    text = response.content.decode()
    # The candidate's sentence highlighted in the text, and the candidate beside it: ≥ 95% on the signed-documents
    # indicator guessed from the catalogue's words, due by the end of 2026.
    assert f'<mark id="clause-1">{CLAUSE}<sup>1</sup></mark>' in text
    assert 'value="ky_so" selected' in text and 'name="c1-due" value="2026"' in text
    response = client.post("/plans/new/from-document/", {
        **_plan_fields(world), "text": DOCUMENT, "action": "create", "c1-accept": "on", "c1-kind": "target",
        "c1-indicator": "ky_so", "c1-comparator": "at_least", "c1-value": "95", "c1-due": "2026", "c1-clause": CLAUSE})
    plan = Plan.objects.get(issuer=world.commune)
    assert response.status_code == 302 and plan.status == PlanStatus.DRAFT and plan.source_text == DOCUMENT
    target = plan.targets.get()
    assert (target.indicator, target.value, target.due_on, target.clause) == (world.signed, 95,
                                                                              dt.date(2026, 12, 31), CLAUSE)


def test_an_accepted_target_without_its_indicator_is_sent_back(client, world):
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", {
        **_plan_fields(world), "text": DOCUMENT, "action": "create", "c1-accept": "on", "c1-kind": "target",
        "c1-indicator": "", "c1-comparator": "at_least", "c1-value": "95", "c1-due": "2026", "c1-clause": CLAUSE})
    assert response.status_code == 200 and "Mục tiêu cần thông tin này." in response.content.decode()
    assert not Plan.objects.filter(issuer=world.commune).exists()


def test_a_rejected_candidate_is_left_out_and_a_text_without_targets_still_shows(client, world):
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", {**_plan_fields(world), "text": "Tăng cường lãnh đạo.",
                                                          "action": "read"})
    text = response.content.decode()
    assert "Không nhận ra mục tiêu hay nhiệm vụ nào" in text and "Tăng cường lãnh đạo." in text
    assert "chọn (bôi đen) từng mục tiêu" in text and 'name="passage_new"' in text  # to point at what it holds
    response = client.post("/plans/new/from-document/", {
        **_plan_fields(world), "text": DOCUMENT, "action": "create", "c1-kind": "target", "c1-clause": CLAUSE})
    assert response.status_code == 302 and not Plan.objects.get(issuer=world.commune).targets.exists()


def test_an_uploaded_text_file_is_read_and_a_doc_refused(client, world):
    client.force_login(world.author)
    upload = SimpleUploadedFile("ke-hoach.txt", DOCUMENT.encode(), content_type="text/plain")
    response = client.post("/plans/new/from-document/", {**_plan_fields(world), "file": upload, "action": "read"})
    assert '<mark id="clause-1">' in response.content.decode()
    upload = SimpleUploadedFile("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64,
                                content_type="application/msword")
    response = client.post("/plans/new/from-document/", {**_plan_fields(world), "file": upload, "action": "read"})
    assert "là tệp Word định dạng cũ (.doc)" in response.content.decode()
    assert not Plan.objects.filter(issuer=world.commune).exists()


def test_a_drafts_heading_is_edited_by_its_author_alone(client, world):
    draft = _draft(world)
    heading = {"parent": world.parent.pk, "kind": "ke_hoach", "title": "Kế hoạch số 5", "number": "5-KH/ĐU",
               "issued_on": "15/03/2026", "year_start": 2026, "year_end": 2026}
    client.force_login(world.colleague)
    assert client.post(f"/plans/{draft.key}/edit/", heading).status_code == 404
    client.force_login(world.author)
    assert "Thông tin chung của kế hoạch" in _page(client, f"/plans/{draft.key}/edit/")
    assert client.post(f"/plans/{draft.key}/edit/", {**heading, "year_end": 2025}).status_code == 200  # 2025 < 2026
    response = client.post(f"/plans/{draft.key}/edit/", heading)
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.title, draft.number, draft.issued_on) == ("Kế hoạch số 5", "5-KH/ĐU", dt.date(2026, 3, 15))
    plan_issue(by=world.author, plan=draft)
    # Issued: the same page keeps the change in the amendment being prepared, saying so.
    assert "Ghi vào bản điều chỉnh" in _page(client, f"/plans/{draft.key}/edit/")


def test_changing_a_targets_value_keeps_a_scope_above_the_issuer_and_its_kinds(client, world):
    """A target may measure the figures of a unit above its issuer (a Văn phòng's "80% cơ quan, đơn vị thuộc Tỉnh ủy"
    is judged on the province). Opened to change its value, the form offers that unit, selected, so saving the form
    as the browser sends it changes the value alone; the kinds, sent back in the form's order, are no change."""
    draft = _draft(world)
    target = draft.targets.get(position=1)
    Target.objects.filter(pk=target.pk).update(scope_unit=world.province, counts="kinds",
                                               applies_to_kinds=["ward", "commune"])
    plan_issue(by=world.author, plan=draft)
    client.force_login(world.author)
    client.post(f"/plans/{draft.key}/amendment/open/")
    page = _page(client, f"/plans/targets/{target.pk}/")
    select = page.split('name="scope_unit"')[1].split("</select>")[0]
    assert f'<option value="{world.province.pk}" selected>' in select
    response = client.post(f"/plans/targets/{target.pk}/", _target_post(
        world, value="90", due="2026", clause=target.clause, scope_unit=world.province.pk, counts="kinds",
        applies_to_kinds=["commune", "ward"]))
    assert response.status_code == 302
    client.post(f"/plans/{draft.key}/amendment/apply/", {"reason": "Tỉnh giao thêm"})
    # Only the value changed: 80 → 90, the scope still the province's, the kinds as they were.
    assert draft.versions.get(number=2).changes == ["Mục tiêu 1: ≥ 80% → ≥ 90%"]
    target.refresh_from_db()
    assert (target.value, target.scope_unit_id, sorted(target.applies_to_kinds)) == (
        90, world.province.pk, ["commune", "ward"])


def test_a_long_plan_read_from_its_document_is_accepted_in_one_form(client, world):
    """A provincial plan's appendix gives a few hundred candidates, a dozen fields each: 300 × 12 = 3.600 fields,
    past Django's default of 1.000, which refused the form and lost the reviewer's choices."""
    lines = [f"{n}. Đến hết năm 2026, tối thiểu 95% văn bản của nhóm {n} được ký số." for n in range(1, 301)]
    document = "Kế hoạch chuyển đổi số\n\nII. MỤC TIÊU CỤ THỂ\n" + "\n".join(lines)
    client.force_login(world.author)
    fields = {**_plan_fields(world), "text": document, "action": "create"}
    for n, line in enumerate(lines, start=1):
        fields.update({f"c{n}-accept": "on", f"c{n}-kind": "target", f"c{n}-indicator": "ky_so",
                       f"c{n}-comparator": "at_least", f"c{n}-value": "95", f"c{n}-value_max": "",
                       f"c{n}-due": "2026", f"c{n}-clause": line, f"c{n}-lead": "", f"c{n}-cooperating": "",
                       f"c{n}-output": "", f"c{n}-scope": ""})
    assert len(fields) > 3_600
    response = client.post("/plans/new/from-document/", fields)
    assert response.status_code == 302
    assert Plan.objects.get(issuer=world.commune).targets.count() == 300


# Recurring deadlines read from "Tổ chức thực hiện": candidate 1 the target, 2 a monthly report (recurring work), 3 a
# yearly one, which the model holds only as a first deadline.
RECURRING = (
    "I. MỤC TIÊU\n1. Đến hết năm 2026, tối thiểu 95% văn bản được ký số.\n"
    "II. TỔ CHỨC THỰC HIỆN\n"
    "1. Sở Nội vụ tổng hợp, báo cáo kết quả thực hiện Kế hoạch về Ủy ban nhân dân tỉnh trước ngày 15 hằng tháng.\n"
    "2. Sở Khoa học và Công nghệ tổng hợp, báo cáo kết quả chuyển đổi số trước ngày 30/11 hằng năm.\n")
MONTHLY = "1. Sở Nội vụ tổng hợp, báo cáo kết quả thực hiện Kế hoạch về Ủy ban nhân dân tỉnh trước ngày 15 hằng tháng."
YEARLY = "2. Sở Khoa học và Công nghệ tổng hợp, báo cáo kết quả chuyển đổi số trước ngày 30/11 hằng năm."


def _page_post(client, data) -> str:
    response = client.post("/plans/new/from-document/", data)
    assert response.status_code == 200
    return response.content.decode()


def _recurring_post(world, **fields):
    """The page as the reviewer sends it back: the target accepted, the two tasks as read, `fields` changing them."""
    return {**_plan_fields(world), "text": RECURRING, "action": "create",
            "c1-accept": "on", "c1-kind": "target", "c1-indicator": "ky_so", "c1-comparator": "at_least",
            "c1-value": "95", "c1-due": "2026", "c1-clause": CLAUSE,
            "c2-accept": "on", "c2-kind": "task", "c2-due": "", "c2-recurrence": "monthly",
            "c2-due_written": "trước ngày 15 hằng tháng", "c2-clause": MONTHLY, "c2-lead_text": "Sở Nội vụ",
            "c3-accept": "on", "c3-kind": "task", "c3-due": "", "c3-recurrence": "",
            "c3-due_written": "trước ngày 30/11 hằng năm", "c3-clause": YEARLY,
            "c3-lead_text": "Sở Khoa học và Công nghệ", **fields}


def test_a_monthly_deadline_read_from_the_document_becomes_recurring_work(client, world):
    client.force_login(world.author)
    text = _page_post(client, {**_plan_fields(world), "text": RECURRING, "action": "read"})
    # "hằng tháng": monthly preselected, no date, and the plan's words kept beside it.
    monthly = text.split('name="c2-recurrence"')[1].split("</select>")[0]
    assert '<option value="monthly" selected>Hằng tháng</option>' in monthly
    assert 'name="c2-due" value=""' not in text and 'name="c2-due"' in text
    assert 'name="c2-due_written" value="trước ngày 15 hằng tháng"' in text
    response = client.post("/plans/new/from-document/", _recurring_post(world, **{"c3-accept": ""}))
    assert response.status_code == 302
    task = Plan.objects.get(issuer=world.commune).tasks.get()
    assert (task.due_kind, task.recurrence, task.due_on, task.due_text) == (
        DueKind.RECURRING, Recurrence.MONTHLY, None, "trước ngày 15 hằng tháng")
    assert (task.title, task.lead_text) == (MONTHLY, "Sở Nội vụ")


def test_a_yearly_deadline_asks_for_the_first_one_and_keeps_the_other_edits(client, world):
    client.force_login(world.author)
    text = _page_post(client, {**_plan_fields(world), "text": RECURRING, "action": "read"})
    # No recurrence in the model for "hằng năm": nothing chosen, no date, and the reviewer told what to do.
    yearly = text.split('name="c3-recurrence"')[1].split("</select>")[0]
    assert '<option value="" selected>Không định kỳ</option>' in yearly
    assert ("Văn bản ghi “trước ngày 30/11 hằng năm”, không phải một ngày cụ thể: nhập hạn đầu tiên (ví dụ "
            "30/11/2026), hoặc chọn Hằng tháng hay Hằng quý ở mục Định kỳ.") in text
    # Created as read: refused at the deadline, nothing written, the target's value the reviewer changed to 90 kept.
    response = client.post("/plans/new/from-document/", _recurring_post(world, **{"c1-value": "90"}))
    text = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.filter(issuer=world.commune).exists()
    assert ('<div class="field-error" id="id_c3-due_error">Nhiệm vụ cần có thời hạn: nhập hạn (ví dụ 30/11/2026), '
            "hoặc với việc định kỳ, chọn Hằng tháng hay Hằng quý ở mục Định kỳ.") in text
    assert "“” không phải là hạn" not in text  # not the service's "“” is not a deadline"
    assert 'name="c1-value" value="90"' in text and 'name="c3-due_written" value="trước ngày 30/11 hằng năm"' in text
    # The first deadline typed: a dated task, due 30/11/2026, keeping the plan's words.
    response = client.post("/plans/new/from-document/", _recurring_post(world, **{"c3-due": "30/11/2026"}))
    assert response.status_code == 302
    plan = Plan.objects.get(issuer=world.commune)
    yearly = plan.tasks.get(title=YEARLY)
    assert (yearly.due_kind, yearly.due_on, yearly.recurrence, yearly.due_text) == (
        DueKind.DATE, dt.date(2026, 11, 30), "", "trước ngày 30/11 hằng năm")
    assert plan.targets.get().value == 95 and plan.tasks.get(title=MONTHLY).due_kind == DueKind.RECURRING


def test_a_recurrence_goes_with_no_date_and_on_no_target(client, world):
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", _recurring_post(
        world, **{"c2-due": "31/12/2026", "c1-recurrence": "quarterly", "c3-accept": ""}))
    text = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.filter(issuer=world.commune).exists()
    assert ('id="id_c2-recurrence_error">Việc định kỳ không có ngày hạn: xóa ô Hạn nộp, hoặc chọn “Không định kỳ” '
            "để giữ ngày hạn.") in text
    assert 'id="id_c1-recurrence_error">Mục tiêu không có định kỳ: để mục Định kỳ là “Không định kỳ”.' in text


def test_taken_as_read_a_monthly_task_is_accepted_and_a_yearly_one_left_for_the_author(world):
    reading = document_read(text=RECURRING)
    accepted = {item.index: item for item in reading_accepted_whole(reading)}
    # Candidate 1, the target, with its indicator guessed; 2 with its recurrence; 3 has neither a date nor one.
    assert sorted(accepted) == [1, 2]
    assert (accepted[2].data["due"], accepted[2].data["recurrence"], accepted[2].data["due_text"]) == (
        "", Recurrence.MONTHLY, "trước ngày 15 hằng tháng")
