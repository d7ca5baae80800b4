"""Tables of assignments read from Word whose cells run over several lines, each rule on a short table of its own."""

import datetime as dt
from decimal import Decimal

from authoring.extract import Candidate, candidates_extract, catalogue_from_indicators

HEADER = ("STT | Cơ quan chủ trì | Cơ quan phối hợp | Thuộc nhóm nhiệm vụ | Nội dung nhiệm vụ | Chỉ tiêu đạt được | "
          "Thời hạn hoàn thành\n")


def read(text: str) -> list[Candidate]:
    return candidates_extract(text, catalogue=catalogue_from_indicators([]))


def tasks(found: list[Candidate]) -> list[Candidate]:
    return [candidate for candidate in found if candidate.kind == "task"]


def targets(found: list[Candidate]) -> list[Candidate]:
    return [candidate for candidate in found if candidate.kind == "target"]


def test_the_content_column_is_the_task_and_not_the_group_it_belongs_to():
    text = ("PHỤ LỤC I\n\n" + HEADER
            + "1 | Sở Khoa học và Công nghệ | Văn phòng UBND tỉnh | Hạ tầng số | - Nâng cấp mạng diện rộng của tỉnh. | "
              "- 100% xã được kết nối mạng diện rộng. | Năm 2026\n")
    found = read(text)
    (task,) = tasks(found)
    assert task.clause == "- Nâng cấp mạng diện rộng của tỉnh."
    assert text[task.start:task.end] == task.clause
    assert (task.lead, task.cooperating, task.due) == (
        "Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh", dt.date(2026, 12, 31))  # "Năm 2026" → 31/12/2026
    assert task.output == "- 100% xã được kết nối mạng diện rộng."
    (target,) = targets(found)
    # "100%" in the outcome column ("Chỉ tiêu đạt được") → at least 100, due when the row is: 31/12/2026.
    assert (target.comparator, target.value, target.due) == ("at_least", Decimal(100), dt.date(2026, 12, 31))
    assert target.clause == "- 100% xã được kết nối mạng diện rộng."


def test_each_continuation_line_is_a_task_with_the_rows_lead_and_its_own_deadline():
    text = ("PHỤ LỤC I\n\n" + HEADER
            + "1 | Sở Khoa học và Công nghệ | Sở Tài chính | Dữ liệu số | - Xây dựng kho dữ liệu dùng chung. | "
              "- Kho dữ liệu được phê duyệt. | Năm 2026\n"
              "- Kết nối kho dữ liệu với các sở. | - Ít nhất 05 sở được kết nối. | Giai đoạn 2026 - 2027\n"
              "- Tập huấn khai thác dữ liệu. - Hướng dẫn sử dụng. | - Cán bộ được tập huấn. | Thực hiện thường xuyên\n"
              "2 | Sở Nội vụ | Các xã | Nhân lực số | - Đào tạo kỹ năng số cho công chức. | "
              "- 80% công chức được đào tạo. | Năm 2027\n")
    found = read(text)
    assert [task.clause for task in tasks(found)] == [
        "- Xây dựng kho dữ liệu dùng chung.",
        "- Kết nối kho dữ liệu với các sở.",
        "- Tập huấn khai thác dữ liệu. - Hướng dẫn sử dụng.",  # one line, one task, however many bullets
        "- Đào tạo kỹ năng số cho công chức.",
    ]
    # The continuation lines carry the row's lead and cooperating units; the next numbered row has its own.
    assert [(task.lead, task.cooperating) for task in tasks(found)] == [
        ("Sở Khoa học và Công nghệ", "Sở Tài chính"), ("Sở Khoa học và Công nghệ", "Sở Tài chính"),
        ("Sở Khoa học và Công nghệ", "Sở Tài chính"), ("Sở Nội vụ", "Các xã")]
    # Each line its own deadline: "Năm 2026" → 31/12/2026; "Giai đoạn 2026 - 2027" → the period's end, 31/12/2027;
    # "Thực hiện thường xuyên" names no day (and the text no plan year) → none; "Năm 2027" → 31/12/2027.
    assert [task.due for task in tasks(found)] == [
        dt.date(2026, 12, 31), dt.date(2027, 12, 31), None, dt.date(2027, 12, 31)]
    # "Ít nhất 05 sở" → at least 5 (a count), due with its line, 31/12/2027; "80%" → at least 80, due 31/12/2027.
    assert [(t.comparator, t.value, t.measure, t.due) for t in targets(found)] == [
        ("at_least", Decimal(5), "count", dt.date(2027, 12, 31)),
        ("at_least", Decimal(80), "percent", dt.date(2027, 12, 31)),
    ]
    assert targets(found)[0].clause == "- Ít nhất 05 sở được kết nối."


