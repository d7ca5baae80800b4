import datetime as dt


class MonthConverter:
    """'2026-05' in a URL ↔ the first day of that month."""

    regex = r"\d{4}-(0[1-9]|1[0-2])"

    def to_python(self, value: str) -> dt.date:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)

    def to_url(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"
