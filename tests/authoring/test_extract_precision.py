"""What a plan writes that asks nothing, and counts it does ask: each rule on a short text of its own.

A sub-area's heading whose only time line is a season, a start or a duration is no task; the size that brings a place
within scope, a share of a budget set aside and a loan's rate are no targets; "2025 đạt 8% và năm 2026 đạt 10%" gives
each figure its own year; a heading on who and what the plan covers is no assignment; an item naming its lead that
only introduces duties is one task with its first duty; "Dự kiến khoảng 1.000 …" and "Số lượng: 02 hội nghị/năm × 50
đại biểu/hội nghị" are counts asked (the 50 is how each is held).
"""

import datetime as dt
from decimal import Decimal

from authoring.extract import Candidate, candidates_extract, catalogue_from_indicators


def read(text: str) -> list[Candidate]:
    return candidates_extract(text, catalogue=catalogue_from_indicators([]))


def kinds(found: list[Candidate]) -> list[tuple]:
    return [(c.kind, c.comparator, c.value, c.due) for c in found]


def test_a_time_line_giving_only_a_start_a_season_or_a_duration_makes_no_task_without_a_lead():
    text = ("II. NỘI DUNG THỰC HIỆN\n\n1. Theo dõi chất lượng nước\n\n1.1. Đối với vùng trồng lúa ven sông\n\n"
            "a) Thời gian thực hiện: Từ tháng 3 đến tháng 10 hàng năm\n\n"
            "1.2. Rà soát hồ sơ tài sản của các trường\n\n- Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc "
            "đợt rà soát.\n\n"
            "2. Hội thảo giới thiệu mô hình\n\n- Nội dung: Giới thiệu mô hình cho nông dân.\n\n- Địa điểm: Trụ sở xã."
            "\n\n- Thời gian: 01 ngày/hội thảo.\n\n"
            "3. Tổng hợp kết quả rà soát\n\n- Thời gian hoàn thành: Trước ngày 31/5/2026.\n")
    found = read(text)
    # Only item 3 has an end to track: "Trước ngày 31/5/2026" is due the day before, 30/5/2026.
    assert kinds(found) == [("task", "done", None, dt.date(2026, 5, 30))]
    assert found[0].clause.startswith("3. Tổng hợp kết quả")


def test_the_size_that_brings_a_place_within_scope_is_no_target():
    text = ("II. NỘI DUNG\n\n1. Điểm quan trắc đặt tại các vùng trồng rau có diện tích từ 20 ha trở lên và các "
            "trang trại có thể tích bể chứa 500 m3 trở lên.\n\n2. Đến năm 2030, diện tích trồng rau an toàn đạt "
            "tối thiểu 300 ha.\n")
    found = read(text)
    # 20 ha and 500 m3 only say which places are covered; 300 ha by 2030 is asked.
    assert [(c.comparator, c.value, c.unit) for c in found] == [("at_least", Decimal(300), "ha")]


def test_a_share_of_a_budget_set_aside_and_a_loans_rate_are_no_targets():
    text = ("II. NỘI DUNG\n\n- Dự kiến kinh phí kiểm tra đột xuất khoản 15% kinh phí kiểm tra định kỳ.\n\n"
            "- Đề nghị giảm lãi suất cho vay 1,5%/năm đối với hộ bị thiệt hại.\n\n"
            "- Phấn đấu giải ngân 100% kinh phí được giao trong năm 2026.\n")
    found = read(text)
    # The 15% is how money is set aside, the 1,5% a policy's rate; disbursing 100% by 2026 is the one target.
    assert kinds(found) == [("target", "at_least", Decimal(100), dt.date(2026, 12, 31))]


def test_each_figure_takes_the_year_written_right_before_it():
    text = ("I. MỤC TIÊU\n\nPhấn đấu tăng trưởng doanh thu năm 2025 đạt trên 6% và năm 2026 đạt từ 9% trở lên, "
            "yêu cầu các đơn vị triển khai các nội dung sau.\n")
    found = read(text)
    # 6% is 2025's (due 31/12/2025), 9% is 2026's (due 31/12/2026), not both 2026's.
    assert kinds(found) == [("target", "at_least", Decimal(6), dt.date(2025, 12, 31)),
                            ("target", "at_least", Decimal(9), dt.date(2026, 12, 31))]