def test_lettered_group_rows_restart_the_numbering_and_a_row_may_have_no_number():
    text = ("PHỤ LỤC I\n\n" + HEADER
            + "A. | SỞ KHOA HỌC VÀ CÔNG NGHỆ\n"
              "1 | Sở Khoa học và Công nghệ | Các sở | Hạ tầng số | - Nâng cấp trung tâm dữ liệu. | "
              "- Trung tâm dữ liệu được nâng cấp. | Năm 2026\n"
              "B. | SỞ NỘI VỤ\n"
              "1 | Sở Nội vụ | Các sở | Nhân lực số | - Tuyển dụng chuyên gia chuyển đổi số. | - Ít nhất 03 chuyên gia "
              "được tuyển dụng. | Năm 2027\n"
              "C. | VĂN PHÒNG UBND TỈNH\n"
              "Văn phòng UBND tỉnh | Các sở | Chính quyền số | - Vận hành hệ thống họp trực tuyến. | - Hệ thống được "
              "vận hành. | Năm 2026\n")
    found = read(text)
    # The "1" after "B." is the first row of a new group (it was dropped as out of sequence); the line after "C."
    # fills every column but the number: a row of its own, its first cell the lead.
    assert [(task.clause, task.lead) for task in tasks(found)] == [
        ("- Nâng cấp trung tâm dữ liệu.", "Sở Khoa học và Công nghệ"),
        ("- Tuyển dụng chuyên gia chuyển đổi số.", "Sở Nội vụ"),
        ("- Vận hành hệ thống họp trực tuyến.", "Văn phòng UBND tỉnh"),
    ]
    # "Ít nhất 03 chuyên gia" → at least 3, due "Năm 2027" → 31/12/2027; the group rows give nothing.
    assert [(t.comparator, t.value, t.due) for t in targets(found)] == [("at_least", Decimal(3), dt.date(2027, 12, 31))]


def test_beside_the_tasks_name_the_content_column_is_read_for_its_figures():
    text = ("PHỤ LỤC II\n\nSTT | Tên nhiệm vụ | Nội dung chính | Cơ quan chủ trì | Cơ quan phối hợp | "
            "Thời gian thực hiện\n"
            "1 | Chuyển đổi số trong giáo dục | - Triển khai học bạ số. - Sản phẩm: 100% trường học sử dụng học bạ "
            "số. | Sở Giáo dục và Đào tạo | Các xã | 2026 - 2027\n")
    found = read(text)
    (task,) = tasks(found)
    assert (task.clause, task.lead, task.due) == (
        "Chuyển đổi số trong giáo dục", "Sở Giáo dục và Đào tạo", dt.date(2027, 12, 31))  # "2026 - 2027" → 2027
    (target,) = targets(found)
    # "100% trường học" in "Nội dung chính" → at least 100, due with the row, 31/12/2027; the clause is the cell.
    assert (target.comparator, target.value, target.due) == ("at_least", Decimal(100), dt.date(2027, 12, 31))
    assert target.clause == "- Triển khai học bạ số. - Sản phẩm: 100% trường học sử dụng học bạ số."


