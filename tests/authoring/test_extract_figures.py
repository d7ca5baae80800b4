"""Several figures in one sentence and quantities with their units, each rule on a short sentence of its own."""

import datetime as dt
import json
from decimal import Decimal

from django.core.management import call_command

from authoring.extract import Candidate, candidates_extract, catalogue_from_indicators
from authoring.extract_figures import quantities, quantity_number

END_2030 = dt.date(2030, 12, 31)


def read(text: str) -> list[Candidate]:
    return candidates_extract(text, catalogue=catalogue_from_indicators([]))


def targets(text: str) -> list[Candidate]:
    return [candidate for candidate in read(text) if candidate.kind == "target"]


def figures(found: list[Candidate]) -> list[tuple]:
    return [(c.comparator, c.value, c.value_max, c.measure, c.unit) for c in found]


def test_a_quantity_keeps_its_number_as_written_and_its_unit_with_the_scale():
    # A dot groups thousands, a comma marks the decimals: "46.200" is 46 200, "48,3" is 48.3.
    assert quantity_number("46.200") == Decimal(46200)
    assert quantity_number("48,3") == Decimal("48.3")
    assert quantity_number("1.250,5") == Decimal("1250.5")
    (tonnes, dollars) = quantities("sản lượng đạt trên 46.200 tấn; giá trị đạt 48,3 triệu USD")
    # "triệu" stays in the unit: 48,3 triệu USD is value 48.3, unit "triệu USD", never 48 300 000.
    assert (tonnes.comparator, tonnes.value, tonnes.unit) == ("at_least", Decimal(46200), "tấn")
    assert (dollars.comparator, dollars.value, dollars.unit) == ("at_least", Decimal("48.3"), "triệu USD")


def test_every_figure_of_a_sentence_is_its_own_target_quantities_beside_the_percentage():
    text = ("II. MỤC TIÊU\n\n- Tổng sản lượng gạo xuất khẩu đến năm 2030 đạt trên 12.000 tấn; tổng giá trị gạo "
            "xuất khẩu dự kiến đạt 25,5 triệu USD, tốc độ tăng bình quân 04 - 06%/năm.\n")
    found = targets(text)
    # "đạt trên 12.000 tấn" → at least 12 000 t; "đạt 25,5 triệu USD" → at least 25.5 (million USD, the unit
    # kept); "04 - 06%/năm" → the range 4–6 (percent); all due "đến năm 2030" → 31/12/2030.
    assert figures(found) == [
        ("at_least", Decimal(12000), None, "amount", "tấn"),
        ("at_least", Decimal("25.5"), None, "amount", "triệu USD"),
        ("range", Decimal(4), Decimal(6), "percent", ""),
    ]
    assert {candidate.due for candidate in found} == {END_2030}
    assert found[0].to_json()["unit"] == "tấn" and found[0].to_json()["value"] == 12000


def test_below_a_quantity_is_at_most_and_the_fall_beside_it_a_reduction():
    text = ("II. MỤC TIÊU\n\n- Nồng độ bụi PM10 trung bình năm tại đô thị loại I vào năm 2030 đạt dưới 50 μg/m3 "
            "(giảm 15% so với mức năm 2023).\n")
    found = targets(text)
    # "đạt dưới 50 μg/m3" → at most 50 μg/m3; "giảm 15%" → reduce_by 15, as the seed plans write a fall ("rút
    # ngắn ít nhất 30%"); 2023 is the baseline's year, the deadline "vào năm 2030" → 31/12/2030.
    assert figures(found) == [("at_most", Decimal(50), None, "amount", "μg/m3"),
                              ("reduce_by", Decimal(15), None, "percent", "")]
    assert {candidate.due for candidate in found} == {END_2030}


