"""The rules that read a plan's text, each on a few lines written the way the plans write them."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from authoring.extract import (
    Candidate,
    candidates_extract,
    catalogue_from_indicators,
    marked_segments,
    words_fold,
)

CATALOGUE = catalogue_from_indicators([
    SimpleNamespace(code="van_ban_ky_so", name="Tỷ lệ văn bản không mật được ký số, gửi, nhận trên môi trường số",
                    numerator_label="Số văn bản được ký số", denominator_label="Tổng số văn bản", description="",
                    measure="ratio"),
    SimpleNamespace(code="ung_dung_ai", name="Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo", numerator_label="",
                    denominator_label="", description="", measure="unit_share"),
    SimpleNamespace(code="thoi_gian_giai_quyet", name="Rút ngắn thời gian giải quyết công việc",
                    numerator_label="Thời gian giải quyết", denominator_label="Thời gian trước đây",
                    description="", measure="reduction"),
    SimpleNamespace(code="ung_dung_dai_hoi", name="Hoàn thành các ứng dụng số phục vụ đại hội đảng các cấp",
                    numerator_label="", denominator_label="", description="", measure="milestone"),
])


def read(text: str) -> list[Candidate]:
    return candidates_extract(text, catalogue=CATALOGUE)


def shape(candidate: Candidate) -> tuple:
    return candidate.kind, candidate.comparator, candidate.value, candidate.value_max, candidate.due


def test_a_plain_percentage_is_a_floor_due_at_the_end_of_the_plans_year():
    text = "KẾ HOẠCH\nchuyển đổi số năm 2026\n\nII. MỤC TIÊU\n\n- 100% văn bản không mật được ký số.\n"
    (candidate,) = read(text)
    # "100%" → at least 100; no deadline in the clause or its headings → 31/12 of the title's year, 2026.
    assert shape(candidate) == ("target", "at_least", Decimal(100), None, dt.date(2026, 12, 31))
    assert candidate.due_text == ""
    assert candidate.clause == "- 100% văn bản không mật được ký số."
    assert candidate.indicator == "van_ban_ky_so"


def test_floors_ranges_ceilings_and_reductions_as_the_plans_write_them():
    text = (
        "II. MỤC TIÊU\n\n"
        "- Tối thiểu 95% hồ sơ công việc được xử lý trên môi trường điện tử.\n"
        "- Ít nhất 90% phản ánh được xử lý trên môi trường số.\n"
        "- Trên 80% đảng viên sử dụng Sổ tay đảng viên.\n"
        "- 30 - 40% cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n"
        "- Phấn đấu có từ 80% - 90% cuộc họp không giấy.\n"
        "- Tối đa 5% văn bản phải gửi lại.\n"
        "- Rút ngắn ít nhất 30% thời gian giải quyết công việc.\n"
        "- 95,5% tài liệu được số hóa.\n"
    )
    found = [(c.comparator, c.value, c.value_max) for c in read(text)]
    assert found == [
        ("at_least", Decimal(95), None),  # "tối thiểu 95%"
        ("at_least", Decimal(90), None),  # "ít nhất 90%"
        ("at_least", Decimal(80), None),  # "trên 80%"
        ("range", Decimal(30), Decimal(40)),  # "30 - 40%": from 30 to 40
        ("range", Decimal(80), Decimal(90)),  # "từ 80% - 90%"
        ("at_most", Decimal(5), None),  # "tối đa 5%"
        ("reduce_by", Decimal(30), None),  # "rút ngắn ít nhất 30%": a reduction of at least 30
        ("at_least", Decimal("95.5"), None),  # decimal comma: 95,5 → 95.5
    ]
    assert read(text)[3].indicator == "ung_dung_ai"
    assert read(text)[6].indicator == "thoi_gian_giai_quyet"


def test_each_part_of_a_clause_gives_its_own_target_and_keeps_the_whole_clause():
    text = "- 70% hồ sơ cán bộ được quản lý điện tử; riêng đơn thư khiếu nại, hồ sơ không mật đạt 100%.\n"
    first, second = read(text)
    assert (first.value, second.value) == (Decimal(70), Decimal(100))
    assert first.clause == second.clause == text.strip()
    assert (first.start, first.end) == (second.start, second.end) == (0, len(text.strip()))


def test_a_year_heading_carries_down_to_the_bullets_under_it_until_the_next_heading():
    text = (
        "KẾ HOẠCH giai đoạn 2025 - 2028\n\n"
        "II. MỤC TIÊU\n\n2. Mục tiêu cụ thể\n\n"
        "a. Năm 2027\n\n- 70% các ứng dụng số được triển khai.\n\n"
        "b. Năm 2028\n\n- 100% các ứng dụng số được triển khai.\n\n"
        "3. Đối với dữ liệu số\n\n- 100% văn bản không mật được ký số.\n"
    )
    dues = [(c.value, c.due, c.due_text) for c in read(text)]
    assert dues == [
        (Decimal(70), dt.date(2027, 12, 31), "Năm 2027"),  # under "a. Năm 2027"
        (Decimal(100), dt.date(2028, 12, 31), "Năm 2028"),  # under "b. Năm 2028"
        (Decimal(100), dt.date(2028, 12, 31), ""),  # "3." closes "b."; the title's "2025 - 2028" → 31/12/2028
    ]


def test_a_sentence_that_opens_with_its_year_is_a_milestone_and_not_a_heading():
    text = (
        "KẾ HOẠCH năm 2028\n\nII. NỘI DUNG\n\n3. Đối với dữ liệu số\n\n"
        "Năm 2025, dữ liệu đã số hóa được làm sạch và được sử dụng thường xuyên.\n\n"
        "- 100% đơn, thư được thực hiện trên môi trường số.\n"
    )
    milestone, bullet = read(text)
    assert shape(milestone) == ("target", "done", None, None, dt.date(2025, 12, 31))
    # The bullet below is not dated by the sentence above it: the plan's year, 2028.
    assert bullet.due == dt.date(2028, 12, 31)


def test_milestones_with_quarters_and_the_day_before_a_date():
    text = (
        "- Quý II/2025, hoàn thành các ứng dụng số phục vụ đại hội đảng.\n"
        "- Hoàn thành số hoá tài liệu lưu trữ trước ngày 01/7/2025 theo hướng dẫn.\n"
    )
    quarter, before = read(text)
    # Quý II/2025 ends on 30/06/2025.
    assert shape(quarter) == ("target", "done", None, None, dt.date(2025, 6, 30))
    assert quarter.due_text == "Quý II/2025"
    assert quarter.indicator == "ung_dung_dai_hoi"
    # "trước ngày 01/7/2025": due by the day before, 30/06/2025.
    assert shape(before) == ("target", "done", None, None, dt.date(2025, 6, 30))
    assert before.due_text == "trước ngày 01/7/2025"


def test_a_bullet_naming_its_lead_unit_is_a_task():
    text = "- Tham mưu triển khai phần mềm Sổ tay Đảng viên điện tử (Ban Xây dựng Đảng chủ trì).\n"
    (task,) = read(text)
    assert (task.kind, task.lead) == ("task", "Ban Xây dựng Đảng")


APPENDIX = """PHỤ LỤC PHÂN CÔNG NHIỆM VỤ

STT Nội dung công việc Đơn vị
chủ trì

Đơn vị
phối hợp

Thời gian
hoàn thành Sản phẩm dự kiến (Kết quả đầu ra)

I NHÓM NHIỆM VỤ VỀ HẠ TẦNG

1
Triển khai giải pháp chữ ký số cho 100%
cán bộ xử lý văn bản

Phòng CĐS -
Cơ yếu

Phòng HC-LT;
Ban Cơ yếu CP

Hoàn thành trong
Quý I/2026

- 100% văn bản phát hành trên mạng có chữ
ký số.
- Danh sách bàn giao thiết bị.

2 Tổ chức tập huấn kỹ năng số cho cán
bộ, công chức.

Phòng Quản
trị Phòng Tổng hợp Quý III và Quý
IV/2026

