import datetime as dt
import zoneinfo

from compliance.services import compliance_compute
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


def october_computed(tree):
    """The `tree` fixture's October: ward 1 signs 80 of 100 documents and uses AI, ward 2 signs 1 of 2 and does not;
    both approved on time, the month computed after its due date."""
    report(tree.w1, {tree.signed: (80, 100), tree.ai: True})
    report(tree.w2, {tree.signed: (1, 2), tree.ai: False})
    compliance_compute(period=OCT, as_of=AFTER_DUE)
    return tree
