"""A passage the reading missed, pointed at by the reviewer: read on its own, added to the candidates, kept."""

import datetime as dt

import pytest

from authoring.extract import catalogue_from_indicators
from authoring.extract_passage import PASSAGE_MAX_CHARS, Span, passage_candidates, passage_span
from plans.models import Plan
from targets.models import Indicator, Measure
from tests.authoring.test_views import CLAUSE, DOCUMENT
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

PLAN = """KẾ HOẠCH chuyển đổi số năm 2026

I. MỤC TIÊU
Bảo đảm các cơ quan đảng cơ bản sử dụng nền tảng số.
Phấn đấu 90% hồ sơ công việc được xử lý trên môi trường mạng.

II. NHIỆM VỤ
1. Rà soát, cập nhật danh mục dữ liệu dùng chung
của Đảng bộ tỉnh.
2. Văn phòng Tỉnh ủy chủ trì, phối hợp với Sở Khoa học và Công nghệ xây dựng kho dữ liệu số, hoàn thành trong \
Quý III/2026.
3. Văn phòng Tỉnh ủy tổng hợp, báo cáo kết quả trước ngày 15 hằng tháng.
"""


def _catalogue():
    return catalogue_from_indicators(Indicator.objects.filter(is_active=True).select_related("group"))


def _read(passage: str):
    span = passage_span(PLAN, passage)
    assert span is not None, passage
    return span, passage_candidates(PLAN, span, catalogue=_catalogue())


def test_a_passage_is_found_however_the_browser_folded_its_line_breaks():
    # The document breaks item 1 after "dùng chung"; a selection copied from the page gives a space there.
    span = passage_span(PLAN, "Rà soát, cập nhật danh mục dữ liệu  dùng chung của Đảng bộ tỉnh.")
    assert PLAN[span.start:span.end] == "Rà soát, cập nhật danh mục dữ liệu dùng chung\ncủa Đảng bộ tỉnh."
    assert passage_span(PLAN, "Rà soát danh mục dữ liệu của Đảng bộ tỉnh.") is None  # not as written
    assert passage_span(PLAN, "   ") is None
    assert passage_span(PLAN * 20, PLAN * 10) is None  # past PASSAGE_MAX_CHARS: a passage, not the document
    assert len(PLAN * 10) > PASSAGE_MAX_CHARS


def test_a_duty_with_nothing_the_rules_read_is_proposed_as_a_task_to_complete(world):
    span, found = _read("Rà soát, cập nhật danh mục dữ liệu dùng chung của Đảng bộ tỉnh.")
    (task,) = found
    assert (task.kind, task.clause, task.due, task.lead) == (
        "task", "Rà soát, cập nhật danh mục dữ liệu dùng chung của Đảng bộ tỉnh.", None, "")
    assert (task.start, task.end) == span


def test_a_led_item_gives_its_lead_cooperating_unit_and_quarter(world):
    _, found = _read("Văn phòng Tỉnh ủy chủ trì, phối hợp với Sở Khoa học và Công nghệ xây dựng kho dữ liệu số")
    (task,) = found
    # "Quý III/2026" is not in the passage pointed at: the task has no deadline until the reviewer sets one.
    assert (task.kind, task.lead, task.cooperating, task.due) == (
        "task", "Văn phòng Tỉnh ủy", "Sở Khoa học và Công nghệ", None)
    _, found = _read("Văn phòng Tỉnh ủy chủ trì, phối hợp với Sở Khoa học và Công nghệ xây dựng kho dữ liệu số, "
                     "hoàn thành trong Quý III/2026.")
    (task,) = found
    assert (task.lead, task.due, task.due_text) == ("Văn phòng Tỉnh ủy", dt.date(2026, 9, 30), "Quý III/2026")


def test_a_pointed_duty_is_led_by_the_units_it_opens_with(world):
    text = "- Các Trung tâm y tế giám sát tuyến xã và báo cáo hằng ngày.\n"
    (task,) = passage_candidates(text, passage_span(text, text.strip()), catalogue=_catalogue())
    assert (task.kind, task.lead, task.due) == ("task", "Các Trung tâm y tế", None)
    text = "Các Chi bộ trực thuộc rà soát, cập nhật danh sách đảng viên trước ngày 15/12/2026.\n"
    (task,) = passage_candidates(text, passage_span(text, text.strip()), catalogue=_catalogue())
    # "trước ngày 15/12/2026": due the day before, 14/12/2026.
    assert (task.lead, task.due, task.due_text) == ("Các Chi bộ trực thuộc", dt.date(2026, 12, 14),
                                                    "trước ngày 15/12/2026")


def test_a_recurring_report_keeps_its_words_and_no_day(world):
    _, found = _read("Văn phòng Tỉnh ủy tổng hợp, báo cáo kết quả trước ngày 15 hằng tháng.")
    (task,) = found
    assert (task.kind, task.lead, task.due, task.due_text) == (
        "task", "Văn phòng Tỉnh ủy", None, "trước ngày 15 hằng tháng")


def test_a_figure_in_the_passage_is_a_target_due_by_the_plans_year(world):
    span, found = _read("Phấn đấu 90% hồ sơ công việc được xử lý trên môi trường mạng.")
    (target,) = found
    # The passage names no year; the document's title does ("năm 2026"): due 31/12/2026.
    assert (target.kind, target.comparator, target.value, target.due) == (
        "target", "at_least", 90, dt.date(2026, 12, 31))
    assert span == Span(PLAN.index("Phấn đấu"), PLAN.index("mạng.") + len("mạng."))