def test_a_figure_that_writes_its_own_year_is_due_then_and_before_a_year_is_the_year_before():
    text = ("PHỤ LỤC I\n\n" + HEADER
            + "1 | Sở Xây dựng | Các xã | Đô thị thông minh | - Lắp đặt camera giao thông. | "
              "- Ít nhất 200 camera vào năm 2030. | Giai đoạn 2026 - 2027\n"
              "2 | Sở Xây dựng | Các xã | Đô thị thông minh | - Số hóa hồ sơ cấp phép. | - 100% hồ sơ được số hóa. | "
              "Trước năm 2030\n")
    first, second = targets(read(text))
    # "… 200 camera vào năm 2030" → at least 200, due 31/12/2030 although the row's period ends in 2027.
    assert (first.comparator, first.value, first.due) == ("at_least", Decimal(200), dt.date(2030, 12, 31))
    # "Trước năm 2030": done by the end of the year before → 31/12/2029.
    assert (second.comparator, second.value, second.due) == ("at_least", Decimal(100), dt.date(2029, 12, 31))


def test_a_line_of_units_alone_is_no_task():
    text = ("PHỤ LỤC\n\nTT | Tên đề án ưu tiên | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành\n"
            "1 | Đề án số hóa hồ sơ hộ tịch | Sở Tư pháp | Các sở | 2030\n"
            "Ủy ban nhân dân các xã | Công an các xã\n"
            "2 | Đề án xây dựng bản đồ số | Sở Nông nghiệp và Môi trường | Các sở | 2030\n")
    assert [(task.clause, task.lead) for task in tasks(read(text))] == [
        ("Đề án số hóa hồ sơ hộ tịch", "Sở Tư pháp"), ("Đề án xây dựng bản đồ số", "Sở Nông nghiệp và Môi trường")]


def test_a_line_that_does_not_end_with_a_deadline_stays_a_row_of_its_own():
    # The deadline is not the last column here, so a line under a merged number cell is a row, read from the left.
    text = ("PHỤ LỤC\n\nTT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Nguồn kinh phí\n"
            "1 | Xây dựng trung tâm dữ liệu của tỉnh | Sở Khoa học và Công nghệ | Các sở | Năm 2026 | Ngân sách tỉnh\n"
            "Sao lưu dữ liệu của trung tâm hằng ngày | Trung tâm Chuyển đổi số\n")
    assert [(task.clause, task.lead) for task in tasks(read(text))] == [
        ("Xây dựng trung tâm dữ liệu của tỉnh", "Sở Khoa học và Công nghệ"),
        ("Sao lưu dữ liệu của trung tâm hằng ngày", "Trung tâm Chuyển đổi số"),
    ]


def test_a_table_of_quantities_asks_for_the_total_each_line_gives():
    text = ("KẾ HOẠCH\nkiểm tra an toàn thông tin năm 2026\n\nPHỤ LỤC II\n\n"
            "TT | Đối tượng kiểm tra | Nội dung kiểm tra | Số lần/năm | Tổng số (lượt)\n"
            "1 | Cổng thông tin điện tử của tỉnh | - Rà quét lỗ hổng | 04 | 1.200\n"
            "- Kiểm tra sao lưu | 02 | 24\n"
            "2 | Hệ thống thư điện tử | - Rà quét lỗ hổng | 04 | 0\n")
    found = read(text)
    # One count per line whose last cell ("Tổng số") is a whole number: "1.200" → 1200, the continuation line's
    # "24" → 24; a total of 0 asks nothing. No deadline in the table → the title's year, 31/12/2026.
    assert [(t.kind, t.comparator, t.value, t.measure, t.due) for t in found] == [
        ("target", "at_least", Decimal(1200), "count", dt.date(2026, 12, 31)),
        ("target", "at_least", Decimal(24), "count", dt.date(2026, 12, 31)),
    ]
    assert found[1].clause == "- Kiểm tra sao lưu | 02 | 24"
    assert text[found[1].start:found[1].end] == "- Kiểm tra sao lưu | 02 | 24"