- 02 Lớp tập huấn được tổ chức.
"""


def test_an_appendix_table_gives_tasks_and_the_targets_in_their_rows():
    found = read(APPENDIX)
    tasks = [c for c in found if c.kind == "task"]
    assert [(t.clause, t.lead, t.cooperating, t.due, t.due_text) for t in tasks] == [
        ("Triển khai giải pháp chữ ký số cho 100% cán bộ xử lý văn bản", "Phòng CĐS - Cơ yếu",
         "Phòng HC-LT; Ban Cơ yếu CP", dt.date(2026, 3, 31), "Hoàn thành trong Quý I/2026"),  # Q1 ends 31/03
        ("Tổ chức tập huấn kỹ năng số cho cán bộ, công chức.", "Phòng Quản trị", "Phòng Tổng hợp",
         dt.date(2026, 12, 31), "Quý III và Quý IV/2026"),  # the later quarter, Q4, ends 31/12
    ]
    assert tasks[0].output == "- 100% văn bản phát hành trên mạng có chữ ký số.\n- Danh sách bàn giao thiết bị."
    targets = [(c.clause, c.comparator, c.value, c.due) for c in found if c.kind == "target"]
    assert targets == [
        ("Triển khai giải pháp chữ ký số cho 100% cán bộ xử lý văn bản", "at_least", Decimal(100),
         dt.date(2026, 3, 31)),
        ("- 100% văn bản phát hành trên mạng có chữ ký số.", "at_least", Decimal(100), dt.date(2026, 3, 31)),
        ("- 02 Lớp tập huấn được tổ chức.", "done", None, dt.date(2026, 12, 31)),
    ]


def test_a_table_read_from_word_has_its_cells_in_columns():
    text = (
        "PHỤ LỤC\n\nSTT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm\n"
        "1 | Nâng cấp Trung tâm tích hợp dữ liệu | Phòng CĐS - Cơ yếu | Phòng Quản trị | Quý II/2026 | "
        "- Biên bản nghiệm thu - 100% máy chủ được giám sát\n"
    )
    task, target = read(text)
    assert (task.kind, task.clause, task.lead, task.cooperating, task.due) == (
        "task", "Nâng cấp Trung tâm tích hợp dữ liệu", "Phòng CĐS - Cơ yếu", "Phòng Quản trị", dt.date(2026, 6, 30))
    assert task.output == "- Biên bản nghiệm thu\n- 100% máy chủ được giám sát"
    assert text[task.start:task.end] == "Nâng cấp Trung tâm tích hợp dữ liệu"
    assert (target.comparator, target.value, target.due) == ("at_least", Decimal(100), dt.date(2026, 6, 30))


def test_a_sentence_cut_by_a_page_break_is_read_whole():
    text = "- 100% hệ thống thông tin phục vụ công tác nghiên cứu,\n\nđào tạo, bồi dưỡng được cập nhật.\n"
    (candidate,) = read(text)
    assert candidate.clause == ("- 100% hệ thống thông tin phục vụ công tác nghiên cứu, đào tạo, bồi dưỡng được "
                                "cập nhật.")


def test_a_wrapped_dash_in_lower_case_continues_the_line():
    text = "- 100% cơ quan kết nối với Mặt trận Tổ quốc và các tổ chức chính trị\n- xã hội được bảo đảm.\n"
    (candidate,) = read(text)
    assert candidate.clause.endswith("chính trị - xã hội được bảo đảm.")


def test_text_without_targets_gives_nothing_and_an_unknown_clause_no_indicator():
    assert read("I. MỤC ĐÍCH, YÊU CẦU\n\nTuyên truyền, nâng cao nhận thức về chuyển đổi số.\n") == []
    (candidate,) = read("- 100% xe ô tô được rửa sạch hằng tuần.\n")
    assert candidate.indicator is None


def test_an_introduction_ending_in_a_colon_is_not_a_target():
    assert read("Hoàn thành các mục tiêu cụ thể theo Đề án, cụ thể như sau:\n") == []


def test_diacritics_are_folded_whichever_way_the_tone_mark_is_placed():
    assert words_fold("Số hoá, sức khoẻ, Đảng uỷ") == words_fold("số hóa, sức khỏe, đảng ủy") == [
        "so", "hoa", "suc", "khoe", "dang", "uy"]


def test_marked_segments_give_back_the_text_with_each_clause_tagged():
    text = "Mở đầu.\n\n- 100% văn bản không mật được ký số.\n\nKết thúc.\n"
    candidates = read(text)
    segments = marked_segments(text, candidates)
    assert "".join(segment.text for segment in segments) == text
    assert [(segment.text, segment.index) for segment in segments] == [
        ("Mở đầu.\n\n", None), ("- 100% văn bản không mật được ký số.", 0), ("\n\nKết thúc.\n", None)]


def test_to_json_names_every_field_with_plain_values():
    (candidate,) = read("- Quý II/2025, hoàn thành các ứng dụng số phục vụ đại hội đảng.\n")
    data = candidate.to_json()
    assert json.loads(json.dumps(data)) == data
    assert {key: data[key] for key in ("kind", "indicator", "comparator", "value", "value_max", "due")} == {
        "kind": "target", "indicator": "ung_dung_dai_hoi", "comparator": "done", "value": None, "value_max": None,
        "due": "2025-06-30"}
    assert list(data) == ["kind", "clause", "start", "end", "indicator", "comparator", "value", "value_max", "measure",
                          "unit", "due", "lead", "cooperating", "output"]
    (percent,) = read("- 95,5% tài liệu được số hóa.\n")
    assert percent.to_json()["value"] == 95.5


def test_a_word_table_is_read_by_its_header_and_ends_with_its_row():
    text = (
        "PHỤ LỤC\n\nTT | Nhiệm vụ | Thời gian hoàn thành | Đơn vị chủ trì | Sản phẩm | Đơn vị phối hợp\n"
        "1 | Số hóa hồ sơ đảng viên | Quý IV/2026 | Ban Xây dựng Đảng | - 80% hồ sơ được số hóa | -\n\n"
        "Trên đây là Kế hoạch của Ban Thường vụ.\n"
    )
    task, target = read(text)
    # Columns follow the header: due third, lead fourth, product fifth, no cooperating unit ("-").
    assert (task.clause, task.lead, task.cooperating, task.due, task.output) == (
        "Số hóa hồ sơ đảng viên", "Ban Xây dựng Đảng", "", dt.date(2026, 12, 31), "- 80% hồ sơ được số hóa")
    assert (target.clause, target.value, target.due) == ("- 80% hồ sơ được số hóa", Decimal(80), dt.date(2026, 12, 31))
    assert text[target.start:target.end] == "- 80% hồ sơ được số hóa"


def test_text_from_a_pdf_without_blank_lines_keeps_headings_apart_from_the_sentences_under_them():
    text = (
        "KẾ HOẠCH năm 2028\nII. NỘI DUNG\n3. Đối với dữ liệu số\n"
        "Năm 2025, dữ liệu đã số hóa được làm sạch và được sử dụng\nthường xuyên.\n"
        "- 100% đơn, thư được thực hiện trên\nmôi trường số.\n"
    )
    milestone, bullet = read(text)
    assert milestone.clause == "Năm 2025, dữ liệu đã số hóa được làm sạch và được sử dụng thường xuyên."
    assert (milestone.comparator, milestone.due) == ("done", dt.date(2025, 12, 31))
    # Had the sentence been read as part of the heading "3. Đối với dữ liệu số", the bullet would be dated 2025.
    assert (bullet.clause, bullet.due) == ("- 100% đơn, thư được thực hiện trên môi trường số.", dt.date(2028, 12, 31))


def test_a_year_before_a_dash_is_not_the_low_end_of_a_range():
    (candidate,) = read("- Đến năm 2025 - 30% cơ quan ứng dụng trí tuệ nhân tạo.\n")
    # "2025 - 30%" is a year then a share, not the range 25–30.
    assert (candidate.comparator, candidate.value, candidate.value_max) == ("at_least", Decimal(30), None)


def seed_catalogue():
    """The seed catalogue (targets/seeds/indicators.yaml), read from its file."""
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "targets" / "seeds" / "indicators.yaml").read_text(
        encoding="utf-8"))
    fields = {"numerator_label": "", "denominator_label": "", "description": ""}
    return catalogue_from_indicators(SimpleNamespace(**{**fields, **entry}) for entry in data["indicators"])


def test_the_indicator_counting_what_the_percentage_counts_is_preferred():
    catalogue = seed_catalogue()
    # Plan 003's appendix: the words alone favour can_bo_chu_ky_so ("Tỷ lệ cán bộ … ký văn bản trên mạng … chữ ký
    # số"), but "100% văn bản" counts documents, as "Tỷ lệ văn bản …" does.
    text = "- 100% văn bản phát hành trên mạng có chữ ký số.\n"
    assert candidates_extract(text, catalogue=catalogue)[0].indicator == "van_ban_ky_so"
    text = "- 100% cán bộ, công chức có trách nhiệm xử lý văn bản trên mạng được trang bị chữ ký số.\n"
    assert candidates_extract(text, catalogue=catalogue)[0].indicator == "can_bo_chu_ky_so"


def test_an_appendix_row_scheduling_a_milestone_of_the_body_proposes_it_with_the_rows_deadline():
    text = (
        "II. MỤC TIÊU\n\n2. Mục tiêu cụ thể năm 2026\n\n"
        "- Hoàn thành nâng cấp Trung tâm tích hợp dữ liệu của cơ quan đảng tỉnh đặt tại Văn phòng Tỉnh ủy.\n\n"
        "PHỤ LỤC\n\nSTT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm\n"
        "1 | Nâng cấp Trung tâm tích hợp dữ liệu đặt tại Văn phòng Tỉnh ủy | Phòng CĐS | Phòng Quản trị | Quý I/2026 | "
        "Biên bản nghiệm thu\n"
        "2 | Triển khai phần mềm quản lý tài chính đảng | Phòng Tài chính đảng | Phòng CĐS | Quý III/2026 | "
        "Phần mềm mới\n"
    )
    found = [(c.kind, c.comparator, c.indicator, c.due) for c in candidates_extract(text, catalogue=seed_catalogue())]
    assert found == [
        ("target", "done", "nang_cap_tt_tich_hop_du_lieu", dt.date(2026, 12, 31)),  # the body: "năm 2026"
        ("task", "done", "nang_cap_tt_tich_hop_du_lieu", dt.date(2026, 3, 31)),
        # The same deliverable dated by the appendix, Quý I/2026: both deadlines are proposed, the difference shown.
        ("target", "done", "nang_cap_tt_tich_hop_du_lieu", dt.date(2026, 3, 31)),
        ("task", "done", found[3][2], dt.date(2026, 9, 30)),  # another deliverable: a task only
    ]


def test_a_line_mentioning_an_appendix_does_not_end_the_reading_of_the_body():
    text = (
        "- Các đơn vị thực hiện theo\nPhụ lục kèm theo Kế hoạch này.\n\n"
        "- 100% văn bản không mật được ký số.\n"
    )
    (candidate,) = read(text)
    assert candidate.value == Decimal(100)


def test_a_long_paragraph_is_read_in_linear_time():
    import time

    text = "một dòng văn bản không có dấu câu nào cả\n" * 50_000  # 2 MB, one paragraph of 50,000 lines
    started = time.monotonic()
    assert read(text) == []
    # Re-reading the paragraph at each of its lines took 23 s here; reading it once takes about 1 s.
    assert time.monotonic() - started < 8


def test_marked_segments_tag_a_clause_shared_by_two_targets_with_the_first():
    text = "- 70% hồ sơ được số hóa; 100% văn bản được ký số.\n"
    candidates = read(text)
    assert [c.value for c in candidates] == [Decimal(70), Decimal(100)]
    assert marked_segments(text, candidates) == [(text.rstrip("\n"), 0), ("\n", None)]


# --- plans written otherwise: periods, horizons, counts and rankings, tables of targets ------------------------------


def test_a_period_line_dates_the_figures_under_it_until_the_next_period_or_heading():
    text = (
        "KẾ HOẠCH\nchuyển đổi số của Đảng ủy\n"
        "II. MỤC TIÊU\n1. Chỉ tiêu\n- Giai đoạn 2026-2027\n"
        "+ 100% văn bản không mật được ký số.\n+ 90% cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n"
        "- Giai đoạn 2028-2030\n+ 95% cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n"
        "2. Chỉ tiêu khác\n- Năm 2026:\n- 80% hồ sơ được số hóa.\n- 85% cuộc họp không dùng giấy.\n"
    )
    found = read(text)
    # "Giai đoạn 2026-2027" → 31/12/2027 for both "+" lines under it; "Giai đoạn 2028-2030" → 31/12/2030.
    # "- Năm 2026:" alone on its line dates the two bullets after it, its siblings, 31/12/2026.
    assert [(c.value, c.due) for c in found] == [
        (Decimal(100), dt.date(2027, 12, 31)), (Decimal(90), dt.date(2027, 12, 31)),
        (Decimal(95), dt.date(2030, 12, 31)), (Decimal(80), dt.date(2026, 12, 31)),
        (Decimal(85), dt.date(2026, 12, 31))]
    assert found[0].due_text == "Giai đoạn 2026-2027"


def test_the_place_and_date_line_is_not_the_plans_year_its_headings_horizon_is():
    text = (
        "KẾ HOẠCH\nchuyển đổi số\nĐồng Nai, ngày 05 tháng 01 năm 2026\n"
        "II. MỤC TIÊU ĐẾN NĂM 2030\n1. Mục tiêu chung\nĐưa hoạt động của Đảng bộ lên môi trường số.\n"
        "III. NHIỆM VỤ\n- Bảo đảm 100% văn bản không mật được ký số.\n"
    )
    (candidate,) = read(text)
    # The title has no year; "ngày 05 tháng 01 năm 2026" dates the document. The heading says 2030: 31/12/2030.
    assert candidate.due == dt.date(2030, 12, 31)
    assert candidate.due_text == ""


def test_years_ahead_and_a_period_in_the_clause_are_end_years_a_period_of_records_is_not():
    first, second = read("III. NHIỆM VỤ\n- Bố trí ngân sách năm 2026 tối thiểu 02% cho chuyển đổi số. Tiếp tục nâng "
                         "lên mức tối thiểu 03% trong 04 năm tiếp theo.\n")
    # The second sentence: 4 years after the last year written before it, 2026 + 4 = 2030. The first sentence has no
    # deadline of its own; the plan's only deadline is 2030, so it falls due then too.
    assert (second.value, second.due, second.due_text) == (Decimal(3), dt.date(2030, 12, 31), "trong 04 năm tiếp theo")
    assert (first.value, first.due_text) == (Decimal(2), "")
    records, period = read("KẾ HOẠCH năm 2029\nIII. NHIỆM VỤ\n- 100% tài liệu lưu trữ giai đoạn 2015 - 2025 được số "
                           "hóa.\n- 100% chi bộ dùng sổ tay điện tử trong giai đoạn 2026-2028.\n")
    # "tài liệu … giai đoạn 2015 - 2025" says which records: due by the plan's year, 2029. "trong giai đoạn
    # 2026-2028" is when: 31/12/2028.
    assert (records.due, records.due_text) == (dt.date(2029, 12, 31), "")
    assert (period.due, period.due_text) == (dt.date(2028, 12, 31), "trong giai đoạn 2026-2028")
    (named,) = read("KẾ HOẠCH năm 2029\n- 100% chi bộ thực hiện Kế hoạch chuyển đổi số giai đoạn 2026-2028.\n")
    assert named.due == dt.date(2029, 12, 31)  # a document's name, not a deadline


def test_a_one_line_item_ending_in_a_figure_goes_on_on_the_next_line():
    text = "II. MỤC TIÊU\n1. Mục tiêu cụ thể\nđ) Đến hết năm 2030: 100%\nCơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n"
    (candidate,) = read(text)
    assert candidate.clause == "đ) Đến hết năm 2030: 100% Cơ quan, đơn vị ứng dụng trí tuệ nhân tạo."
    assert (candidate.value, candidate.due, candidate.indicator) == (Decimal(100), dt.date(2030, 12, 31), "ung_dung_ai")
    # A heading's single line still stands apart from the sentence under it.
    (heading_apart,) = read("II. MỤC TIÊU\n1. Mục tiêu chung\nĐến năm 2027, 100% văn bản không mật được ký số.\n")
    assert heading_apart.clause.startswith("Đến năm 2027")


def test_deliverables_are_milestones_in_the_objectives_and_tasks_when_they_carry_a_day():
    text = (
        "II. MỤC TIÊU\n2. Mục tiêu cụ thể đến năm 2028\n- Xây dựng kho dữ liệu dùng chung của Đảng bộ.\n"
        "- Thí điểm trợ lý ảo tại Văn phòng.\n- Hoàn thiện cơ sở dữ liệu đảng viên.\n"
        "- Ứng dụng rộng rãi chữ ký số trong các chi bộ.\n- Triển khai họp trực tuyến đến các chi bộ.\n"
        "III. NHIỆM VỤ\n- Xây dựng quy chế khai thác dữ liệu.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n- Xây dựng, ban hành kế hoạch hướng dẫn các chi bộ trước ngày 31 tháng 3 năm 2026.\n"
    )
    *milestones, task = read(text)
    # Five deliverables under "Mục tiêu cụ thể đến năm 2028": done by 31/12/2028. "Xây dựng quy chế …" under the
    # tasks heading, with no day of its own, is neither. "trước ngày 31 tháng 3 năm 2026" is due the day before.
    assert [(c.kind, c.comparator, c.due) for c in milestones] == [("target", "done", dt.date(2028, 12, 31))] * 5
    assert (task.kind, task.due, task.due_text) == ("task", dt.date(2026, 3, 30), "trước ngày 31 tháng 3 năm 2026")
    assert task.clause.startswith("- Xây dựng, ban hành kế hoạch")


def test_counts_and_rankings_are_targets_with_what_they_measure():
    text = (
        "KẾ HOẠCH năm 2030\nII. MỤC TIÊU\n- Hình thành tối thiểu 05 cụm dữ liệu dùng chung.\n"
        "- Đảng bộ thuộc nhóm 10 tỉnh dẫn đầu cả nước vào năm 2027; thuộc nhóm 5 tỉnh dẫn đầu vào năm 2030.\n"
        "- Tổ chức ít nhất 01 lần mỗi quý họp trực tuyến.\n"
        "- 100% đảng viên hoàn thành tối thiểu 01 khóa học kỹ năng số.\n"
    )
    count, rank_2027, rank_2030, percent = read(text)
    # "tối thiểu 05 cụm": at least 5 clusters. "nhóm 10 tỉnh dẫn đầu … vào năm 2027": 10th place or better, each part
    # due by its own year. "ít nhất 01 lần mỗi quý" is how often, no target; beside "100%", "tối thiểu 01 khóa học" is
    # not one either.
    assert (count.comparator, count.value, count.measure) == ("at_least", Decimal(5), "count")
    assert (rank_2027.comparator, rank_2027.value, rank_2027.measure, rank_2027.due) == (
        "at_most", Decimal(10), "rank", dt.date(2027, 12, 31))
    assert (rank_2030.value, rank_2030.due) == (Decimal(5), dt.date(2030, 12, 31))
    assert (percent.value, percent.measure) == (Decimal(100), "percent")
    assert count.to_json()["measure"] == "count"


def test_a_table_of_targets_gives_targets_dated_by_its_periods_and_rows_numbered_again_in_each_group():
    text = (
        "I. MỤC TIÊU\n- 100% văn bản không mật được ký số.\n\n"
        "PHỤ LỤC I\nCHỈ TIÊU\nTT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi\n"
        "I | Giai đoạn 2026-2027\n1 | Tỷ lệ văn bản không mật được ký số | % | 100% | Văn phòng\n"
        "2 | Số cụm dữ liệu dùng chung | cụm | 3 | Văn phòng\n"
        "II | Giai đoạn 2028-2030\n1 | Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo | % | 80 | Ban Tổ chức\n\n"
        "PHỤ LỤC II\nNHIỆM VỤ\nTT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian\n"
        "I | Dữ liệu\n1 | Số hóa hồ sơ đảng viên | Ban Tổ chức | Văn phòng | Dữ liệu | Năm 2026-2027\n"
        "II | Hạ tầng\n1 | Nâng cấp mạng nội bộ | Văn phòng | - | Mạng | Quý II/2026\n"
        "2 | Trang bị máy tính | Văn phòng | - | Máy tính | Năm 2027\n"
    )
    body, signed, clusters, ai, digitise, network, computers = read(text)
    assert body.clause == "- 100% văn bản không mật được ký số."
    # Phụ lục I holds indicators ("Chỉ tiêu", "Đơn vị", "Kết quả"): targets, not tasks; its "chủ trì theo dõi" column
    # says who follows them. "100%" in "%" → at least 100; "3" in "cụm" → at least 3 clusters; "80" in "%" → at
    # least 80%. Rows under "I | Giai đoạn 2026-2027" → 31/12/2027, under "II | Giai đoạn 2028-2030" → 31/12/2030.
    assert [(c.kind, c.comparator, c.value, c.measure, c.due) for c in (signed, clusters, ai)] == [
        ("target", "at_least", Decimal(100), "percent", dt.date(2027, 12, 31)),
        ("target", "at_least", Decimal(3), "count", dt.date(2027, 12, 31)),
        ("target", "at_least", Decimal(80), "percent", dt.date(2030, 12, 31))]
    assert (signed.clause, ai.indicator) == ("Tỷ lệ văn bản không mật được ký số", "ung_dung_ai")
    assert text[signed.start:signed.end] == "Tỷ lệ văn bản không mật được ký số"
    # Phụ lục II numbers its rows again in each group (I: 1; II: 1, 2): all three are tasks. "Năm 2026-2027" is due
    # by the end of 2027.
    assert [(c.kind, c.clause, c.lead, c.due) for c in (digitise, network, computers)] == [
        ("task", "Số hóa hồ sơ đảng viên", "Ban Tổ chức", dt.date(2027, 12, 31)),
        ("task", "Nâng cấp mạng nội bộ", "Văn phòng", dt.date(2026, 6, 30)),
        ("task", "Trang bị máy tính", "Văn phòng", dt.date(2027, 12, 31))]


def test_a_table_of_targets_with_a_column_per_year_gives_one_target_per_year():
    text = ("PHỤ LỤC\nTT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027\n"
            "1 | Tỷ lệ văn bản không mật được ký số | % | 90 | 100\n")
    first, second = read(text)
    # 90% by 31/12/2026 and 100% by 31/12/2027, both for the row's indicator.
    assert [(c.value, c.due, c.indicator) for c in (first, second)] == [
        (Decimal(90), dt.date(2026, 12, 31), "van_ban_ky_so"), (Decimal(100), dt.date(2027, 12, 31), "van_ban_ky_so")]


def test_an_indicator_is_guessed_only_when_the_clause_says_what_its_name_says():
    catalogue = seed_catalogue()
    fits, satisfied, business = candidates_extract(
        "- 100% hồ sơ công việc của Đảng ủy được xử lý trên môi trường điện tử.\n"
        "- 100% người dân hài lòng khi dùng dịch vụ công trực tuyến.\n"
        "- 60% hộ kinh doanh trên địa bàn ứng dụng công nghệ số.\n", catalogue=catalogue)
    # The first says most of what "Tỷ lệ hồ sơ công việc … xử lý trên môi trường điện tử" says. The catalogue counts
    # no citizens' satisfaction and no households' businesses: the nearest names share a word or two ("công vụ",
    # "ứng dụng"), so no guess is made, for the reviewer to choose (the reading used to name one for both).
    assert fits.indicator == "ho_so_cong_viec_dien_tu"
    assert (satisfied.indicator, business.indicator) == (None, None)
    (loose,) = read("- 100% hồ sơ được xử lý trên môi trường số.\n")
    assert loose.indicator is None  # only "môi trường số" of "Tỷ lệ văn bản không mật được ký số, gửi, nhận …"


def test_a_sentence_opening_with_its_year_and_introducing_a_list_dates_the_list():
    text = "KẾ HOẠCH năm 2026\nII. MỤC TIÊU\nĐến năm 2028, phấn đấu đạt các chỉ tiêu sau:\n- 90% văn bản được ký số.\n"
    (candidate,) = read(text)
    # The list is due by 2028, the year its introduction names, not by the title's 2026.
    assert (candidate.value, candidate.due) == (Decimal(90), dt.date(2028, 12, 31))


def test_a_value_column_naming_its_year_dates_it_and_a_table_of_assignments_stays_one():
    targets = read("PHỤ LỤC\nSTT | Tên chỉ tiêu | ĐVT | Mục tiêu đến năm 2030 | Cơ quan chủ trì theo dõi\n"
                   "1 | Tỷ lệ văn bản không mật được ký số | % | ≥ 95% | Văn phòng\n")
    # "Mục tiêu đến năm 2030": at least 95% by 31/12/2030.
    assert [(c.kind, c.comparator, c.value, c.due) for c in targets] == [
        ("target", "at_least", Decimal(95), dt.date(2030, 12, 31))]
    task, _target = read("PHỤ LỤC\nSTT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian\n"
                         "1 | Số hóa hồ sơ | Văn phòng | Ban Tổ chức | 100% hồ sơ được số hóa | Quý IV/2026\n")
    # Cooperating units make it a table of assignments: a task, and the product's 100% as a target.
    assert (task.kind, task.lead, task.cooperating, task.due) == (
        "task", "Văn phòng", "Ban Tổ chức", dt.date(2026, 12, 31))


def test_the_reading_page_leaves_a_counts_value_for_the_author():
    from authoring.reading import _initial

    count, percent = read("KẾ HOẠCH năm 2027\n- Hình thành tối thiểu 05 cụm dữ liệu.\n- 90% văn bản được ký số.\n")
    # The form's value is a percentage: "05 cụm" is not 5%, so the author sets it; "90%" is filled in.
    assert (_initial(count)["value"], _initial(count)["value_max"]) == (None, None)
    assert (_initial(count)["comparator"], _initial(percent)["value"]) == ("at_least", Decimal(90))


def test_quarters_and_months_written_in_words():
    quarter, month, before = read(
        "- Quý IV năm 2026, hoàn thành các ứng dụng số phục vụ đại hội đảng.\n"
        "- Trong tháng 6/2026, hoàn thành kết nối phòng họp trực tuyến.\n"
        "- Hoàn thành số hóa hồ sơ trước tháng 1/2027 theo Hướng dẫn ngày 13 tháng 11 năm 2025.\n")
    # Quý IV/2026 ends on 31/12/2026; "tháng 6/2026" on 30/6/2026; "trước tháng 1/2027" is by the end of the month
    # before, 31/12/2026 ("ngày 13 tháng 11 năm 2025" is the guidance's date, not a deadline).
    assert [(c.due, c.due_text) for c in (quarter, month, before)] == [
        (dt.date(2026, 12, 31), "Quý IV năm 2026"), (dt.date(2026, 6, 30), "tháng 6/2026"),
        (dt.date(2026, 12, 31), "trước tháng 1/2027")]


def test_an_appendix_headed_in_lower_case_with_its_number_is_read_a_mention_is_not():
    text = (
        "- Các chi bộ thực hiện theo\nPhụ lục 1 kèm theo Kế hoạch này.\n\n- 100% văn bản không mật được ký số.\n\n"
        "Phụ lục số 01: Danh mục nhiệm vụ\nTT | Nhiệm vụ | Đơn vị chủ trì | Thời gian\n"
        "1 | Số hóa hồ sơ đảng viên | Ban Tổ chức | Quý II/2026\n"
    )
    body, task = read(text)
    assert (body.kind, body.value) == ("target", Decimal(100))
    assert (task.kind, task.clause, task.lead, task.due) == (
        "task", "Số hóa hồ sơ đảng viên", "Ban Tổ chức", dt.date(2026, 6, 30))


def test_a_finish_line_among_the_tasks_is_a_milestone_only_with_a_deadline_of_its_own():
    text = (
        "KẾ HOẠCH năm 2027\nII. MỤC TIÊU\n- Hoàn thành các ứng dụng số phục vụ đại hội đảng.\n"
        "III. NHIỆM VỤ, GIẢI PHÁP\n- Hoàn thành triển khai các nền tảng dùng chung khác theo các đề án.\n"
        "- Hoàn thành kết nối phòng họp trực tuyến trong Quý III/2026.\n"
    )
    objective, dated = read(text)
    # Under the objectives, "Hoàn thành …" is a milestone (by the plan's 2027). Among the tasks, the undated line
    # restates work, and is left out; the one with "Quý III/2026" sets a milestone due 30/9/2026.
    assert (objective.comparator, objective.due) == ("done", dt.date(2027, 12, 31))
    assert (dated.comparator, dated.due) == ("done", dt.date(2026, 9, 30))


@pytest.mark.django_db
def test_plan_extract_lists_counts_and_rankings_in_their_own_words(tmp_path, capsys):
    from django.core.management import call_command
    from django.utils import translation

    source = tmp_path / "ke-hoach.txt"
    source.write_text("KẾ HOẠCH năm 2030\n- Hình thành tối thiểu 05 cụm dữ liệu.\n"
                      "- Đảng bộ thuộc nhóm 10 tỉnh dẫn đầu cả nước.\n", encoding="utf-8")
    with translation.override("vi"):
        call_command("plan_extract", str(source))
    out = capsys.readouterr().out
    # A count is "≥ 5", not "≥ 5%"; a rank "xếp hạng 10 trở lên"; both due 31/12/2030, no indicator fits.
    assert "≥ 5 ·" in out and "xếp hạng 10 trở lên" in out
    assert "%" not in out.split("\n", 1)[1]


def test_a_table_numbering_its_rows_within_numbered_groups_and_naming_who_carries_them_out():
    text = (
        "PHỤ LỤC\nSTT | Nội dung công việc | Đơn vị thực hiện | Thời gian thực hiện\n"
        "1 | NHÓM DỮ LIỆU | | \n1.1 | Số hóa hồ sơ đảng viên | Ban Tổ chức | Quý II/2026\n"
        "1.2 | Làm sạch dữ liệu đảng viên | Ban Tổ chức | Quý III/2026\n"
        "2 | NHÓM HẠ TẦNG | | \n2.1 | Trang bị máy tính | Văn phòng | Năm 2027\n"
    )
    found = read(text)
    # "Đơn vị thực hiện" is the lead column ("Thời gian thực hiện" the deadline); "1 | NHÓM DỮ LIỆU", with no other
    # cell filled, heads a group; its rows 1.1 and 1.2, and 2.1 under the next group, are the three tasks.
    assert [(c.kind, c.clause, c.lead, c.due) for c in found] == [
        ("task", "Số hóa hồ sơ đảng viên", "Ban Tổ chức", dt.date(2026, 6, 30)),
        ("task", "Làm sạch dữ liệu đảng viên", "Ban Tổ chức", dt.date(2026, 9, 30)),
        ("task", "Trang bị máy tính", "Văn phòng", dt.date(2027, 12, 31))]


def test_a_table_of_targets_inside_the_body_is_read_as_one_and_the_body_around_it_as_text():
    text = (
        "KẾ HOẠCH năm 2027\nII. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n"
        "TT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027\n"
        "1 | Tỷ lệ văn bản không mật được ký số | % | 90 | 100\n"
        "2. Mục tiêu khác\n- 80% cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n"
    )
    found = read(text)
    # The body's bullet (80% by the plan's 2027) and the table's row, read as a table: 90% by 31/12/2026 and 100% by
    # 31/12/2027, its clause the row's indicator, not the whole line.
    assert [(c.clause, c.value, c.due) for c in found] == [
        ("- 80% cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.", Decimal(80), dt.date(2027, 12, 31)),
        ("Tỷ lệ văn bản không mật được ký số", Decimal(90), dt.date(2026, 12, 31)),
        ("Tỷ lệ văn bản không mật được ký số", Decimal(100), dt.date(2027, 12, 31))]


def test_a_table_of_targets_naming_a_lead_for_each_row_gives_targets_and_its_action_rows_tasks():
    text = (
        "KẾ HOẠCH chuyển đổi số đến năm 2030\n\nPHỤ LỤC\nTT | Chỉ tiêu | Chủ trì\nI. Dữ liệu\n"
        "1 | Tỷ lệ văn bản không mật được ký số đạt 95%. | Văn phòng\n"
        "2 | Hình thành tối thiểu 03 cụm dữ liệu dùng chung. | Ban Tổ chức\n"
        "II. Ứng dụng\n1 | Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo đạt tối thiểu 40% | Ban Tuyên giáo\n"
        "2 | Xây dựng quy chế khai thác dữ liệu | Văn phòng\n"
    )
    found = read(text)
    # "Chỉ tiêu | Chủ trì": each row names an indicator and who leads it. A row setting a figure is a target only:
    # "đạt 95%" at least 95, "tối thiểu 03 cụm" at least 3 clusters, "tối thiểu 40%" at least 40, all due by the
    # title's 2030. "II. Ứng dụng", in mixed case between the rows, heads a group, so its rows numbered again from 1
    # are read; its second row, an action with no figure, stays a task led by Văn phòng.
    assert [(c.kind, c.comparator, c.value, c.measure, c.due, c.lead) for c in found] == [
        ("target", "at_least", Decimal(95), "percent", dt.date(2030, 12, 31), ""),
        ("target", "at_least", Decimal(3), "count", dt.date(2030, 12, 31), ""),
        ("target", "at_least", Decimal(40), "percent", dt.date(2030, 12, 31), ""),
        ("task", "done", None, None, None, "Văn phòng")]
    assert found[2].clause == "Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo đạt tối thiểu 40%"
    task, target = read("PHỤ LỤC\nTT | Nhiệm vụ | Chủ trì | Thời gian\n"
                        "1 | Số hóa 100% hồ sơ đảng viên | Ban Tổ chức | Năm 2026\n")
    # A table of tasks ("Nhiệm vụ") keeps its row with a figure as a task, and the figure as a target beside it.
    assert [(task.kind, task.lead), (target.kind, target.value)] == [("task", "Ban Tổ chức"), ("target", 100)]


def test_a_group_with_one_row_may_number_it_as_the_group():
    text = (
        "PHỤ LỤC\nSTT | Nhiệm vụ | Đơn vị thực hiện | Thời gian\nI | Dữ liệu\n"
        "1.1 | Số hóa hồ sơ đảng viên | Ban Tổ chức | Năm 2026\n1.2 | Làm sạch dữ liệu | Ban Tổ chức | Năm 2026\n"
        "II | Hạ tầng\n2 | Trang bị máy tính | Văn phòng | Năm 2027\n"
        "III | Đào tạo\n3.1 | Tập huấn kỹ năng số | Ban Tuyên giáo | Năm 2027\n"
    )
    found = read(text)
    # Group II's one row is numbered "2", as its group, not 1 nor 3 (the next after 1.2): it is a row all the same.
    assert [(c.kind, c.clause, c.due) for c in found] == [
        ("task", "Số hóa hồ sơ đảng viên", dt.date(2026, 12, 31)), ("task", "Làm sạch dữ liệu", dt.date(2026, 12, 31)),
        ("task", "Trang bị máy tính", dt.date(2027, 12, 31)), ("task", "Tập huấn kỹ năng số", dt.date(2027, 12, 31))]


def test_a_heading_setting_objectives_by_a_year_makes_its_deliverables_milestones():
    text = (
        "KẾ HOẠCH chuyển đổi số\nII. ĐỊNH HƯỚNG\n1. Mục tiêu đến hết năm 2026\n"
        "- Hoàn thiện cơ sở dữ liệu đảng viên.\n- Hình thành kho dữ liệu dùng chung.\n"
        "2. Mục tiêu đến năm 2030\n- Áp dụng rộng rãi chữ ký số trong các chi bộ.\n"
        "3. Giải pháp\n- Xây dựng quy chế khai thác dữ liệu.\nIII. NHIỆM VỤ\n- Triển khai họp trực tuyến.\n"
    )
    found = read(text)
    # "II. ĐỊNH HƯỚNG" names no objectives, but "1. Mục tiêu đến hết năm 2026" and "2. Mục tiêu đến năm 2030" do:
    # their deliverables ("Hoàn thiện", "Hình thành", "Áp dụng") are milestones due 31/12/2026, 31/12/2026 and
    # 31/12/2030. "3. Giải pháp" ends them: "Xây dựng quy chế …" under it, and "Triển khai …" under III, are not.
    assert [(c.kind, c.comparator, c.due, c.clause[:14]) for c in found] == [
        ("target", "done", dt.date(2026, 12, 31), "- Hoàn thiện c"),
        ("target", "done", dt.date(2026, 12, 31), "- Hình thành k"),
        ("target", "done", dt.date(2030, 12, 31), "- Áp dụng rộng")]


def test_a_multiple_is_a_target_with_what_it_measures():
    (candidate,) = read("KẾ HOẠCH năm 2030\nII. MỤC TIÊU\n- Số giao dịch trực tuyến gấp 2,5 lần so với năm 2025.\n")
    # "gấp 2,5 lần": at least 2.5 times; "so với năm 2025" is the base, not the deadline: due by the title's 2030.
    assert (candidate.comparator, candidate.value, candidate.measure, candidate.due) == (
        "at_least", Decimal("2.5"), "multiple", dt.date(2030, 12, 31))


@pytest.mark.django_db
def test_plan_extract_lists_a_multiple_in_its_own_words(tmp_path, capsys):
    from django.core.management import call_command
    from django.utils import translation

    source = tmp_path / "ke-hoach.txt"
    source.write_text("KẾ HOẠCH năm 2030\n- Số giao dịch trực tuyến gấp 30 lần năm 2025.\n", encoding="utf-8")
    with translation.override("vi"):
        call_command("plan_extract", str(source))
    assert "gấp 30 lần trở lên ·" in capsys.readouterr().out


def test_a_figure_in_a_paragraph_of_prose_is_proposed_with_its_own_sentence():
    text = (
        "KẾ HOẠCH năm 2027\nIII. NHIỆM VỤ\n\na) Thể chế\n\n"
        "Triển khai các quy định của Trung ương về chuyển đổi số. Chú trọng xây dựng quy\n"
        "chế để tối thiểu 80% văn bản không mật được ký số. Khuyến khích các chi bộ tham gia.\n\n"
        "- Năm 2026: 100% văn bản được ký số. Riêng văn bản mật được quản lý riêng.\n"
    )
    sentence, item = read(text)
    # The paragraph's three sentences say three things: the figure's clause is its own sentence, highlighted where it
    # is written (across the line break). At least 80%, due by the title's 2027.
    assert sentence.clause == "Chú trọng xây dựng quy chế để tối thiểu 80% văn bản không mật được ký số."
    assert text[sentence.start:sentence.end] == (
        "Chú trọng xây dựng quy\nchế để tối thiểu 80% văn bản không mật được ký số.")
    assert (sentence.value, sentence.due) == (Decimal(80), dt.date(2027, 12, 31))
    # A list item stays one clause, however many sentences it has; 100% by its own 2026.
    assert item.clause == "- Năm 2026: 100% văn bản được ký số. Riêng văn bản mật được quản lý riêng."
    assert (item.value, item.due) == (Decimal(100), dt.date(2026, 12, 31))


def test_an_appendix_row_due_in_another_year_than_the_bodys_milestone_is_a_task_only():
    text = (
        "II. MỤC TIÊU\n\n2. Mục tiêu cụ thể đến năm 2030\n\n"
        "- Hoàn thành nâng cấp Trung tâm tích hợp dữ liệu của cơ quan đảng tỉnh đặt tại Văn phòng Tỉnh ủy.\n\n"
        "PHỤ LỤC\n\nSTT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm\n"
        "1 | Khảo sát Trung tâm tích hợp dữ liệu đặt tại Văn phòng Tỉnh ủy | Phòng CĐS | Phòng Quản trị | Quý I/2026 | "
        "Báo cáo khảo sát\n"
    )
    found = [(c.kind, c.comparator, c.due) for c in candidates_extract(text, catalogue=seed_catalogue())]
    # The body's milestone is due by 2030; the row, due Quý I/2026 (31/3/2026), shares its words but not its year: a
    # step towards it, proposed as a task only, not as the milestone dated again.
    assert found == [("target", "done", dt.date(2030, 12, 31)), ("task", "done", dt.date(2026, 3, 31))]


def test_a_count_written_from_so_many_is_at_least_that_many():
    found = read(
        "KẾ HOẠCH năm 2030\nII. MỤC TIÊU\n- Mỗi năm phát triển từ 05 bộ dữ liệu mở của Đảng bộ.\n"
        "- Người từ 60 tuổi được hướng dẫn sử dụng ứng dụng số.\n- Tổ chức từ 03 đến 05 lớp tập huấn.\n"
    )
    # "từ 05 bộ": at least 5 datasets, due by the title's 2030. "từ 60 tuổi" says how old, and "từ 03 đến 05 lớp" a
    # span: neither is proposed as a count.
    assert [(c.comparator, c.value, c.measure, c.due) for c in found] == [
        ("at_least", Decimal(5), "count", dt.date(2030, 12, 31))]


def test_a_heading_in_capitals_wrapped_by_the_page_is_one_heading():
    text = ("KẾ HOẠCH năm 2027\nI. MỤC\nĐÍCH\n- Nâng cao nhận thức.\n"
            "II. MỤC\nTIÊU\n- Hoàn thiện cơ sở dữ liệu đảng viên.\n")
    (milestone,) = read(text)
    # "II. MỤC" / "TIÊU" is the heading "MỤC TIÊU", so the deliverable under it is a milestone, due by the title's 2027;
    # "I. MỤC ĐÍCH" is not the objectives, so "Nâng cao nhận thức" is nothing.
    assert (milestone.comparator, milestone.due, milestone.clause) == (
        "done", dt.date(2027, 12, 31), "- Hoàn thiện cơ sở dữ liệu đảng viên.")


def test_a_heading_naming_specific_objectives_or_targets_by_a_year_makes_its_deliverables_milestones():
    text = (
        "KẾ HOẠCH năm 2027\nI. ĐỊNH HƯỚNG\n1. Mục tiêu cụ thể\n- Hoàn thiện cơ sở dữ liệu đảng viên.\n"
        "II. NHIỆM VỤ\n1. Chỉ tiêu năm 2026\n- Thí điểm trợ lý ảo tại Văn phòng.\n2. Giải pháp\n- Hoàn thiện quy chế.\n"
    )
    found = read(text)
    # "Mục tiêu cụ thể" (due by the title's 2027) and "Chỉ tiêu năm 2026" (by 2026) head objectives wherever they
    # stand; "2. Giải pháp" ends them.
    assert [(c.comparator, c.due, c.clause) for c in found] == [
        ("done", dt.date(2027, 12, 31), "- Hoàn thiện cơ sở dữ liệu đảng viên."),
        ("done", dt.date(2026, 12, 31), "- Thí điểm trợ lý ảo tại Văn phòng.")]


def test_doubling_is_a_multiple_of_two():
    (candidate,) = read("KẾ HOẠCH năm 2030\nII. MỤC TIÊU\n- Số văn bản ký số tăng gấp đôi so với năm 2025.\n")
    # "tăng gấp đôi": at least 2 times, due by the title's 2030.
    assert (candidate.comparator, candidate.value, candidate.measure, candidate.due) == (
        "at_least", Decimal(2), "multiple", dt.date(2030, 12, 31))


def test_a_group_heading_with_its_other_cells_empty_heads_a_group():
    text = (
        "KẾ HOẠCH năm 2030\nPHỤ LỤC\nTT | Chỉ tiêu | Chủ trì\nI. Dữ liệu | - | -\n"
        "1 | Tỷ lệ văn bản không mật được ký số đạt 95%. | Văn phòng\n"
        "II. Ứng dụng | - | -\n1 | Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo đạt 60% | Ban Tuyên giáo\n"
    )
    # "II. Ứng dụng | - | -", its other cells empty, heads a group: its row numbered 1 again is read (95%, then 60%).
    assert [(c.kind, c.value) for c in read(text)] == [("target", Decimal(95)), ("target", Decimal(60))]


# --- tasks written in prose, and what is not a target -------------------------------------------------------------


def test_an_item_followed_by_its_lead_cooperating_deadline_and_product_lines_is_a_task():
    text = (
        "II. NỘI DUNG\n\n1. Xây dựng kho dữ liệu văn kiện số\n\n- Cơ quan chủ trì: Ban Tuyên giáo.\n\n"
        "- Cơ quan phối hợp: Văn phòng Tỉnh ủy, các huyện ủy.\n\n"
        "- Thời hạn hoàn thành: trước ngày 30 tháng 6 năm 2026.\n\n- Sản phẩm: Kho dữ liệu được đưa vào sử dụng.\n\n"
        "2. Tăng cường tuyên truyền về chuyển đổi số\n\n- Nội dung: tuyên truyền trên báo, đài của tỉnh.\n"
    )
    (task,) = read(text)
    # Item 1: its lines give the lead, the cooperating units, the product and the deadline "trước ngày 30/6/2026",
    # due the day before, 29/6/2026. Item 2 names neither a lead nor a deadline: not a task, and not a milestone.
    assert (task.kind, task.clause, task.lead, task.cooperating, task.due, task.output) == (
        "task", "1. Xây dựng kho dữ liệu văn kiện số", "Ban Tuyên giáo", "Văn phòng Tỉnh ủy, các huyện ủy",
        dt.date(2026, 6, 29), "Kho dữ liệu được đưa vào sử dụng")


def test_a_deadline_line_introducing_dated_lines_makes_each_of_them_a_task_led_by_who_it_names():
    text = (
        "II. NỘI DUNG\n\n1. Rà soát quy chế làm việc\n\n- Cơ quan thực hiện: Văn phòng Tỉnh ủy.\n\n"
        "- Thời gian thực hiện:\n\n+ Các ban đảng gửi kết quả rà soát về Văn phòng Tỉnh ủy trước ngày 15/3/2026.\n\n"
        "+ Văn phòng Tỉnh ủy tổng hợp, báo cáo Thường trực Tỉnh ủy trước ngày 31/3/2026.\n"
    )
    # Two tasks, not the item: "trước ngày 15/3/2026" is due 14/3, "trước ngày 31/3/2026" 30/3.
    assert [(c.kind, c.lead, c.due) for c in read(text)] == [
        ("task", "Các ban đảng", dt.date(2026, 3, 14)), ("task", "Văn phòng Tỉnh ủy", dt.date(2026, 3, 30))]


def test_an_item_of_a_tasks_section_naming_its_lead_in_its_own_words_is_a_task():
    text = (
        "III. NHIỆM VỤ, GIẢI PHÁP\n\n1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng quy chế lưu trữ điện "
        "tử; thời hạn hoàn thành: Quý II/2026.\n\n2. Tăng cường tuyên truyền về chuyển đổi số trong đảng viên.\n\n"
        "IV. KINH PHÍ\n\n1. Sở Tài chính chủ trì tổng hợp dự toán kinh phí hằng năm.\n"
    )
    (task,) = read(text)
    # "Quý II/2026" ends on 30/6/2026. Item 2 has no lead and no deadline; the budget section assigns no task.
    assert (task.kind, task.lead, task.cooperating, task.due) == (
        "task", "Sở Nội vụ", "Sở Tài chính", dt.date(2026, 6, 30))


def test_an_item_heading_wrapped_after_a_word_such_as_cua_goes_on_on_the_next_line():
    text = "II. NỘI DUNG\n\n1. Ban hành quy chế của\nBan Thường vụ về lưu trữ số\n\n- Cơ quan chủ trì: Văn phòng.\n"
    (task,) = read(text)
    assert (task.clause, task.lead) == ("1. Ban hành quy chế của Ban Thường vụ về lưu trữ số", "Văn phòng")


def test_a_scoring_sheet_is_not_a_table_of_targets_and_no_clause_spans_it():
    text = (
        "KẾ HOẠCH năm 2026\n\nII. MỤC TIÊU\n\n- 100% văn bản được ký số.\n\nPHỤ LỤC\n\nTHANG ĐIỂM THI ĐUA\n\n"
        "STT | Tiêu chí | Điểm chuẩn | Hướng dẫn chấm điểm\n"
        "1 | Tỷ lệ hồ sơ được số hóa | 20 | Đạt 100% được 20 điểm; từ 80 - 90% được 10 điểm\n"
        "2 | Đơn vị đạt tỷ lệ 100% văn bản ký số được cộng 05 điểm | 5 | Cộng 05 điểm\n"
    )
    # Only the body's 100%; the sheet's criteria and points set nothing.
    assert [(c.clause, c.value) for c in read(text)] == [("- 100% văn bản được ký số.", Decimal(100))]


def test_a_figure_on_the_present_situation_is_not_a_target():
    text = (
        "KẾ HOẠCH năm 2027\n\nII. NỘI DUNG\n\n1. Hiện trạng\n\n- Toàn tỉnh có 87 trạm. Trong đó, có 28 trạm 5G "
        "(chiếm 32,2%).\n\n- 60% hồ sơ được xử lý trực tuyến.\n\n2. Mục tiêu\n\n"
        "- Hiện nay, 45% hồ sơ được xử lý trực tuyến; đến năm 2027 đạt 90%.\n\n- Kinh tế số chiếm 45% GRDP.\n"
    )
    # Under "1. Hiện trạng" nothing is asked; under "2. Mục tiêu" the part opening "Hiện nay" says what is, the
    # part after ";" asks 90% by 2027; "chiếm 45% GRDP" outside brackets is a share to reach (45, by the title's 2027).
    assert [(c.comparator, c.value, c.due) for c in read(text)] == [
        ("at_least", Decimal(90), dt.date(2027, 12, 31)), ("at_least", Decimal(45), dt.date(2027, 12, 31))]


def test_award_quotas_and_points_are_not_targets():
    text = (
        "II. MỤC TIÊU\n\n- Chủ tịch tặng Bằng khen cho tập thể, cá nhân xuất sắc, tỷ lệ không quá 10% tập thể, 5% cá "
        "nhân.\n\n- Nếu có từ 02 đơn vị có tổng số điểm bằng nhau thì xét đơn vị có nhiều hồ sơ hơn.\n\n"
        "- 100% hồ sơ khen thưởng được xử lý trên môi trường số.\n"
    )
    # The quota and the points set nothing; digitising the award files is a target all the same (100%).
    assert [(c.comparator, c.value) for c in read(text)] == [("at_least", Decimal(100))]


def test_counts_with_no_comparator_word_under_the_objectives_are_counts():
    text = (
        "KẾ HOẠCH phát triển trạm 5G giai đoạn 2026 - 2030\n\nII. NỘI DUNG THỰC HIỆN\n\n2. Kế hoạch phát triển\n\n"
        "+ Lắp đặt mới trạm phát sóng: 40 trạm (Trong đó: Viettel: 25 trạm, VNPT: 15 trạm);\n\n"
        "+ Nâng cấp trạm 4G lên 5G: 60 trạm, nâng tổng số trạm 5G: 90 trạm.\n\n"
        "- Phát triển 12 bến xe điện tử.\n\n- Đầu tư 300 tỷ đồng cho hạ tầng.\n\n"
        "III. TỔ CHỨC THỰC HIỆN\n\n- Sở Tài chính: 02 cán bộ theo dõi.\n"
    )
    # 40, then 60 and 90, then 12, each at least so many, due by the title's 2030; the breakdown in brackets (25,
    # 15) is not a count to reach, nor is money ("300 tỷ đồng") or a count outside the objectives.
    assert [(c.comparator, c.value, c.measure, c.due) for c in read(text)] == [
        ("at_least", Decimal(n), "count", dt.date(2030, 12, 31)) for n in (40, 60, 90, 12)]


def test_a_percentage_in_a_sentence_introducing_a_list_is_read():
    text = "Trong giai đoạn 2026 - 2030, bảo đảm trạm 5G đạt 100% tại các khu công nghiệp, cụ thể như sau:\n"
    (candidate,) = read(text)
    # "đạt 100%" with no "tỷ lệ" before it: at least 100, due by the period's last year, 2030.
    assert (candidate.comparator, candidate.value, candidate.due) == ("at_least", Decimal(100), dt.date(2030, 12, 31))


def test_subheadings_operational_bullets_and_listed_activities_are_not_milestones():
    text = (
        "KẾ HOẠCH năm 2030\n\nII. MỤC TIÊU\n\n2.1. Xây dựng trạm 5G, mạng lõi\n\n"
        "- Triển khai cáp quang: Đảm bảo đường truyền tốc độ cao.\n\n- Xây dựng kho dữ liệu dùng chung của tỉnh.\n\n"
        "III. NỘI DUNG THỰC HIỆN\n\n- Xây dựng, nâng cấp hạ tầng công nghệ thông tin của tỉnh.\n"
    )
    # The heading with bullets under it names what they do; "Triển khai cáp quang: Đảm bảo …" says how; the
    # activities listed under "Nội dung thực hiện" are work, not milestones. The deliverable alone is one (2030).
    assert [(c.comparator, c.due, c.clause) for c in read(text)] == [
        ("done", dt.date(2030, 12, 31), "- Xây dựng kho dữ liệu dùng chung của tỉnh.")]


def test_a_row_under_a_merged_number_cell_is_a_task_of_its_own():
    text = (
        "PHỤ LỤC NHIỆM VỤ\n\nTT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\nI | Hạ tầng\n"
        "1 | Nâng cấp mạng nội bộ của cơ quan | Văn phòng | Sở Tài chính | Quý IV/2026\n"
        "Sao lưu dữ liệu dự phòng hằng tuần cho hệ thống | Trung tâm dữ liệu | Văn phòng\n"
        "2 | Mua sắm máy chủ mới | Sở Tài chính | - | Năm 2027\n"
    )
    assert [(c.kind, c.clause, c.lead, c.cooperating) for c in read(text)] == [
        ("task", "Nâng cấp mạng nội bộ của cơ quan", "Văn phòng", "Sở Tài chính"),
        ("task", "Sao lưu dữ liệu dự phòng hằng tuần cho hệ thống", "Trung tâm dữ liệu", "Văn phòng"),
        ("task", "Mua sắm máy chủ mới", "Sở Tài chính", "")]


def test_a_task_for_a_span_of_years_is_due_by_its_last_and_recurring_work_by_no_day():
    text = (
        "II. NỘI DUNG\n\n1. Xây dựng cổng thông tin về dữ liệu đảng viên\n\n- Cơ quan thực hiện: Văn phòng.\n\n"
        "- Thời gian thực hiện: năm 2026 - 2027.\n\n2. Tập huấn kỹ năng số cho cán bộ\n\n- Cơ quan chủ trì: Ban "
        "Tổ chức.\n\n- Thời gian thực hiện: năm 2026 và các năm tiếp theo.\n"
    )
    # "năm 2026 - 2027": by 31/12/2027; "năm 2026 và các năm tiếp theo" is recurring work, with no one deadline.
    assert [(c.lead, c.due) for c in read(text)] == [("Văn phòng", dt.date(2027, 12, 31)), ("Ban Tổ chức", None)]


# --- fourth round: one task per assignment, measures beyond percentages, conditions -------------------------------


def test_a_heading_over_several_assignments_gives_one_task_per_assignment_and_none_for_itself():
    text = (
        "III. NHIỆM VỤ, GIẢI PHÁP\n\n2. Nâng cao năng lực cán bộ làm công tác pháp chế\n\n"
        "- Tổ chức lớp tập huấn soạn thảo văn bản cho cán bộ.\n\n- Biên soạn tài liệu hướng dẫn nghiệp vụ.\n\n"
        "Đơn vị chủ trì: Sở Tư pháp.\n\nĐơn vị phối hợp: Sở Nội vụ.\n\nThời gian thực hiện: Năm 2026.\n\n"
        "- Cử cán bộ đi học tập kinh nghiệm ở tỉnh bạn.\n\nĐơn vị chủ trì: Sở Nội vụ.\n\n"
        "Thời gian thực hiện: Hằng năm.\n\n3. Tổ chức hội thảo về xây dựng pháp luật\n\n"
        "Tham mưu tổ chức hội thảo chuyên đề của tỉnh.\n\n- Đơn vị chủ trì: Văn phòng UBND tỉnh.\n"
    )
    # Heading 2 holds two assignments, each ending with its own "Đơn vị chủ trì": two tasks, each named by its first
    # bullet; heading 3's assignment is the paragraph under it, led by the "- Đơn vị chủ trì" bullet. No heading is
    # a task.
    assert [(c.kind, c.clause, c.lead, c.cooperating, c.due) for c in read(text)] == [
        ("task", "- Tổ chức lớp tập huấn soạn thảo văn bản cho cán bộ.", "Sở Tư pháp", "Sở Nội vụ",
         dt.date(2026, 12, 31)),
        ("task", "- Cử cán bộ đi học tập kinh nghiệm ở tỉnh bạn.", "Sở Nội vụ", "", None),
        ("task", "Tham mưu tổ chức hội thảo chuyên đề của tỉnh.", "Văn phòng UBND tỉnh", "", None)]


def test_an_activity_named_by_its_label_is_read_by_its_content_and_led_by_the_unit_its_lines_name():
    text = (
        "III. NỘI DUNG HOẠT ĐỘNG\n\n1. Truyền thông về bình đẳng giới\n\na) Hoạt động 1\n\n"
        "- Nội dung: Tổ chức diễn đàn thanh niên về bình đẳng giới.\n\n"
        "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Đoàn Thanh niên.\n\nb) Hoạt động 2\n\n"
        "- Nội dung: In tờ rơi phát tại các khu phố.\n\n- Cơ quan thực hiện:\n\n"
        "+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các phường.\n\n+ Báo Thành phố đăng tin.\n"
    )
    # The label "Hoạt động 1" is not what is to be done: the "Nội dung" line is. "Sở Nội vụ chủ trì, phối hợp với
    # Đoàn Thanh niên" gives the lead and the cooperating unit; for Hoạt động 2 they sit in the "+" line under
    # "Cơ quan thực hiện:".
    assert [(c.kind, c.clause, c.lead, c.cooperating) for c in read(text)] == [
        ("task", "- Nội dung: Tổ chức diễn đàn thanh niên về bình đẳng giới.", "Sở Nội vụ", "Đoàn Thanh niên"),
        ("task", "- Nội dung: In tờ rơi phát tại các khu phố.", "Sở Văn hóa và Thể thao", "các phường")]


def test_an_item_naming_only_a_deadline_in_a_tasks_section_is_a_task_and_so_is_a_paragraph_assigning_anew():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n\n1. Các phường xây dựng kế hoạch triển khai xong trong tháng 12/2026.\n\n"
        "2. Giao Sở Tài chính chủ trì bố trí kinh phí.\n\n"
        "Đồng thời, giao Sở Nội vụ chủ trì theo dõi việc thực hiện.\n\n"
        "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo Ủy ban nhân dân tỉnh.\n\n"
        "V. CHẾ ĐỘ BÁO CÁO\n\nCác sở gửi báo cáo về Sở Nội vụ trước ngày 16 tháng 12 năm 2026.\n"
    )
    # "xong trong tháng 12/2026": due the month's last day, 31/12/2026; "trước ngày 16 tháng 12 năm 2026": the day
    # before, 15/12/2026, led by the units the paragraph opens with ("Các phường" names no kind of body the reading
    # knows). The closing paragraph on difficulties assigns nothing.
    assert [(c.kind, c.lead, c.due) for c in read(text)] == [
        ("task", "", dt.date(2026, 12, 31)), ("task", "Sở Tài chính", None), ("task", "Sở Nội vụ", None),
        ("task", "Các sở", dt.date(2026, 12, 15))]


def test_rates_ratios_multiples_and_a_fall_from_one_level_to_another_are_read_with_their_measure():
    text = (
        "II. MỤC TIÊU\n\n1. Mục tiêu cụ thể\n\n- Chỉ tiêu 1: Tỷ số giới tính khi sinh ở mức 108 bé trai/100 bé gái "
        "vào năm 2027.\n\n- Chỉ tiêu 2: Tỷ lệ tử vong mẹ dưới 5/100.000 trẻ đẻ sống vào năm 2027.\n\n"
        "- Chỉ tiêu 3: Tỷ suất sinh tuổi vị thành niên giảm từ 25 ca/1.000 phụ nữ xuống 20 ca/1.000 phụ nữ "
        "vào năm 2027.\n\n- Chỉ tiêu 4: Giảm thời gian làm việc nhà không lương của nữ so với nam còn 1,5 lần "
        "vào năm 2027.\n\n- Chỉ tiêu 5: Có ít nhất một trạm y tế làm điểm tư vấn vào năm 2027.\n"
    )
    # "ở mức 108 bé trai/100 bé gái": a ratio (words before "/100"), a level to stay under: at most 108.
    # "dưới 5/100.000": a rate, at most 5. "giảm từ 25 … xuống 20 ca/1.000": at most 20, and 25, the start, is no
    # target. "còn 1,5 lần": at most 1.5 times. "ít nhất một trạm": a count, at least 1. All due 31/12/2027.
    assert [(c.comparator, c.value, c.measure, c.due) for c in read(text)] == [
        ("at_most", Decimal("108"), "ratio", dt.date(2027, 12, 31)),
        ("at_most", Decimal("5"), "rate", dt.date(2027, 12, 31)),
        ("at_most", Decimal("20"), "rate", dt.date(2027, 12, 31)),
        ("at_most", Decimal("1.5"), "multiple", dt.date(2027, 12, 31)),
        ("at_least", Decimal("1"), "count", dt.date(2027, 12, 31))]


def test_a_condition_and_a_cited_title_set_no_target_and_a_stage_keeps_its_own_year():
    text = (
        "II. MỤC TIÊU ĐẾN NĂM 2030\n\n- Năm 2026 đạt 70% cơ quan có lãnh đạo chủ chốt là nữ. Ngành có tỷ lệ nữ "
        "thấp dưới 20% có thể điều chỉnh mục tiêu.\n\n- Các sở bám sát Đề án “Xây dựng ít nhất 02 trung tâm dữ liệu "
        "giai đoạn 2021 - 2030” của tỉnh.\n\n- Phấn đấu đạt 30% xã “không ma túy” năm 2026, bảo đảm đến hết năm "
        "2030 đạt 60% xã “không ma túy”.\n"
    )
    # 70% is asked by 2026; "dưới 20% có thể điều chỉnh" only says when the target may change; "ít nhất 02" is in
    # the cited Đề án's title. 30% is the 2026 stage (its year follows it, before "đến hết năm 2030"); 60% is 2030.
    assert [(c.comparator, c.value, c.due) for c in read(text) if c.kind == "target"] == [
        ("at_least", Decimal("70"), dt.date(2026, 12, 31)),
        ("at_least", Decimal("30"), dt.date(2026, 12, 31)),
        ("at_least", Decimal("60"), dt.date(2030, 12, 31))]


# --- fifth round: tasks under labels, duties in "Tổ chức thực hiện", counts in lists --------------------------------


def _spaced(*paragraphs: str) -> str:
    """A text as the crawled plans give it: each paragraph after a blank line, its lines wrapped by the page."""
    return "\n\n".join(paragraphs) + "\n"


def test_a_task_written_under_nhiem_vu_is_its_content_one_task_per_block_with_the_blocks_units_and_deadline():
    text = _spaced(
        "II. NHIỆM VỤ", "1. Về hạ tầng", "a) Nhiệm vụ: Nâng cấp mạng nội bộ\nCủa các phòng chuyên môn.",
        "b) Cơ quan thực hiện:", "- Đơn vị chủ trì: Văn phòng.", "- Đơn vị phối hợp: Sở Tài chính.",
        "c) Thời gian thực hiện: Hoàn thành trong năm 2026.", "2. Về dữ liệu", "a) Nhiệm vụ:",
        "- Số hóa hồ sơ lưu trữ của cơ quan.", "- Chuẩn hóa danh mục dữ liệu dùng chung.", "b) Cơ quan thực hiện:",
        "- Đơn vị chủ trì: Trung tâm dữ liệu.", "- Đơn vị phối hợp: Các phòng chuyên môn.",
        "c) Thời gian thực hiện: Thực hiện thường xuyên.",
    )
    # The label "a) Nhiệm vụ:" is not the task: its words are (the line wrapped by the page, "Của …" in capitals,
    # still the same item). Under item 2 it introduces two bullets, the duties of one assignment: one task, its
    # clause the label with the first duty, led by "Trung tâm dữ liệu" with "Các phòng chuyên môn". "Hoàn thành
    # trong năm 2026" is due 31/12/2026; "Thực hiện thường xuyên" is recurring work, no one day, its words kept.
    # The headings "1. Về hạ tầng", "2. Về dữ liệu" are no task.
    assert [(c.kind, c.clause, c.lead, c.cooperating, c.due, c.due_text) for c in read(text)] == [
        ("task", "a) Nhiệm vụ: Nâng cấp mạng nội bộ Của các phòng chuyên môn.", "Văn phòng", "Sở Tài chính",
         dt.date(2026, 12, 31), "trong năm 2026"),
        ("task", "a) Nhiệm vụ: - Số hóa hồ sơ lưu trữ của cơ quan.", "Trung tâm dữ liệu", "Các phòng chuyên môn",
         None, "Thực hiện thường xuyên")]


def test_a_noi_dung_line_names_the_task_when_it_says_the_headings_action_in_full():
    text = (
        "II. NỘI DUNG\n\n2. Rà soát văn bản quy phạm pháp luật\n\n- Nội dung: Rà soát các văn bản quy phạm pháp luật "
        "do tỉnh ban hành có liên quan đến Luật.\n\n- Cơ quan thực hiện: Sở Tư pháp.\n\n"
        "3. Xây dựng cổng thông tin về tiêu chuẩn\n\n- Nội dung: Cổng thông tin cung cấp các tiêu chuẩn hiện hành.\n\n"
        "- Cơ quan chủ trì: Sở Khoa học và Công nghệ.\n\n4. Tổ chức hỗ trợ thi hành Luật\n\n"
        "- Các nội dung hỗ trợ bao gồm:\n\n+ Hướng dẫn áp dụng Luật;\n\n+ Tiếp nhận kiến nghị của doanh nghiệp.\n\n"
        "- Cơ quan thực hiện: Các sở, ngành.\n\n"
        "III. THỜI GIAN VÀ PHẠM VI\n\n1. Thời gian: từ nay đến năm 2030.\n\n"
        "IV. TỔ CHỨC THỰC HIỆN\n\n5.\nTổ chức triển khai Chiến lược tiêu chuẩn quốc gia\n\n"
        "Thời gian thực hiện sau khi Chiến lược được ban hành.\n"
    )
    # Item 2's "Nội dung" says its heading's action ("Rà soát …") in full: that line is the task. Item 3's
    # describes the portal the heading asks for: the heading is the task, and so is item 4's, its first bullet only
    # introducing a list ("… bao gồm:"). "1. Thời gian: …" says when the plan runs,
    # not a task of section III. Item 5, its number alone on a line, is read with the line after it, a task by its
    # deadline line even without a colon (a condition, no day: due None).
    assert [(c.clause, c.lead, c.due) for c in read(text)] == [
        ("- Nội dung: Rà soát các văn bản quy phạm pháp luật do tỉnh ban hành có liên quan đến Luật.", "Sở Tư pháp",
         None),
        ("3. Xây dựng cổng thông tin về tiêu chuẩn", "Sở Khoa học và Công nghệ", None),
        ("4. Tổ chức hỗ trợ thi hành Luật", "Các sở, ngành", None),
        ("5. Tổ chức triển khai Chiến lược tiêu chuẩn quốc gia", "", None)]


def test_in_a_text_spaced_by_blank_lines_an_items_first_line_cut_by_the_page_goes_on_on_the_next():
    items = [f"- Tuyên truyền nội dung {n} của Kế hoạch." for n in range(1, 9)]
    text = _spaced(
        "V. TỔ CHỨC THỰC HIỆN", *items, "1. Giao Sở\nNông nghiệp và Môi trường là cơ quan đầu mối, chủ trì, hướng dẫn "
        "thực hiện Kế hoạch.", "3. Bộ Tư lệnh\nThành phố chủ trì, phối hợp với Sở Y tế tổ chức tập huấn cho dân quân.",
        "4. Sở Tài chính (cơ quan chủ trì)", "- Bố trí kinh phí thực hiện Kế hoạch.",
    )
    # Ten items, each after a blank line: "3. Bộ Tư lệnh" / "Thành phố chủ trì …" is one item cut by the page, led
    # by "Bộ Tư lệnh Thành phố", and so is "1. Giao Sở" / "Nông nghiệp … là cơ quan đầu mối, chủ trì …". "4. Sở Tài
    # chính (cơ quan chủ trì)" names a unit and its role, heading its duties: not a task led by "cơ quan".
    assert [(c.clause[:20], c.lead, c.cooperating) for c in read(text)] == [
        ("1. Giao Sở Nông nghi", "Sở Nông nghiệp và Môi trường", ""),
        ("3. Bộ Tư lệnh Thành ", "Bộ Tư lệnh Thành phố", "Sở Y tế")]


def test_duties_naming_their_unit_and_a_deadline_are_tasks_and_a_recurring_deadline_is_no_one_day():
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ theo dõi, đôn đốc các phường thực hiện Kế hoạch; tham mưu báo cáo "
        "Ủy ban nhân dân tỉnh\n\n- Kết quả cập nhật lên phần mềm theo dõi trước ngày 20 hằng tháng.\n\n"
        "2. Các sở, ban, ngành căn cứ Kế hoạch này xây dựng kế hoạch của đơn vị; báo cáo kết quả trước ngày 15 hằng "
        "tháng.\n\n3. Sở Tài chính là cơ quan thường trực, chủ trì bố trí kinh phí.\n\n"
        "4. Sở Y tế phối hợp với các phường tuyên truyền về Kế hoạch.\n\n"
        "5. Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11 hằng năm.\n\n"
        "6. Ủy ban nhân dân các phường gửi báo cáo năm về Sở Nội vụ trước ngày 20/11.\n\n"
        "7. Các sở, ban, ngành gửi báo cáo sơ kết trước ngày 20/11/2026.\n\n"
        "Trong quá trình thực hiện, các đơn vị báo cáo về Sở Nội vụ trước ngày 10 hằng tháng.\n"
    )
    # 1: its unit and, in the line under it naming no unit, "trước ngày 20 hằng tháng" (that line is read with it).
    # 2: the units it opens with. 3: "là cơ quan thường trực, chủ trì": the lead. 4: a role with no deadline nor
    # "chủ trì": no task. 5, 6: a day coming back each year ("30/11 hằng năm"; "20/11" written without a year in a
    # plan of several years): no one day, the words kept. 7: "trước ngày 20/11/2026" is a day, due 19/11/2026.
    # The closing paragraph asking for reports is no item of duties.
    assert [(c.clause[:2], c.lead, c.due, c.due_text) for c in read(text)] == [
        ("1.", "Sở Nội vụ", None, "trước ngày 20 hằng tháng"),
        ("2.", "Các sở, ban, ngành", None, "trước ngày 15 hằng tháng"),
        ("3.", "Sở Tài chính", None, ""),
        ("5.", "Sở Nội vụ", None, "trước ngày 30/11 hằng năm"),
        ("6.", "Ủy ban nhân dân các phường", None, "trước ngày 20/11"),
        ("7.", "Các sở, ban, ngành", dt.date(2026, 11, 19), "trước ngày 20/11/2026")]


def test_actions_in_the_work_section_of_a_plan_with_objectives_are_not_milestones():
    text = (
        "KẾ HOẠCH đến năm 2030\n\nI. MỤC TIÊU\n\n- 100% hồ sơ được số hóa.\n\n"
        "- Xây dựng kho dữ liệu dùng chung của tỉnh.\n\nII. NỘI DUNG CỦA KẾ HOẠCH\n\n"
        "- Xây dựng cơ sở dữ liệu về tài liệu tuyên truyền.\n\n- Hoàn thiện quy chế khai thác dữ liệu.\n\n"
        "- Tập huấn cho 80% cán bộ về an toàn thông tin.\n"
    )
    # Under "I. MỤC TIÊU" the deliverable is a milestone (2030); once the plan has its objectives, "II. NỘI DUNG CỦA
    # KẾ HOẠCH" lists the work: its actions set nothing, its percentage (80%) is still a target, due 2030.
    assert [(c.comparator, c.value, c.due, c.clause) for c in read(text)] == [
        ("at_least", Decimal(100), dt.date(2030, 12, 31), "- 100% hồ sơ được số hóa."),
        ("done", None, dt.date(2030, 12, 31), "- Xây dựng kho dữ liệu dùng chung của tỉnh."),
        ("at_least", Decimal(80), dt.date(2030, 12, 31), "- Tập huấn cho 80% cán bộ về an toàn thông tin.")]


def test_counts_listed_after_a_count_and_counts_of_people_or_sessions_are_counts():
    text = (
        "KẾ HOẠCH đến năm 2030\n\nII. MỤC TIÊU\n\n2. Mục tiêu cụ thể\n\n"
        "- Hình thành ít nhất 40 hợp tác xã kiểu mới, 25 hợp tác xã ứng dụng công nghệ số; đồng thời có ít nhất 10 "
        "doanh nghiệp dẫn dắt, trong đó có 4 doanh nghiệp công nghệ cao.\n\n"
        "- Đào tạo 1.500 lượt cơ quan, đơn vị ứng dụng trí tuệ nhân tạo.\n\n"
        "- Tập huấn cho 200 người dân về thương mại điện tử.\n\n"
        "- Ban hành Quyết định 12 người ký.\n"
    )
    # 40, then 25 "hợp tác xã" listed after it; 10, then 4 "doanh nghiệp" within it: four counts, at least each.
    # "1.500 lượt" and "200 người" count people trained, with no comparator word: at least 1500 and 200. All due by
    # the title's 2030. A count is no share: "1.500 lượt cơ quan, đơn vị ứng dụng trí tuệ nhân tạo" does not guess
    # "Tỷ lệ cơ quan, đơn vị ứng dụng trí tuệ nhân tạo".
    counts = [(c.value, c.measure, c.due, c.indicator) for c in read(text) if c.kind == "target"]
    assert counts[:6] == [(Decimal(n), "count", dt.date(2030, 12, 31), None) for n in (40, 25, 10, 4, 1500, 200)]


def test_work_done_each_month_has_no_day_unless_its_line_writes_one():
    text = (
        "II. NỘI DUNG\n\n1. Rà soát quy chế làm việc\n\n- Cơ quan thực hiện: Văn phòng.\n\n- Thời gian thực hiện:\n\n"
        "+ Hằng tháng, các ban gửi kết quả về Văn phòng trước ngày 15/3/2026.\n\n2. Cập nhật dữ liệu đảng viên\n\n"
        "- Cơ quan chủ trì: Văn phòng.\n\n- Thời gian thực hiện: Hằng tháng.\n"
    )
    # The dated line says "hằng tháng" but writes its day: due the day before 15/3/2026, 14/3/2026. Item 2 is done
    # each month: no one day, "Hằng tháng" kept as written.
    assert [(c.clause[:2], c.due, c.due_text) for c in read(text)] == [
        ("+ ", dt.date(2026, 3, 14), "trước ngày 15/3/2026"), ("2.", None, "Hằng tháng")]


class TestAssignmentsSetOutUnitByUnit:
    """One task per assignment: the duties listed under one "Nhiệm vụ:" are one task, unless a duty names a unit of
    its own; a Quyết định's article giving the plan to a unit is a task."""

    def test_the_duties_under_nhiem_vu_are_one_task_and_its_highlight_is_the_label_with_the_first_duty(self):
        text = _spaced(
            "II. NHIỆM VỤ", "1. Về an toàn thông tin", "a) Nhiệm vụ:", "- Rà soát phương án an toàn thông tin.",
            "- Diễn tập ứng cứu sự cố mạng.", "- Kiểm tra định kỳ các hệ thống.", "b) Cơ quan thực hiện:",
            "- Đơn vị chủ trì: Công an tỉnh.", "- Đơn vị phối hợp: Sở Tài chính.",
            "c) Thời gian thực hiện: Quý III/2026.",
        )
        found = read(text)
        # Three bullets, one assignment: one task led by Công an tỉnh with Sở Tài chính, due at the end of the
        # third quarter of 2026 (30/9/2026). The highlight runs from the label to the end of the first duty.
        assert [(c.lead, c.cooperating, c.due, c.due_text) for c in found] == [
            ("Công an tỉnh", "Sở Tài chính", dt.date(2026, 9, 30), "Quý III/2026")]
        assert text[found[0].start:found[0].end] == "a) Nhiệm vụ:\n\n- Rà soát phương án an toàn thông tin."

    def test_a_duty_naming_a_unit_of_its_own_is_that_units_task(self):
        text = _spaced(
            "II. NHIỆM VỤ", "1. Về hạ tầng", "a) Nhiệm vụ:", "- Nâng cấp đường truyền của các phòng.",
            "- Sở Tài chính bố trí kinh phí nâng cấp.", "b) Cơ quan thực hiện:", "- Đơn vị chủ trì: Văn phòng.",
            "c) Thời gian thực hiện: Hoàn thành trong năm 2026.",
        )
        # The first duty is the block's, led by Văn phòng; the second opens with its own unit: Sở Tài chính's task,
        # the block's deadline with it (31/12/2026 for both).
        assert [(c.clause, c.lead, c.due) for c in read(text)] == [
            ("a) Nhiệm vụ: - Nâng cấp đường truyền của các phòng.", "Văn phòng", dt.date(2026, 12, 31)),
            ("- Sở Tài chính bố trí kinh phí nâng cấp.", "Sở Tài chính", dt.date(2026, 12, 31))]

    def test_a_decisions_article_giving_the_plan_to_a_unit_is_a_task_and_the_article_on_who_executes_it_is_not(self):
        text = _spaced(
            "QUYẾT ĐỊNH", "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.",
            "Điều 2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành; Ủy ban nhân dân các xã tổ "
            "chức triển khai Kế hoạch.",
            "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này.",
        )
        # Điều 2 assigns the plan: a task led by the unit given it, cooperating with the units up to the ";".
        # Điều 1 issues the plan and Điều 3 says who executes the decision: no task.
        assert [(c.kind, c.clause[:8], c.lead, c.cooperating) for c in read(text)] == [
            ("task", "Điều 2. ", "Sở Khoa học và Công nghệ", "các sở, ngành")]


