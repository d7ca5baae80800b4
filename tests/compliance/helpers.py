import datetime as dt
import zoneinfo

from reports.models import Report, ReportValue

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
OCT = dt.date(2026, 10, 1)
AFTER_DUE = dt.datetime(2026, 11, 25, 9, tzinfo=HCM)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=HCM)


ON_TIME = at(10)


def report(unit, values: dict, *, status=Report.Status.APPROVED, submitted=ON_TIME, period=OCT):
    created = Report.objects.create(unit=unit, period=period, status=status, submitted_at=submitted,
                                    due_on=dt.date(2026, 11, 20))
    for indicator, figure in values.items():
        if isinstance(figure, bool):
            ReportValue.objects.create(report=created, indicator=indicator, done=figure)
        else:
            ReportValue.objects.create(report=created, indicator=indicator, numerator=figure[0],
                                       denominator=figure[1])
    return created
