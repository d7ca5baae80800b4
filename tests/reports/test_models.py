import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reports.models import Report, ReportValue
from targets.models import Measure, Rollup
from tests.factories import IndicatorFactory, unit_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(root):
    return Report.objects.create(unit=unit_make(), period=dt.date(2026, 5, 1))


def _clean(report, indicator, **values):
    ReportValue(report=report, indicator=indicator, **values).full_clean()


def test_numerator_above_denominator_is_refused(report):
    with pytest.raises(ValidationError) as caught:
        _clean(report, IndicatorFactory(), numerator=12, denominator=10)
    assert caught.value.message_dict["numerator"] == ["Tử số không được lớn hơn mẫu số."]


def test_a_zero_denominator_needs_a_note(report):
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError) as caught:
        _clean(report, indicator, numerator=0, denominator=0)
    assert "note" in caught.value.message_dict
    _clean(report, indicator, numerator=0, denominator=0, note="Tháng này không phát hành văn bản.")


def test_half_a_ratio_is_refused(report):
    with pytest.raises(ValidationError) as caught:
        _clean(report, IndicatorFactory(), numerator=3)
    assert "denominator" in caught.value.message_dict


def test_milestones_take_done_not_counts(report):
    milestone = IndicatorFactory(measure=Measure.MILESTONE, rollup=Rollup.ALL_DONE, numerator_label="",
                                 denominator_label="")
    with pytest.raises(ValidationError):
        _clean(report, milestone, numerator=1, denominator=1)
    _clean(report, milestone, done=True)


def test_a_report_month_is_its_first_day(root):
    with pytest.raises(ValidationError) as caught:
        Report(unit=unit_make(), period=dt.date(2026, 5, 20)).full_clean()
    assert "period" in caught.value.message_dict