def test_measures_closed_by_who_directs_them_are_one_task_of_the_item_a_single_one_its_own():
    text = ("CHƯƠNG TRÌNH HÀNH ĐỘNG năm 2026\nIII. NHIỆM VỤ, GIẢI PHÁP\n"
            "3.1. Tăng cường tuyên truyền về chuyển đổi số\n"
            "- Quán triệt các văn bản của Trung ương về chuyển đổi số.\n"
            "- Đổi mới hình thức tuyên truyền trên nền tảng số.\n"
            "Trách nhiệm chỉ đạo thực hiện: Ban Tuyên giáo Tỉnh ủy.\n"
            "3.2. Hoàn thiện thể chế\n"
            "- Rà soát quy chế làm việc trên môi trường số.\n"
            "Trách nhiệm chỉ đạo thực hiện: Văn phòng Tỉnh ủy.\n")
    tasks = [c for c in read(text) if c.kind == "task"]
    # A Party committee's programme closes each group of measures with who directs them: the item is the task when
    # it holds several measures, the measure itself when it holds one.
    assert [(c.clause, c.lead) for c in tasks] == [
        ("3.1. Tăng cường tuyên truyền về chuyển đổi số", "Ban Tuyên giáo Tỉnh ủy"),
        ("- Rà soát quy chế làm việc trên môi trường số.", "Văn phòng Tỉnh ủy")]