def test_a_passage_naming_no_unit_that_fits_a_milestone_is_that_milestone(world):
    IndicatorFactory(code="cds_vao_chuong_trinh", name="Đưa nội dung chuyển đổi số vào chương trình công tác",
                     measure=Measure.MILESTONE)
    text = PLAN + "4. Đưa nội dung chuyển đổi số vào chương trình công tác của Ban Thường vụ.\n"
    passage = "Đưa nội dung chuyển đổi số vào chương trình công tác của Ban Thường vụ."
    (target,) = passage_candidates(text, passage_span(text, passage), catalogue=_catalogue())
    # No year of its own: by the plan's, 2026 (its title), due 31/12/2026.
    assert (target.kind, target.indicator, target.comparator, target.due) == (
        "target", "cds_vao_chuong_trinh", "done", dt.date(2026, 12, 31))
    passage = "Đưa nội dung chuyển đổi số vào chương trình công tác, hoàn thành trong Quý II/2026."
    (target,) = passage_candidates(passage, Span(0, len(passage)), catalogue=_catalogue())
    # Its own quarter: due 30/06/2026, the quarter's last day.
    assert (target.kind, target.indicator, target.due) == ("target", "cds_vao_chuong_trinh", dt.date(2026, 6, 30))
    # Named with its lead, the same work is a task of that unit.
    text += "5. Văn phòng Tỉnh ủy chủ trì đưa nội dung chuyển đổi số vào chương trình công tác năm 2027.\n"
    passage = "Văn phòng Tỉnh ủy chủ trì đưa nội dung chuyển đổi số vào chương trình công tác năm 2027."
    (task,) = passage_candidates(text, passage_span(text, passage), catalogue=_catalogue())
    assert (task.kind, task.lead) == ("task", "Văn phòng Tỉnh ủy")


# The page: a reviewer reads a document, points at what the reading missed, and accepts it.


def _fields(world, **extra):
    return {"issuer": world.commune.pk, "parent": world.parent.pk, "kind": "ke_hoach", "title": "Kế hoạch từ văn bản",
            "year_start": 2026, "year_end": 2026, "text": DOCUMENT, **extra}


def _first_edited():
    """Candidate 1 as the reviewer left it: unchecked, its value changed from 95 to 96."""
    return {"c1-kind": "target", "c1-indicator": "ky_so", "c1-comparator": "at_least", "c1-value": "96",
            "c1-due": "2026", "c1-clause": CLAUSE}


def test_a_reviewer_adds_a_missed_passage_and_keeps_what_was_set(client, world):
    client.force_login(world.author)
    text = client.post("/plans/new/from-document/", _fields(world, action="read")).content.decode()
    assert "1 đề xuất" in text and 'id="clause-2"' not in text  # "Tăng cường lãnh đạo." sets nothing the rules read
    response = client.post("/plans/new/from-document/", _fields(
        world, action="passage", passage_new="Tăng cường lãnh đạo.", **_first_edited()))
    text = response.content.decode()
    assert response.status_code == 200 and "2 đề xuất" in text
    assert '<mark id="clause-2">Tăng cường lãnh đạo.<sup>2</sup></mark>' in text
    assert '<input type="hidden" name="passage" value="Tăng cường lãnh đạo.">' in text
    assert 'name="c2-clause"' in text and 'class="group candidate fresh" id="candidate-2"' in text
    # Candidate 1 as the reviewer left it: 96, and not accepted.
    assert 'name="c1-value" value="96"' in text and 'name="c1-accept" id="id_c1-accept" checked' not in text
    assert 'name="c2-accept" id="id_c2-accept" checked' in text
    response = client.post("/plans/new/from-document/", _fields(
        world, action="create", passage="Tăng cường lãnh đạo.", **_first_edited(), **{
            "c2-accept": "on", "c2-kind": "task", "c2-clause": "Tăng cường lãnh đạo.", "c2-due": "Quý IV/2026",
            "c2-lead_text": "Văn phòng Đảng ủy"}))
    assert response.status_code == 302
    plan = Plan.objects.get(issuer=world.commune)
    task = plan.tasks.get()
    assert (task.title, task.lead_text, task.due_on) == ("Tăng cường lãnh đạo.", "Văn phòng Đảng ủy",
                                                         dt.date(2026, 12, 31))
    assert not plan.targets.exists()  # candidate 1 was left unchecked


def test_a_passage_not_in_the_document_is_refused_and_nothing_is_lost(client, world):
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", _fields(
        world, action="passage", passage_new="Tăng cường lãnh đạo toàn diện.", **_first_edited()))
    text = response.content.decode()
    assert "Đoạn này không có trong văn bản" in text and "1 đề xuất" in text
    assert 'name="c1-value" value="96"' in text and 'name="passage"' not in text
    assert "Tăng cường lãnh đạo toàn diện.</textarea>" in text  # what was typed is there to correct
    response = client.post("/plans/new/from-document/", _fields(world, action="passage", passage_new=" "))
    assert "Hãy chọn (bôi đen) một đoạn trong văn bản" in response.content.decode()
    assert not Plan.objects.filter(issuer=world.commune).exists()