def test_a_fall_by_a_quantity_and_a_fall_down_to_one():
    found = targets("II. MỤC TIÊU\n\n- Đến năm 2030, lượng khí thải giảm trung bình 3 tấn mỗi năm.\n"
                    "- Đến năm 2030, chi phí vận chuyển giảm xuống còn 40 tỷ đồng.\n")
    # "giảm trung bình 3 tấn" → reduce_by 3 (tấn); "giảm xuống còn 40 tỷ đồng" → at most 40 (tỷ đồng).
    assert figures(found) == [("reduce_by", Decimal(3), None, "amount", "tấn"),
                              ("at_most", Decimal(40), None, "amount", "tỷ đồng")]


def test_a_quantity_per_person_after_a_word_of_reaching():
    (found,) = targets("II. MỤC TIÊU\n\n- Phấn đấu tổng tỷ suất sinh của tỉnh đạt 2,0 con/phụ nữ.\n")
    # "đạt 2,0 con/phụ nữ" → at least 2.0, unit "con/phụ nữ"; no year written → none (no plan year either).
    assert figures([found]) == [("at_least", Decimal("2.0"), None, "amount", "con/phụ nữ")]


def test_a_quantity_describing_scope_or_method_sets_nothing():
    text = ("II. MỤC TIÊU\n\n- Đầu tư nhà máy điện mặt trời công suất 50 MW tại khu công nghiệp phía Bắc.\n"
            "- Mỗi điểm lấy mẫu 2 lít nước, bảo quản ở 4 độ.\n")
    # No word asks to reach 50 MW (a capacity) or 2 lít (how a sample is taken): no target.
    assert targets(text) == []


def test_a_quantity_is_not_read_again_as_a_count_of_its_unit():
    (found,) = targets("II. MỤC TIÊU\n\n- Sản lượng thủy sản nuôi trồng tối thiểu 500 tấn vào năm 2030.\n")
    # "tối thiểu 500 tấn" → one amount (at least 500 t), not also a count of 500 "tấn".
    assert figures([found]) == [("at_least", Decimal(500), None, "amount", "tấn")]


def test_a_later_sentence_of_a_list_item_is_read_with_its_own_clause():
    first = "- Tại các khu công nghiệp của tỉnh, 100% nước thải được thu gom, xử lý đạt quy chuẩn kỹ thuật."
    second = ("Tỷ lệ chất thải rắn sinh hoạt tại đô thị được phân loại tại nguồn và tái chế, tái sử dụng đạt tối "
              "thiểu 60%.")
    found = targets(f"II. MỤC TIÊU\n\n{first} {second}\n")
    # Sentence 1 sets 100%, sentence 2 (18 words, ≥ 15) sets 60%: each figure keeps its own sentence.
    assert [(c.value, c.clause) for c in found] == [(Decimal(100), first), (Decimal(60), second)]
    text = f"II. MỤC TIÊU\n\n{first} {second}\n"
    assert [text[c.start:c.end] for c in found] == [first, second]


def test_a_short_closing_sentence_or_a_breakdown_stays_with_its_item():
    short = "- Tỉnh thuộc nhóm 5 tỉnh dẫn đầu khu vực về đổi mới sáng tạo. Kinh tế số đạt 30% GRDP."
    breakdown = ("3. Phấn đấu doanh thu du lịch đến năm 2030 đạt 120 tỷ đồng, tăng bình quân 8%/năm. Trong đó: Doanh "
                 "thu lữ hành đạt 40 tỷ đồng; Doanh thu lưu trú đạt 80 tỷ đồng.")
    first_silent = ("+ Phát triển du lịch biển gắn với bảo tồn. Có ít nhất 02 khu du lịch sinh thái được công nhận "
                    "cấp tỉnh trong giai đoạn tới.")
    found = targets(f"II. MỤC TIÊU\n\n{short}\n{breakdown}\n{first_silent}\n")
    # "Kinh tế số đạt 30% GRDP." has 6 words (< 15): one clause with the rank; "Trong đó: …" breaks the sentence
    # before it down: one clause for 120, 8%, 40 and 80; an item whose first sentence sets nothing stays whole.
    assert [(c.value, c.clause) for c in found] == [
        (Decimal(5), short), (Decimal(30), short),
        (Decimal(120), breakdown), (Decimal(8), breakdown), (Decimal(40), breakdown), (Decimal(80), breakdown),
        (Decimal(2), first_silent)]