def test_a_heading_on_who_and_what_the_plan_covers_is_no_assignment():
    text = ("I. MỤC ĐÍCH\n\n1. Hỗ trợ kịp thời các hộ bị thiệt hại.\n\n2. Phạm vi, đối tượng, thời gian hỗ trợ\n\n"
            "a) Phạm vi, đối tượng hỗ trợ: Các hộ gia đình tại các xã bị ảnh hưởng bởi lũ.\n\n"
            "b) Thời gian hỗ trợ: Từ nay đến hết ngày 31 tháng 12 năm 2025.\n")
    # Who is helped and until when the help runs: nobody is assigned anything.
    assert read(text) == []


def test_an_item_naming_its_lead_that_introduces_duties_is_one_task_with_its_first_duty():
    text = ("II. NHIỆM VỤ, GIẢI PHÁP\n\n1. Về hỗ trợ sản xuất\n\n"
            "a) Sở Nông nghiệp chủ trì, phối hợp với các xã:\n\n- Cấp giống lúa cho các hộ bị mất trắng vụ mùa;\n\n"
            "- Hướng dẫn các hộ vệ sinh chuồng trại sau lũ.\n\n"
            "- Đánh giá ảnh hưởng của lũ đến sản lượng lúa Quý IV năm 2025, cả năm 2025 và năm 2026.\n\n"
            "b) Sở Tài chính chủ trì, phối hợp với các sở:\n\n- Tổng hợp nhu cầu hỗ trợ, báo cáo trước ngày "
            "15/12/2025;\n")
    found = read(text)
    # a) is one task with its first duty (the second is read with it, and so is the third: "Quý IV năm 2025, cả năm
    # 2025 và năm 2026" are the periods assessed, no deadline); b) likewise, its first duty dated: due 14/12/2025,
    # the day before "trước ngày 15/12/2025".
    assert [(c.lead, c.due) for c in found] == [("Sở Nông nghiệp", None), ("Sở Tài chính", dt.date(2025, 12, 14))]
    assert "Cấp giống lúa" in found[0].clause and "Hướng dẫn các hộ" not in found[0].clause
    assert "Tổng hợp nhu cầu" in found[1].clause


def test_an_expected_number_and_a_number_per_year_of_sessions_are_counts_asked():
    text = ("II. NỘI DUNG\n\n1. Thông tin kết quả\n\nDự kiến khoảng 2.500 hộ dân nhận bản tin kết quả.\n\n"
            "2. Tập huấn\n\n- Số lượng: 03 lớp học/năm × 40 học viên/lớp.\n\n"
            "- Số điểm lấy mẫu: 05 điểm, trong đó 02 điểm được chọn từ 02 trong số 04 vùng.\n")
    found = read(text)
    # 2.500 hộ is 2 500 to reach; 3 classes a year are asked, 40 a class is how they are held; "từ 02 trong số 04"
    # picks two of four, no count at least.
    assert [(c.comparator, c.value) for c in found if c.kind == "target"] == [("at_least", Decimal(2500)),
                                                                                ("at_least", Decimal(3))]