def test_a_paragraph_naming_its_lead_and_those_working_with_it_is_a_task_unless_under_a_units_heading():
    text = ("KẾ HOẠCH năm 2026\nII. NỘI DUNG\n"
            "4. Hoàn thành di dời cụm công nghiệp Đông Phố Mới.\n"
            "UBND phường Lào Cai chủ trì, phối hợp với Sở Xây dựng thực hiện công tác giải phóng mặt bằng.\n"
            "III. TỔ CHỨC THỰC HIỆN\n"
            "2. Sở Khoa học và Công nghệ, Sở Nội vụ\n"
            "Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ tổ chức tập huấn.\n")
    tasks = [c for c in read(text) if c.kind == "task"]
    # Under a numbered item of what the plan does, the paragraph assigns it; under a heading naming units it
    # describes their role (the seeds' convention: no task).
    assert [(c.lead, c.cooperating) for c in tasks] == [("UBND phường Lào Cai", "Sở Xây dựng")]


def test_a_bullet_under_a_units_heading_is_its_role_unless_it_sets_a_deadline():
    text = ("KẾ HOẠCH năm 2026\nIII. TỔ CHỨC THỰC HIỆN\n"
            "7. Ban Quản lý Khu kinh tế\n"
            "- Ban Quản lý Khu kinh tế chủ trì triển khai chuyển đổi khu công nghiệp sang mô hình sinh thái.\n"
            "- Ủy ban nhân dân phường Yên Bái chủ trì phối hợp với Ủy ban nhân dân phường Văn Phú xây dựng phương án "
            "di dời cụm công nghiệp, hoàn thành phê duyệt phương án trong năm 2026.\n")
    tasks = [c for c in read(text) if c.kind == "task"]
    # The unit's standing duty is no task (the seeds' convention); the one with its year is, due 31/12/2026.
    assert [(c.lead, c.due) for c in tasks] == [("Ủy ban nhân dân phường Yên Bái", dt.date(2026, 12, 31))]