def test_a_table_written_the_markdown_way_is_read_row_by_row_and_marked_where_it_stands():
    text = ("KẾ HOẠCH chuyển đổi số năm 2026\n\nPHỤ LỤC\nCÁC NHIỆM VỤ\n"
            "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| 1. | Hoàn thiện dự thảo quy chế khai thác dữ liệu | Văn phòng Tỉnh ủy | Ban Tổ chức Tỉnh ủy "
            "| Tháng 8/2026 |\n"
            "| 2. | Số hóa hồ sơ đảng viên | Ban Tổ chức Tỉnh ủy | Văn phòng Tỉnh ủy | Quý IV/2026 |\n")
    first, second = read(text)
    # Each row a task with its units; "Tháng 8/2026" is due by 31/08/2026, "Quý IV/2026" by 31/12/2026.
    assert [(c.kind, c.clause, c.lead, c.cooperating, c.due) for c in (first, second)] == [
        ("task", "Hoàn thiện dự thảo quy chế khai thác dữ liệu", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy",
         dt.date(2026, 8, 31)),
        ("task", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", dt.date(2026, 12, 31))]
    assert text[first.start:first.end] == first.clause  # the bars are read past, not moved: the mark falls right


PDF_HEADER = ("PHỤ LỤC\nCÁC NHIỆM VỤ TRIỂN KHAI NGHỊ ĐỊNH\n"
              "| TT | Nội dung hoạt động | Cơ quan chủ trì | Cơ quan phối hợp |\n| --- | --- | --- | --- |\n"
              "Thời gian thực hiện\n")


def test_rows_lettered_under_a_numbered_group_are_tasks_read_cell_by_cell_from_a_pdf():
    text = (PDF_HEADER
            + "1\nPhổ biến Nghị định\n"
              "a)\nTổ chức hội nghị phổ biến Nghị định đến các xã.\nCục Chuyển đổi số\n"
              "Vụ Pháp chế; các cơ quan có liên quan\nQuý III, IV/2026\n"
              "b)\nXây dựng cơ sở dữ liệu văn bản hướng dẫn.\nViện Công nghệ số\nCục Chuyển đổi số\n"
              "Quý IV/2026, 2027\n"
              "2\nKiểm tra việc thi hành Nghị định.\nCục Chuyển đổi số; Sở Khoa học và Công nghệ các tỉnh\n"
              "Vụ Pháp chế, Vụ Tổ chức cán bộ và các đơn vị có liên quan\nThường xuyên\n")
    found = tasks(read(text))
    # Three tasks: rows a) and b) of group 1, and row 2 with cells of its own; "Phổ biến Nghị định", the group's
    # title, is no task.
    assert [task.clause for task in found] == [
        "Tổ chức hội nghị phổ biến Nghị định đến các xã.", "Xây dựng cơ sở dữ liệu văn bản hướng dẫn.",
        "Kiểm tra việc thi hành Nghị định."]
    assert all(text[task.start:task.end] == task.clause for task in found)  # each marked where it stands
    # Each cell of its own line: the lead's, then the cooperating units'.
    assert [(task.lead, task.cooperating) for task in found] == [
        ("Cục Chuyển đổi số", "Vụ Pháp chế; các cơ quan có liên quan"),
        ("Viện Công nghệ số", "Cục Chuyển đổi số"),
        ("Cục Chuyển đổi số; Sở Khoa học và Công nghệ các tỉnh",
         "Vụ Pháp chế, Vụ Tổ chức cán bộ và các đơn vị có liên quan")]
    # "Quý III, IV/2026": the last quarter named, Q4 2026, ends 31/12/2026; "Quý IV/2026, 2027": the work goes on
    # into 2027, due at its end, 31/12/2027; "Thường xuyên": no day, the words kept for the person to set one.
    assert [(task.due, task.due_text) for task in found] == [
        (dt.date(2026, 12, 31), "Quý III, IV/2026"), (dt.date(2027, 12, 31), "Quý IV/2026, 2027"),
        (None, "Thường xuyên")]


def test_cells_a_page_break_splits_go_on_after_the_rows_deadline():
    text = (PDF_HEADER
            + "1\nHoàn thiện thể chế\n"
              "a)\nXây dựng hướng dẫn kết nối dữ liệu; đo đạc, báo cáo\nViện Công nghệ số, Cục\n"
              "Vụ Pháp chế; các cơ quan có liên quan\nQuý II, III/2026\n"
              "kết quả kết nối của các bộ, ngành.\nChuyển đổi số quốc gia\n"
              "b)\nBan hành quy chế khai thác dữ liệu.\nCục Chuyển đổi số\nVụ Pháp chế\nQuý IV/2026\n")
    first, second = tasks(read(text))
    # Row a)'s content and lead run over the page: "kết quả …" (in lower case) ends the content, "Chuyển đổi số quốc
    # gia" the lead left hanging on "Cục"; "Quý II, III/2026" → the third quarter's end, 30/09/2026.
    assert first.clause == ("Xây dựng hướng dẫn kết nối dữ liệu; đo đạc, báo cáo kết quả kết nối của các bộ, "
                            "ngành.")
    assert (first.lead, first.cooperating, first.due) == (
        "Viện Công nghệ số, Cục Chuyển đổi số quốc gia", "Vụ Pháp chế; các cơ quan có liên quan",
        dt.date(2026, 9, 30))
    assert text[first.start:first.end] == "Xây dựng hướng dẫn kết nối dữ liệu; đo đạc, báo cáo"  # the first half marked
    # Row b) is read as before the break: "Quý IV/2026" → 31/12/2026.
    assert (second.clause, second.lead, second.due) == (
        "Ban hành quy chế khai thác dữ liệu.", "Cục Chuyển đổi số", dt.date(2026, 12, 31))


def test_a_line_after_the_deadline_that_goes_on_with_no_cell_is_left_out():
    text = (PDF_HEADER
            + "1\nHoàn thiện thể chế\n"
              "a)\nXây dựng hướng dẫn kết nối dữ liệu.\nCục Chuyển đổi số\nVụ Pháp chế\nQuý IV/2026\n"
              "Trung tâm Dữ liệu quốc gia\n"
              "b)\nBan hành quy chế khai thác dữ liệu.\nCục Chuyển đổi số\nVụ Pháp chế\nNăm 2027\n")
    first, second = tasks(read(text))
    # "Trung tâm Dữ liệu quốc gia" after row a)'s deadline goes on with no cell (none is left hanging): the task
    # reads its cells as they stand, without guessing where the line belongs.
    assert (first.clause, first.lead, first.cooperating) == (
        "Xây dựng hướng dẫn kết nối dữ liệu.", "Cục Chuyển đổi số", "Vụ Pháp chế")
    assert (second.clause, second.due) == ("Ban hành quy chế khai thác dữ liệu.", dt.date(2027, 12, 31))  # "Năm 2027"


def test_a_deadline_cell_of_a_period_is_due_by_its_last_year():
    text = ("KẾ HOẠCH chuyển đổi số giai đoạn 2026 - 2030\n\nPHỤ LỤC\nCÁC NHIỆM VỤ\n"
            "TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện\n"
            "1 | Số hóa hồ sơ đảng viên | Ban Tổ chức Tỉnh ủy | 2026 - 2030\n"
            "2 | Tập huấn kỹ năng số | Văn phòng Tỉnh ủy | Quý II/2026\n")
    # "2026 - 2030": by 31/12/2030, the period's last day; "Quý II/2026": by 30/06/2026. Two tasks, nothing more.
    assert [(c.kind, c.lead, c.due) for c in read(text)] == [
        ("task", "Ban Tổ chức Tỉnh ủy", dt.date(2030, 12, 31)), ("task", "Văn phòng Tỉnh ủy", dt.date(2026, 6, 30))]
