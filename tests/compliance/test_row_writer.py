"""Outside a transaction on PostgreSQL a thread writes a month's rows while the computation goes on (`RowWriter`).

Its own module: a test that commits cannot share one with the demo's module-wide data, held in an open transaction.
"""

import pytest
from django.db import transaction

from compliance.models import ComplianceResult, ComplianceRun, ReportingResult
from compliance.services import compliance_compute
from tests.compliance.helpers import AFTER_DUE, OCT
from tests.compliance.test_split import _forget_kept, _rows, two_provinces  # noqa: F401 (the fixture)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("two_provinces")
def test_rows_written_by_their_own_thread_are_the_rows_written_in_turn():
    with transaction.atomic():  # inside one, the rows are written in turn
        in_turn = _rows(compliance_compute(period=OCT, as_of=AFTER_DUE))
    _forget_kept(OCT)
    assert _rows(compliance_compute(period=OCT, as_of=AFTER_DUE)) == in_turn
    # Stopped after 7 rows: the thread has written every batch before the run's rows are dropped, so none is left.
    with pytest.raises(RuntimeError):
        compliance_compute(period=OCT, as_of=AFTER_DUE, fail_after=7)
    failed = ComplianceRun.objects.get(state=ComplianceRun.State.FAILED)
    assert not ComplianceResult.objects.filter(run=failed).exists()
    assert not ReportingResult.objects.filter(run=failed).exists()