def test_an_item_naming_its_unit_and_action_assigns_it_among_the_measures_not_in_the_closing_roles():
    text = ("II. CÁC NHIỆM VỤ, GIẢI PHÁP\n\n1. Về nhà ở\n\n"
            "a) Ủy ban nhân dân các xã tiếp tục rà soát các hộ có nhà bị sập để hỗ trợ dựng lại.\n\n"
            "b) Bộ Xây dựng chỉ đạo các doanh nghiệp cung ứng vật liệu kịp thời.\n\n"
            "c) Các sở, ngành có trách nhiệm chủ động bố trí kinh phí thực hiện.\n\n"
            "d) Ngân hàng Nhà nước chỉ đạo các tổ chức tín dụng:\n\n- Giãn nợ cho các hộ bị thiệt hại;\n\n"
            "- Cho vay mới để khôi phục sản xuất.\n\n"
            "đ) Các sở, ngành theo chức năng, nhiệm vụ được giao tiếp tục triển khai các giải pháp hỗ trợ người dân, "
            "cụ thể như sau:\n\n"
            "2. Các cơ quan tham mưu, giúp việc\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế phối hợp với các xã tuyên truyền về Kế hoạch.\n")
    found = read(text)
    # a) and b) each assign their unit an action (leads "Ủy ban nhân dân các xã", "Bộ Xây dựng"); c) states a role
    # ("có trách nhiệm"); d) directs, its duties one task with the first; đ)'s long line introduces what follows;
    # "2. Các cơ quan tham mưu, giúp việc" is a heading, and Sở Y tế's paragraph under "Tổ chức thực hiện" only
    # describes its role.
    assert [(c.kind, c.clause[:2]) for c in found] == [("task", "a)"), ("task", "b)"), ("task", "d)")]
    assert [c.lead for c in found] == ["Ủy ban nhân dân các xã", "Bộ Xây dựng", "Ngân hàng Nhà nước"]
    assert "Giãn nợ" in found[2].clause and "Cho vay mới" not in found[2].clause