def test_a_title_opening_thuc_hien_gives_the_plans_years_and_an_unsigned_date_line_none():
    text = ("UBND TỈNH LÀO CAI SỞ CÔNG THƯƠNG Số:       /KH-SCT | Lào Cai, ngày       tháng 4 năm 2026\n\n"
            "KẾ HOẠCH\n\nThực hiện Đề án số 08 về phát triển công nghiệp tỉnh Lào Cai\n\n"
            "theo hướng xanh, hiện đại giai đoạn 2026-2030\n\n"
            "Căn cứ Nghị quyết số 35-NQ/TU ngày 29/12/2025 của Tỉnh ủy Lào Cai;\n\n"
            "II. MỤC TIÊU\n\n- Tỷ lệ lấp đầy các khu công nghiệp đạt trên 80%.\n")
    (target,) = read(text)
    # The title's "giai đoạn 2026-2030", not the blank date line's 2026: due 31/12/2030.
    assert (target.value, target.due) == (Decimal(80), dt.date(2030, 12, 31))


def test_a_numbered_item_opening_giao_is_an_assignment_wherever_it_stands():
    text = ("Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
            "1. Nhất trí chủ trương di dời cụm công nghiệp Đầm Hồng.\n"
            "2. Giao Sở Công Thương chủ trì hướng dẫn chuyên môn, phối hợp với Ủy ban nhân dân phường Âu Lâu rà soát "
            "quy hoạch cụm công nghiệp.\n")
    tasks = [c for c in read(text) if c.kind == "task"]
    # A letter has no tasks section: the item giving the work to a unit is the task, led by it, with who helps.
    assert [(c.lead, c.cooperating) for c in tasks] == [("Sở Công Thương", "Ủy ban nhân dân phường Âu Lâu")]
