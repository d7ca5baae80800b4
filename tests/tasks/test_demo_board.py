"""The demo's task history on the seeded plans, counted on the board on 10/12/2026, worked by hand.

Văn phòng Tỉnh ủy's 15 appendix tasks, story by number (number % 5 for a past deadline: 0, 1 accepted on time,
2 accepted late, 3 submitted late, 4 overdue; a later deadline: even in progress, odd untouched; no deadline: on
track), on 10/12/2026:
  past deadlines (Q1–Q3): 1, 5, 6, 10 accepted on time; 2, 12 accepted late; 3, 8, 13 done late; 4 overdue
  31/12/2026 (21 days left ≤ 30): 9, 14 and the quarterly task 7's Q4 occurrence at risk
  no deadline: 11, 15 on track
  → assigned 15; done 6 + 3 = 9; on time 4; late 2 + 3 = 5; overdue 1; at risk 3; accepted 6; share 9/15 = 60%.
"""

import datetime as dt

import pytest

from core.periods import Quarter
from plans.models import Plan
from portal.demo import demo_cells_ensure, demo_task_history, demo_users_ensure
from tasks.selectors import BoardFilters, task_board, task_quarter_rows
from tasks.status import Colour, Status
from units.models import Unit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 10)
VPTU_PLAN = "dn-vptu-cds-2026"


@pytest.fixture
def history(seeded):
    demo_cells_ensure()
    demo_users_ensure()
    assert demo_task_history(today=DAY) > 0


def test_the_board_counts_as_the_national_report(history, staff_user):
    board = task_board(user=staff_user, filters=BoardFilters(plan=VPTU_PLAN), today=DAY)
    total = board.total
    assert (total.assigned, total.done, total.on_time, total.late) == (15, 9, 4, 5)
    assert (total.overdue, total.at_risk, total.accepted) == (1, 3, 6)
    assert total.share_done == "60%"
    assert total.colour == Colour.RED  # task 4 is overdue
    codes = {row.task.number: row.status.code for row in board.rows}
    assert codes[4] == Status.OVERDUE and codes[2] == Status.ACCEPTED and codes[3] == Status.DONE_LATE
    assert {codes[7], codes[9], codes[14]} == {Status.AT_RISK}
    assert codes[11] == codes[15] == Status.ON_TRACK


def test_the_status_filter_and_the_deadline_filter(history, staff_user):
    overdue = task_board(user=staff_user, filters=BoardFilters(status=Status.OVERDUE), today=DAY)
    assert [row.task.number for row in overdue.rows] == [4]
    q4 = task_board(user=staff_user, filters=BoardFilters(plan=VPTU_PLAN, due="2026-Q4"), today=DAY)
    assert sorted(row.task.number for row in q4.rows) == [7, 9, 14]


def test_lead_unit_colours(history, staff_user):
    board = task_board(user=staff_user, filters=BoardFilters(plan=VPTU_PLAN), today=DAY)
    colours = {c.unit.code: c.colour for c in board.counts}
    # Phòng CĐS - Cơ yếu leads 4 (overdue) among ten: red; Phòng Hành chính - Lưu trữ leads 7 and 9 (both at
    # risk): yellow; Phòng Quản trị leads 3 alone (done late): green, lateness is counted, not coloured
    assert colours["DN.VPTU.CDSCY"] == Colour.RED
    assert colours["DN.VPTU.HCLT"] == Colour.YELLOW
    assert colours["DN.VPTU.QT"] == Colour.GREEN


def test_the_workbook_rows_of_a_quarter(history):
    rows = {row.number: row for row in task_quarter_rows(unit=Unit.objects.get(code="DN.VPTU"),
                                                         quarter=Quarter(2026, 4), today=DAY)}
    assert len(rows) == 15
    assert rows[2].status == Status.ACCEPTED and rows[2].done_on == dt.date(2026, 10, 9)  # 30/09 + 9 days
    assert "02-BC/CDSCY" in rows[2].product
    assert rows[4].status == Status.OVERDUE and rows[4].product == "" and rows[4].due_text == "Quý II/2026"
    # judged at the end of Q3 (30/09/2026): tasks 13 (submitted 20/10) and 2 (09/10) were not yet done, on
    # their deadline day 30/09 (0 days left): at risk; task 1, accepted in spring, accepted
    q3 = {row.number: row for row in task_quarter_rows(unit=Unit.objects.get(code="DN.VPTU"),
                                                       quarter=Quarter(2026, 3), today=DAY)}
    assert q3[13].status == Status.AT_RISK and q3[2].status == Status.AT_RISK
    assert q3[1].status == Status.ACCEPTED


def test_loc_ninh_undated_tasks_are_seeded(seeded):
    plan = Plan.objects.get(key__startswith="dn-xp-locninh")
    titles = list(plan.tasks.order_by("number").values_list("title", "lead_text", "due_kind"))
    assert len(titles) == 2
    assert "tuyên truyền" in titles[0][0] and "Sổ tay Đảng viên điện tử" in titles[1][0]
    assert {t[1] for t in titles} == {"Ban Xây dựng Đảng"} and {t[2] for t in titles} == {"recurring"}


def test_the_board_and_the_workbook_rows_read_in_a_few_queries(history, staff_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        board = task_board(user=staff_user, filters=BoardFilters(), today=DAY)
        [row.task.lead_unit for row in board.rows]
    with django_assert_max_num_queries(6):
        task_quarter_rows(unit=Unit.objects.get(code="DN"), quarter=Quarter(2026, 4), today=DAY)
