"""Bad workbooks refused through the real upload views: time and peak memory to the refusal, beside the floor of
merely opening the same file's zip directory and the aim (≤ 2 s, ≤ 200 MB each).

Before the checks the worst of these cost 52 s and 2.6 GB (the bomb) and 21 s and 1.7 GB (the far cell).
"""

import datetime as dt
import logging
import zipfile
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from benchmarks.conftest import record, seconds_and_peak_mib
from core.files import xlsx_inspect
from reports.models import Report
from targets.models import Flow, Measure, Rollup
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    PlanFactory,
    TargetFactory,
    unit_make,
)
from tests.reports import bad_files
from units.models import Membership, UnitKind
from units.services import unit_national_root_ensure

AIM_SECONDS, AIM_MB = 2.0, 200.0
MAY = dt.date(2026, 5, 1)


def _floor(content: bytes) -> None:
    """The least any check can do: hold the bytes and read the zip directory, if there is one."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            archive.infolist()
    except zipfile.BadZipFile:
        pass


@pytest.fixture
def people(db):
    unit_national_root_ensure()
    province = unit_make(kind=UnitKind.PROVINCE, code="P1")
    ward = unit_make(parent=province, kind=UnitKind.WARD, code="P1.X1")
    unit_make(parent=province, kind=UnitKind.WARD, code="P1.X2")
    plan = PlanFactory(issuer=province, report_due_day=20)
    for code in ("ky_so", "so_hoa"):
        TargetFactory(plan=plan, indicator=IndicatorFactory(code=code, flow=Flow.FLOW))
    TargetFactory(plan=plan, indicator=IndicatorFactory(code="moc", measure=Measure.MILESTONE,
                                                        rollup=Rollup.ALL_DONE, numerator_label="",
                                                        denominator_label=""), comparator="done", value=None)
    clerk = MembershipFactory(unit=ward, role=Membership.Role.CLERK).user
    reviewer = MembershipFactory(unit=province, role=Membership.Role.REVIEWER).user
    return clerk, reviewer


@pytest.fixture
def quiet():
    loggers = [logging.getLogger(name) for name in ("django.request", "core.files", "reports.imports")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_bad_files_are_refused_fast_and_small(people, quiet):
    clerk, reviewer = people
    as_clerk, as_reviewer = Client(), Client()
    as_clerk.force_login(clerk)
    as_reviewer.force_login(reviewer)
    unit_url = reverse("reports:import", kwargs={"code": "P1.X1", "period": MAY})
    bulk_url = reverse("reports:bulk-import")
    files = [
        ("zip bomb, 200 MB of sheet", bad_files.bomb(megabytes=200), as_clerk, unit_url),
        ("zip bomb, 2.6 GB of sheet", bad_files.bomb(megabytes=2600), as_clerk, unit_url),
        ("one cell at row 1,048,576", bad_files.far_cell(), as_clerk, unit_url),
        ("far cell, <dimension> removed", bad_files.far_cell(keep_dimension=False), as_clerk, unit_url),
        ("100,000 bad rows (clerk's template)", bad_files.many_rows(100_000), as_clerk, unit_url),
        ("100,000 bad rows (bulk import)", bad_files.many_rows(100_000), as_reviewer, bulk_url),
        ("malformed XML in the sheet", bad_files.malformed_xml(), as_clerk, unit_url),
        ("malformed XML in styles.xml", bad_files.malformed_xml("xl/styles.xml"), as_clerk, unit_url),
        ("billion-laughs entities", bad_files.entity_expansion(), as_clerk, unit_url),
        ("1,000,000 shared strings", bad_files.many_strings(), as_clerk, unit_url),
        ("one text of 50 million characters", bad_files.long_text(), as_clerk, unit_url),
        ("macros (vbaProject.bin)", bad_files.with_macros(), as_clerk, unit_url),
        ("password-protected", bad_files.password_protected(), as_clerk, unit_url),
        ("not a zip (CSV)", bad_files.not_a_zip(), as_clerk, unit_url),
        # Its peak is the test client encoding 50 MB of multipart; the server side reads none of it.
        ("50 MB body (refused unread)", b"PK" + b"\0" * (50 * 2**20), as_clerk, unit_url),
    ]
    print(f"\nBad files refused through the upload views (aim ≤ {AIM_SECONDS:.0f} s, ≤ {AIM_MB:.0f} MB each)")
    print(f"  {'file':<38} {'size':>9} {'refused in':>11} {'peak':>10}   {'floor':>10} {'floor peak':>10}  status")
    worst_s = worst_mb = 0.0
    for label, content, client, url in files:
        answers = []

        def post(content=content, client=client, url=url, answers=answers):
            response = client.post(url, {"file": SimpleUploadedFile("so-lieu.xlsx", content), "month": "2026-05"})
            answers.append(response.status_code)

        seconds, peak_mb = seconds_and_peak_mib(post)
        floor_s, floor_mb = seconds_and_peak_mib(lambda content=content: _floor(content))
        assert set(answers) <= {400, 413}, (label, answers)
        assert not Report.objects.exists()
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, peak_mb)
        print(f"  {label:<38} {len(content) / 1024:>7.0f}KB {seconds:>9.2f} s {peak_mb:>7.1f} MB   "
              f"{floor_s * 1000:>7.2f} ms {floor_mb:>7.1f} MB  {answers[0]}")
    print(f"  worst: {worst_s:.2f} s (aim ≤ {AIM_SECONDS:.0f} s), {worst_mb:.1f} MB of Python objects "
          f"(aim ≤ {AIM_MB:.0f} MB)")
    record("bad files: slowest refusal", worst_s, "s", aim=AIM_SECONDS)
    record("bad files: largest peak", worst_mb, "MB", aim=AIM_MB)
    assert worst_s <= AIM_SECONDS and worst_mb <= AIM_MB

    # What the checks cost a good file: 5,000 rows inspected and accepted, beside openpyxl reading them.
    good = bad_files.many_rows(5_000)
    inspect_s, inspect_mb = seconds_and_peak_mib(
        lambda: xlsx_inspect(SimpleUploadedFile("nhap.xlsx", good), max_rows=10_000, max_cols=20))
    read_s, read_mb = seconds_and_peak_mib(lambda: openpyxl.load_workbook(BytesIO(good)))
    print(f"  checks on a good 5,000-row file: {inspect_s:.2f} s, {inspect_mb:.1f} MB beside openpyxl's own read "
          f"of it: {read_s:.2f} s, {read_mb:.1f} MB → {inspect_s / read_s:.0%} added")