def test_a_range_cut_by_the_line_end_is_not_a_bullet():
    text = ("II. MỤC TIÊU\n\n- Tổng giá trị xuất khẩu đến năm 2030 đạt 30 triệu USD, tốc độ tăng bình quân 05\n"
            "- 07%/năm. Thị trường chính: Nhật Bản, Hàn Quốc.\n")
    found = targets(text)
    # "05" / "- 07%/năm" is the range 5–7 of the same item, not a bullet of its own setting 7%.
    assert figures(found) == [("at_least", Decimal(30), None, "amount", "triệu USD"),
                              ("range", Decimal(5), Decimal(7), "percent", "")]
    assert len({candidate.clause for candidate in found}) == 1


def test_counts_reached_invested_in_or_had_and_the_counts_listed_after_them():
    text = ("II. MỤC TIÊU\n\nh) Phấn đấu đến năm 2030, cả tỉnh có 300 công trình xây dựng xanh.\n\n"
            "III. NHIỆM VỤ, GIẢI PHÁP\n\n"
            "- Thí điểm vật liệu mới, bảo đảm mục tiêu đạt 300 công trình xanh vào năm 2030.\n"
            "- Ít nhất 3 - 4 đề tài khoa học được nghiệm thu vào năm 2030.\n"
            "- Đầu tư mới đối với 12 trạm quan trắc tự động, trong đó bao gồm 04 trạm nền đại diện cho 04 vùng; "
            "đầu tư 02 trạm di động vào năm 2027.\n")
    found = targets(text)
    # "có 300 công trình" under the objectives → at least 300; "đạt 300 công trình" → at least 300 anywhere;
    # "Ít nhất 3 - 4 đề tài" → at least 3, the lower figure; "đầu tư mới đối với 12 trạm" → 12, "04 trạm"
    # listed after it → 4 ("04 vùng" counts regions, another noun, not asked), "đầu tư 02 trạm" → 2.
    assert [(c.comparator, c.value, c.measure) for c in found] == [
        ("at_least", Decimal(300), "count"), ("at_least", Decimal(300), "count"), ("at_least", Decimal(3), "count"),
        ("at_least", Decimal(12), "count"), ("at_least", Decimal(4), "count"), ("at_least", Decimal(2), "count")]
    assert [c.due.year for c in found] == [2030, 2030, 2030, 2027, 2027, 2027]


def test_the_vision_year_of_a_cited_plans_title_is_no_deadline():
    text = ("KẾ HOẠCH\nquan trắc môi trường năm 2026\n\nII. NHIỆM VỤ\n\n- Kết nối các trạm theo Quy hoạch mạng lưới "
            "quan trắc giai đoạn 2021 - 2030, tầm nhìn đến năm 2050; đảm bảo 100% dữ liệu được truyền về.\n")
    (found,) = targets(text)
    # "tầm nhìn đến năm 2050" names the cited Quy hoạch: the figure is due at the plan's year, 31/12/2026.
    assert (found.value, found.due) == (Decimal(100), dt.date(2026, 12, 31))


def test_the_candidate_form_shows_a_quantity_with_its_unit_that_the_percentage_cannot_hold(client, world):
    text = "II. MỤC TIÊU\n\n1. Đến năm 2026, sản lượng chè xuất khẩu đạt trên 1.250 tấn.\n"
    client.force_login(world.author)
    response = client.post("/plans/new/from-document/", {
        "issuer": world.commune.pk, "parent": world.parent.pk, "kind": "ke_hoach", "title": "Kế hoạch xuất khẩu chè",
        "year_start": 2026, "year_end": 2026, "text": text, "action": "read"})
    page = response.content.decode()
    # "đạt trên 1.250 tấn" → at least 1 250 t, shown as written (Vietnamese grouping "1.250"); the value field,
    # a percentage, is left for the author.
    assert "Đọc được trong văn bản: ≥ 1.250 tấn." in page
    assert 'name="c1-value" step' in page or 'name="c1-value" ' in page
    assert 'name="c1-value" value=' not in page


