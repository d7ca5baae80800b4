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
_QUARTER_RE = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")
_MONTH_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        match = _QUARTER_RE.match(value.strip())
        if not match:
            raise ValueError(_("“%(value)s” is not a quarter; write it as 2026-Q1.") % {"value": value})
        return cls(int(match["year"]), int(match["quarter"]))

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
    """'2026-05' → the first day of that month."""
    match = _MONTH_RE.match(value.strip())
    if not match or int(match["year"]) < dt.MINYEAR:
        raise ValueError(_("“%(value)s” is not a month; write it as 2026-05.") % {"value": value})
    return dt.date(int(match["year"]), int(match["month"]), 1)


def year_last_day(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Span:
    """A month, a quarter or a year, as chosen on the dashboard: '2026-10', '2026-Q3' or '2026'."""

    first: dt.date
    last: dt.date
    label: str
    key: str

    @classmethod
    def parse(cls, value: str) -> "Span":
        value = (value or "").strip()
        if _MONTH_RE.match(value):
            first = month_parse(value)
            return cls(first, first, _("Month %(month)s") % {"month": first.strftime("%m/%Y")}, value)
        if _QUARTER_RE.match(value):
            quarter = Quarter.parse(value)
            return cls(quarter.first_day, quarter.last_day.replace(day=1), str(quarter), value)
        if re.match(r"^\d{4}$", value):
            year = int(value)
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 1), _("Year %(year)s") % {"year": year}, value)
        raise ValueError(_("“%(value)s” is not a period; write 2026-05, 2026-Q2 or 2026.") % {"value": value})
