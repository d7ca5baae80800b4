import datetime as dt

from units.models import UNIT_CODE_MAX_LENGTH


class MonthConverter:
    """'2026-05' in a URL ↔ the first day of that month."""

    regex = r"\d{4}-(0[1-9]|1[0-2])"

    def to_python(self, value: str) -> dt.date:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)

    def to_url(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


class UnitCodeConverter:
    """A unit's identifier code: anything longer than a code can be is no page, before any query is made."""

    regex = rf"[^/]{{1,{UNIT_CODE_MAX_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