class TestTheEndOfADocumentAndItsAppendixReadFromWord:
    """The distribution list asks nothing; an appendix glued to the signature's cells, a page lost in its table and
    cells a PDF page separated by blank lines still give one task per row with its lead."""

    def test_the_distribution_list_gives_no_candidate(self):
        text = ("III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ chủ trì tổng hợp kết quả, báo cáo trước ngày 15/12/2026.\n\n"
                "Nơi nhận: - Chủ tịch UBND tỉnh; - Sở Nội vụ (thực hiện trước ngày 30/11/2026); - Lưu: VT. | "
                "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH\n")
        found = read(text)
        # Item 1 only: due 14/12/2026, the day before "trước ngày 15/12/2026"; nothing from the list.
        assert [(c.kind, c.lead, c.due) for c in found] == [("task", "Sở Nội vụ", dt.date(2026, 12, 14))]

    def test_an_appendix_glued_to_the_signature_with_a_lost_page_gives_each_row_with_its_lead(self):
        text = ("II. NHIỆM VỤ\n\nCác nhiệm vụ cụ thể tại Phụ lục kèm theo.\n\n"
                "Nơi nhận: - Như trên; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN CHỦ TỊCH |  PHỤ LỤC DANH MỤC NHIỆM VỤ | "
                "TT | Nội dung thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm\n"
                "I | KIỆN TOÀN BỘ MÁY\n"
                "1 | Rà soát quy chế của Ban Chỉ đạo | Sở Nội vụ | Các sở, ngành | 2026 | Quyết định\n"
                "2 | Bổ sung thành viên Ban Chỉ đạo | Sở Nội vụ | Các xã | 2026 | Quyết định | …............ | "
                "3 | Lập danh mục kho vật tư dự phòng\n\nSở Công Thương\n\nCác xã | 2026 | Danh mục\n"
                "4\n\nTổ chức diễn tập ứng phó cấp tỉnh\n\nBộ Chỉ huy Quân sự tỉnh | Các sở, ngành | Theo kế hoạch | "
                "Cuộc diễn tập\n")
        found = read(text)
        # Four rows: 1 and 2 on one line each; 3 after the lost page (its number follows no group heading), its
        # lead and cooperating cells separated by blank lines; 4 with its number alone and its task below it.
        assert [(c.kind, c.clause, c.lead) for c in found] == [
            ("task", "Rà soát quy chế của Ban Chỉ đạo", "Sở Nội vụ"),
            ("task", "Bổ sung thành viên Ban Chỉ đạo", "Sở Nội vụ"),
            ("task", "Lập danh mục kho vật tư dự phòng", "Sở Công Thương"),
            ("task", "Tổ chức diễn tập ứng phó cấp tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ]
        assert [c.cooperating for c in found] == ["Các sở, ngành", "Các xã", "Các xã", "Các sở, ngành"]
        # Row 3's "2026" cell, a bare year, is due at its end, 31/12/2026.
        assert found[2].due == dt.date(2026, 12, 31)


class TestAnItemNamingItsLeadWithChuTri:
    """An item naming its unit with "chủ trì" is that unit's task wherever it stands: among the activities or the
    funding, not only under "Nhiệm vụ"; "được phân công chủ trì" names no unit."""

    def test_a_bullet_among_the_activities_and_a_numbered_item_under_the_funding_are_tasks_with_their_lead(self):
        text = ("III. NỘI DUNG HOẠT ĐỘNG\n\n1. Vệ sinh trường học\n\n"
                "- Trung tâm Y tế khu vực chủ trì điều phối vật tư khử khuẩn cho các trường.\n\n"
                "- Tổ chức dọn vệ sinh lớp học sau lũ.\n\n"
                "IV. KINH PHÍ\n\n1. Kinh phí bảo đảm từ ngân sách nhà nước hằng năm.\n\n"
                "2. Sở Tài chính chủ trì, phối hợp với các sở, ngành bố trí kinh phí thực hiện.\n\n"
                "3. Các cơ quan được phân công chủ trì thực hiện nhiệm vụ lập dự toán kinh phí.\n")
        found = read(text)
        # Two tasks, each led by the unit before "chủ trì"; the bullet without a unit and item 3 (a role) are none.
        assert [(c.kind, c.lead, c.cooperating) for c in found] == [
            ("task", "Trung tâm Y tế khu vực", ""),
            ("task", "Sở Tài chính", "các sở, ngành"),
        ]


class TestTheWorkListedAfterPurposesIsNoMilestone:
    """After "I. MỤC ĐÍCH, YÊU CẦU" (purposes, not objectives), "II. NỘI DUNG" lists the work to do: an action there
    is no milestone target unless written as a result to reach."""

    def test_an_action_heading_is_no_milestone_but_a_result_and_a_figure_still_are(self):
        text = ("I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nNâng cao nhận thức về bảo vệ môi trường.\n\n"
                "II. NỘI DUNG\n\n1. Xây dựng các văn bản hướng dẫn thi hành Luật.\n\n"
                "2. Thực hiện việc kiểm tra an toàn các công trình.\n\n"
                "3. Hoàn thành việc kiện toàn Ban Chỉ đạo các cấp.\n\n"
                "4. Tỷ lệ xã có tổ tự quản môi trường đạt 100%.\n")
        found = read(text)
        # Items 1 and 2 are actions, read for nothing; 3 is a result to reach (a milestone), 4 a figure (100%, at
        # least).
        assert [(c.kind, c.comparator, c.value, c.clause[:2]) for c in found] == [
            ("target", "done", None, "3."),
            ("target", "at_least", Decimal(100), "4."),
        ]



class TestTheStrengthOfAProductSupplied:
    """A figure naming a product's strength in a list of what is supplied sets no level to reach."""

    def test_the_strength_of_a_product_supplied_is_no_target(self):
        text = ("II. NHIỆM VỤ, GIẢI PHÁP\n\n- Trung tâm Y tế khu vực chủ trì cấp vật tư khử khuẩn: Cloramin B, "
                "Ethanol 75%, bình phun cho các trạm y tế.\n\n- Tỷ lệ trạm y tế được cấp vật tư đạt 100%.\n")
        found = read(text)
        # "Ethanol 75%" is what is supplied, no level; the second line's 100% is one (at least 100).
        assert [(c.kind, c.comparator, c.value) for c in found if c.kind == "target"] == [
            ("target", "at_least", Decimal(100))]
        assert [c.lead for c in found if c.kind == "task"] == ["Trung tâm Y tế khu vực"]