def test_a_figure_inside_a_task_item_that_names_a_level_to_reach_is_a_target():
    text = ("KẾ HOẠCH\ncông tác dân số năm 2026\n\nII. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN\n\n1. Sở Y tế\n\n"
            "a) Chủ trì, phối hợp với các sở, ngành kiểm tra, đôn đốc việc thực hiện chính sách dân số. Trong đó, tập "
            "trung nâng cao chất lượng dân số, cụ thể: Phấn đấu tổng tỷ suất sinh đạt 2,0 con/phụ nữ; 85% phụ nữ mang "
            "thai được khám thai định kỳ.\n")
    found = targets(text)
    # "đạt 2,0 con/phụ nữ" → at least 2.0 (con/phụ nữ) beside "85%" → at least 85, both due by the title's 2026.
    assert figures(found) == [("at_least", Decimal("2.0"), None, "amount", "con/phụ nữ"),
                              ("at_least", Decimal(85), None, "percent", "")]
    assert {candidate.due for candidate in found} == {dt.date(2026, 12, 31)}


def test_a_number_stated_as_such_is_a_count_and_so_many_per_site_the_method():
    text = ("KẾ HOẠCH\nquan trắc năm 2026\n\nII. NỘI DUNG\n\n- Số lượng: 5.000 cuốn.\n\n"
            "- Lấy mẫu tại 15 vị trí, số lượng mẫu 01 mẫu/vị trí; số lượng mẫu quan trắc 120 mẫu/năm.\n")
    found = targets(text)
    # "Số lượng: 5.000 cuốn" → at least 5 000; "120 mẫu/năm" → at least 120, the year's samples; "01 mẫu/vị
    # trí" (one per site) says how the samples are taken: nothing.
    assert [(c.comparator, c.value, c.measure) for c in found] == [
        ("at_least", Decimal(5000), "count"), ("at_least", Decimal(120), "count")]


def test_the_criteria_of_an_award_ask_nothing():
    text = ("II. MỤC TIÊU\n\n- 100% xã tổ chức bầu cử đúng luật.\n\n3. Tiêu\nchuẩn khen thưởng\n\n"
            "3.2. Bằng khen của Chủ tịch UBND tỉnh\n\na) Đối với tập thể:\n\n+ Có tỷ lệ cử tri đi bầu cử đạt\n"
            "từ 98% trở lên; kết quả bầu cử đảm bảo đủ số lượng đại biểu.\n\n4. Tổ chức thực hiện\n\n"
            "- Phấn đấu 95% cử tri được tuyên truyền.\n")
    # "từ 98% trở lên" is what earns the Bằng khen (under "Tiêu chuẩn khen thưởng"), not a target; the section
    # ends at "4.": 100% and 95% are targets, at least so much.
    assert [(c.comparator, c.value) for c in targets(text)] == [("at_least", Decimal(100)), ("at_least", Decimal(95))]


