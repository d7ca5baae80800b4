"""Every status of a task with its dates worked by hand; the threshold is 30 days unless said."""

import datetime as dt

from tasks.status import Colour, State, Status, TaskStatus, task_status, unit_colour

D = dt.date
DUE = D(2026, 3, 31)  # "Quý I/2026": the quarter's last day


def status(*, today, state=State.NOT_STARTED, done_on=None, due=DUE, accepted_on=None, days=30) -> TaskStatus:
    return task_status(due_on=due, state=state, done_on=done_on, today=today, at_risk_days=days,
                       accepted_on=accepted_on)


def test_on_track_more_than_thirty_days_before_the_deadline():
    # 31/03 − 28/02 = 31 days left (March has 31 days): more than 30, on track
    result = status(today=D(2026, 2, 28))
    assert result.code == Status.ON_TRACK
    assert "31" in result.reason and "31/03/2026" in result.reason


def test_at_risk_from_thirty_days_before_the_deadline():
    # 31/03 − 01/03 = 30 days left: at the threshold, at risk
    assert status(today=D(2026, 3, 1)).code == Status.AT_RISK
    # on the deadline itself: 0 days left, still at risk, not yet overdue
    result = status(today=DUE, state=State.IN_PROGRESS)
    assert result.code == Status.AT_RISK and "0" in result.reason


def test_the_threshold_is_a_setting():
    # 31/03 − 21/03 = 10 days left: at risk with 10, on track with 9
    assert status(today=D(2026, 3, 21), days=10).code == Status.AT_RISK
    assert status(today=D(2026, 3, 21), days=9).code == Status.ON_TRACK


def test_overdue_the_day_after_the_deadline():
    # 01/04 − 31/03 = 1 day past
    result = status(today=D(2026, 4, 1), state=State.IN_PROGRESS)
    assert result.code == Status.OVERDUE
    assert result.reason.startswith("1 ")
    # 15/04 − 31/03 = 15 days past
    assert status(today=D(2026, 4, 15)).reason.startswith("15 ")


def test_a_returned_product_is_not_done_and_says_so():
    result = status(today=D(2026, 4, 2), state=State.RETURNED)
    assert result.code == Status.OVERDUE  # 02/04 − 31/03 = 2 days past
    assert result.reason.startswith("2 ")
    assert result.reason.endswith(".") and len(result.reason.split(".")) > 2  # the second sentence: returned


def test_done_on_time_awaiting_acceptance():
    # submitted 31/03, due 31/03: on the deadline is on time, whatever today is
    result = status(today=D(2026, 5, 1), state=State.SUBMITTED, done_on=D(2026, 3, 31))
    assert result.code == Status.DONE_ON_TIME and result.late is False
    assert "31/03/2026" in result.reason


def test_done_late_awaiting_acceptance():
    # submitted 10/04, due 31/03: 10/04 − 31/03 = 10 days late
    result = status(today=D(2026, 4, 10), state=State.SUBMITTED, done_on=D(2026, 4, 10))
    assert result.code == Status.DONE_LATE and result.late is True
    assert "10 " in result.reason and "10/04/2026" in result.reason


def test_accepted_keeps_whether_it_was_late():
    # done 05/04 (5 days after 31/03), accepted 08/04
    result = status(today=D(2026, 6, 1), state=State.ACCEPTED, done_on=D(2026, 4, 5), accepted_on=D(2026, 4, 8))
    assert result.code == Status.ACCEPTED and result.late is True
    assert "08/04/2026" in result.reason and "5 " in result.reason
    on_time = status(today=D(2026, 6, 1), state=State.ACCEPTED, done_on=D(2026, 3, 20), accepted_on=D(2026, 3, 25))
    assert on_time.code == Status.ACCEPTED and on_time.late is False


def test_ongoing_work_without_a_deadline_is_on_track_until_done():
    assert status(today=D(2027, 1, 1), due=None).code == Status.ON_TRACK
    done = status(today=D(2027, 1, 1), due=None, state=State.SUBMITTED, done_on=D(2026, 12, 1))
    assert done.code == Status.DONE_ON_TIME and done.late is False


def test_unit_colour_red_over_yellow_over_green():
    overdue = status(today=D(2026, 4, 1))
    at_risk = status(today=D(2026, 3, 15))
    on_track = status(today=D(2026, 1, 1))  # 31/03 − 01/01 = 89 days left
    done = status(today=D(2026, 4, 1), state=State.SUBMITTED, done_on=D(2026, 3, 30))
    assert unit_colour([on_track, done]) == Colour.GREEN
    assert unit_colour([on_track, at_risk, done]) == Colour.YELLOW
    assert unit_colour([at_risk, overdue]) == Colour.RED
    assert unit_colour([]) == Colour.GREEN
