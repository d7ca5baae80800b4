import datetime as dt

import pytest
from django.utils import translation

from core.periods import Quarter, month_parse, period_parse


@pytest.mark.parametrize(("typed", "key", "first", "last"), [
    ("2026-09", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("09/2026", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("9/2026", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("tháng 9/2026", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("Tháng 09 / 2026", "2026-09", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ("T12/2026", "2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 1)),
    ("2026-Q3", "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 1)),  # Q3 = July, August, September
    ("Quý III/2026", "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 1)),
    ("quý 3/2026", "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 1)),
    ("QUÝ IV/2026", "2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 1)),  # Q4 = October to December
    ("Q1/2027", "2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 1)),
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 1)),
    ("năm 2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 1)),
])
def test_periods_are_read_the_vietnamese_way_and_the_iso_way(typed, key, first, last):
    span = period_parse(typed)
    assert (span.key, span.first, span.last) == (key, first, last)


@pytest.mark.parametrize(("typed", "label", "text"), [
    ("09/2026", "Tháng 09/2026", "09/2026"),
    ("2026-Q3", "Quý III/2026", "Quý III/2026"),
    ("2026", "Năm 2026", "2026"),
])
def test_a_period_is_shown_back_as_people_write_it(typed, label, text):
    with translation.override("vi"):
        span = period_parse(typed)
        assert (str(span.label), span.text) == (label, text)


@pytest.mark.parametrize("typed", ["13/2026", "0/2026", "2026-13", "Quý V/2026", "Q5/2026", "tháng 9", "9.2026x",
                                   "2026/09/01", "", "0000"])
def test_anything_else_is_refused_with_the_forms_to_use(typed):
    with translation.override("vi"), pytest.raises(ValueError) as caught:
        period_parse(typed)
    assert "không phải là kỳ báo cáo; hãy ghi theo dạng 09/2026, Quý III/2026, 2026" in str(caught.value)


def test_a_month_field_takes_any_month_form_and_refuses_a_quarter():
    assert month_parse("tháng 9/2026") == month_parse("2026-09") == dt.date(2026, 9, 1)
    with translation.override("vi"), pytest.raises(ValueError) as caught:
        month_parse("Quý III/2026")
    assert "không phải là một tháng; hãy ghi theo dạng 09/2026" in str(caught.value)


def test_a_quarter_field_takes_any_quarter_form_and_refuses_a_month():
    assert Quarter.parse("Quý II/2026") == Quarter.parse("2026-Q2") == Quarter(2026, 2)
    with pytest.raises(ValueError):
        Quarter.parse("06/2026")