def test_plan_extract_lists_a_quantity_with_its_unit_and_prints_it_in_json(db, tmp_path, capsys):
    source = tmp_path / "ke-hoach.txt"
    source.write_text("II. MỤC TIÊU\n\n- Đến năm 2030, sản lượng chè xuất khẩu đạt 1.250 tấn; giá trị đạt 2,5 triệu "
                      "USD.\n", encoding="utf-8")
    call_command("plan_extract", str(source))
    listing = capsys.readouterr().out
    # "đạt 1.250 tấn" → ≥ 1 250 t and "đạt 2,5 triệu USD" → ≥ 2.5 million USD, in Vietnamese number format.
    assert "≥ 1.250 tấn · 31/12/2030" in listing and "≥ 2,5 triệu USD · 31/12/2030" in listing
    call_command("plan_extract", str(source), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert [(c["value"], c["measure"], c["unit"]) for c in printed] == [(1250, "amount", "tấn"),
                                                                         (2.5, "amount", "triệu USD")]


def test_a_table_of_indicators_gives_its_values_in_the_rows_unit_of_measure():
    text = ("PHỤ LỤC\nTT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027\n"
            "1 | Sản lượng thủy sản | tấn | 1.250 | 1.400\n"
            "2 | Kim ngạch xuất khẩu | triệu USD | 48,3 | 55\n"
            "3 | Số cụm dữ liệu dùng chung | cụm | 3 | 5\n"
            "4 | Tỷ lệ văn bản không mật được ký số | % | 97.5 | 100\n"
            "5 | Diện tích trồng rừng mới | - | 1.700 ha | 2.000 ha\n")
    found = [(c.clause[:14], c.measure, c.value, c.unit, c.due.year) for c in read(text)]
    # A dot groups thousands: "1.250" tấn is 1250 tấn (it was read as 1,25), "48,3" triệu USD is 48.3 triệu USD; a
    # count stays a count ("cụm" is no unit of measure); "97.5" in a "%" row is 97,5%; a unit written in the cell
    # itself ("1.700 ha") is the amount's unit when the row names none ("-"). Each due by the end of its column's year.
    assert found == [
        ("Sản lượng thủy", "amount", Decimal(1250), "tấn", 2026),
        ("Sản lượng thủy", "amount", Decimal(1400), "tấn", 2027),
        ("Kim ngạch xuất", "amount", Decimal("48.3"), "triệu USD", 2026),
        ("Kim ngạch xuất", "amount", Decimal(55), "triệu USD", 2027),
        ("Số cụm dữ liệu", "count", Decimal(3), "", 2026), ("Số cụm dữ liệu", "count", Decimal(5), "", 2027),
        ("Tỷ lệ văn bản ", "percent", Decimal("97.5"), "", 2026), ("Tỷ lệ văn bản ", "percent", Decimal(100), "", 2027),
        ("Diện tích trồn", "amount", Decimal(1700), "ha", 2026),
        ("Diện tích trồn", "amount", Decimal(2000), "ha", 2027)]


def test_a_milestone_counting_what_it_completes_is_a_count_of_each():
    found = read("KẾ HOẠCH năm 2026\nII. NỘI DUNG\n"
                 "4. Hoàn thành di dời 01 khu công nghiệp (Đông Phố Mới) và 02 cụm công nghiệp (Sơn Mãn).\n"
                 "5. Hoàn thành rà soát quy chế trong 02 tháng.\n")
    # "01 khu", "02 cụm": at least 1 and at least 2, by the plan's 2026; "02 tháng" is how long, not what: a milestone.
    assert [(c.comparator, c.value, c.measure, c.due) for c in found] == [
        ("at_least", Decimal(1), "count", dt.date(2026, 12, 31)),
        ("at_least", Decimal(2), "count", dt.date(2026, 12, 31)),
        ("done", None, None, dt.date(2026, 12, 31))]


def test_objectives_counting_what_they_form_count_it_and_a_breakdown_in_brackets_sets_nothing():
    found = read("KẾ HOẠCH giai đoạn 2026-2030\nII. MỤC TIÊU\n2. Mục tiêu cụ thể\n"
                 "- Hình thành mới 05 Khu công nghiệp, nâng tổng số lên 12 KCN.\n"
                 "- 01 Khu công nghiệp đạt tiêu chuẩn KCN sinh thái (KCN Tằng Loỏng).\n"
                 "- Hoàn thành đưa vào vận hành các dự án năng lượng, nâng tổng công suất lên 4.758,5 MW "
                 "(gồm 166 dự án thủy điện; 02 dự án điện sinh khối; 03 dự án điện gió).\n")
    # 5 new industrial zones formed, 12 in all; 1 eco-industrial zone; 4.758,5 MW reached; the 166, 02 and 03 say what
    # the capacity is made of: no target. All due by 2030, the plan's last year.
    assert [(c.value, c.measure, c.unit, c.due.year) for c in found] == [
        (Decimal(5), "count", "", 2030), (Decimal(12), "count", "", 2030), (Decimal(1), "count", "", 2030),
        (Decimal("4758.5"), "amount", "MW", 2030)]
