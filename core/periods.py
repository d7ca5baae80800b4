"""Months, quarters and years as the plans write them ("Quý I/2026")."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DueKind(models.TextChoices):
    """How a plan writes a deadline: a year, a quarter, a date, or recurring work."""

    YEAR = "year", gettext_lazy("By the end of a year")
    QUARTER = "quarter", gettext_lazy("By the end of a quarter")
    DATE = "date", gettext_lazy("By a date")
    RECURRING = "recurring", gettext_lazy("Recurring")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_VALUE = {roman: number for number, roman in ROMAN.items()}
# The ways clerks write a period, ISO and Vietnamese; case and spaces around "/" and "-" do not matter.
_MONTH_FORMS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),  # 2026-09
    re.compile(r"^(?:tháng|th|t)?\s*(?P<month>\d{1,2})\s*[/-]\s*(?P<year>\d{4})$"),  # 09/2026, tháng 9/2026
)
_QUARTER_FORMS = (
    re.compile(r"^(?P<year>\d{4})-q(?P<quarter>[1-4])$"),  # 2026-Q3
    re.compile(r"^(?:quý|q)\s*(?P<quarter>[1-4]|i{1,3}|iv)\s*/\s*(?P<year>\d{4})$"),  # Quý III/2026, Q3/2026
)
_YEAR_FORM = re.compile(r"^(?:năm\s*)?(?P<year>\d{4})$")  # 2026, năm 2026
PERIOD_EXAMPLES = "09/2026, Quý III/2026, 2026"


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        """A quarter typed any way `period_parse` reads one ("Quý III/2026", "2026-Q3")."""
        try:
            span = period_parse(value)
        except ValueError:
            span = None
        if span is None or span.kind != "quarter":
            raise ValueError(_("“%(value)s” is not a quarter; write it as Quý III/2026.") % {"value": value})
        return cls.of(span.first)

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return month_last_day(self.year, 3 * self.quarter)

    def __str__(self) -> str:
        return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[self.quarter], "year": self.year}


def month_last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_parse(value: str) -> dt.date:
    """A month typed any way `period_parse` reads one ("09/2026", "tháng 9/2026", "2026-09") → its first day."""
    try:
        span = period_parse(value)
    except ValueError:
        span = None
    if span is None or span.kind != "month":
        raise ValueError(_("“%(value)s” is not a month; write it as 09/2026.") % {"value": value})
    return span.first


def year_last_day(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Span:
    """A month, a quarter or a year: '2026-10', '2026-Q3' or '2026' in links (`key`), "10/2026", "Quý III/2026"
    or "2026" where people read and type it (`text`)."""

    first: dt.date
    last: dt.date
    label: str
    key: str
    kind: str = "month"

    @classmethod
    def parse(cls, value: str) -> "Span":
        return period_parse(value)

    @classmethod
    def month(cls, first: dt.date) -> "Span":
        first = first.replace(day=1)
        return cls(first, first, _("Month %(month)s") % {"month": f"{first.month:02d}/{first.year}"},
                   f"{first.year}-{first.month:02d}", "month")

    @classmethod
    def of_quarter(cls, quarter: Quarter) -> "Span":
        return cls(quarter.first_day, quarter.last_day.replace(day=1), str(quarter),
                   f"{quarter.year}-Q{quarter.quarter}", "quarter")

    @classmethod
    def year(cls, year: int) -> "Span":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 1), _("Year %(year)s") % {"year": year}, str(year), "year")

    @property
    def text(self) -> str:
        if self.kind == "month":
            return f"{self.first.month:02d}/{self.first.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[Quarter.of(self.first).quarter]}/{self.first.year}"
        return str(self.first.year)


def period_parse(value: str) -> Span:
    """The one reader of a period typed by a person or sent to the API, used by every form, view and filter.

    A month: "2026-09", "09/2026", "9/2026", "tháng 9/2026", "T9/2026"; a quarter: "2026-Q3", "Quý III/2026",
    "quý 3/2026", "Q3/2026"; a year: "2026", "năm 2026". Anything else is refused with the forms to use.
    """
    text = re.sub(r"\s+", " ", str(value or "")).strip().lower()
    for form in _MONTH_FORMS:
        match = form.match(text)
        if match and 1 <= int(match["month"]) <= 12 and int(match["year"]) >= 1:
            return Span.month(dt.date(int(match["year"]), int(match["month"]), 1))
    for form in _QUARTER_FORMS:
        match = form.match(text)
        if match and int(match["year"]) >= 1:
            number = match["quarter"]
            quarter = int(number) if number.isdigit() else _ROMAN_VALUE[number.upper()]
            return Span.of_quarter(Quarter(int(match["year"]), quarter))
    match = _YEAR_FORM.match(text)
    if match and int(match["year"]) >= 1:
        return Span.year(int(match["year"]))
    raise ValueError(_("“%(value)s” is not a period; write it as %(examples)s.")
                     % {"value": value, "examples": PERIOD_EXAMPLES})
