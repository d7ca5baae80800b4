"""The cached scorecard: an approval shows on the next view, only its path's rows rebuilt, the rest as they were and
the whole the same as a fresh build; a cached view reads no result; a gzip response stitched around the stored
board is the same page."""

import gzip
import re
import zlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import rendering
from compliance.gzipped import crc32_combine, deflate, gzip_stitch
from reports.models import Report
from reports.services import report_approve
from tests.compliance import test_incremental
from tests.compliance.helpers import OCT

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("compliance:dashboard")
# The incremental tests' tree and October, with the figures worked out there.
world, october = test_incremental.world, test_incremental.october
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(client, **query) -> str:
    return client.get(DASHBOARD, {"period": "2026-10", **query}).content.decode()


def _same(html: str) -> str:
    """The page without its CSRF tokens, which differ on every response."""
    return CSRF.sub(b"", html.encode()).decode()


def _row(html: str, unit) -> str:
    """A scorecard row, found by its unit's link."""
    table = html.split('<table class="scorecard">')[1]
    start = table.index(f"?unit={unit.code}&amp;")
    return table[table.rindex("<tr>", 0, start):table.index("</tr>", start)]


def _totals(html: str) -> str:
    return html.split("<tfoot>")[1].split("</tfoot>")[0]


def _value(html: str, row: str, code: str) -> str:
    """The value a row's cell shows for an indicator, found by the indicator's column."""
    head = html.split('<table class="scorecard">')[1].split("</thead>")[0]
    columns = re.findall(r'href="/dashboard/indicator/([^/]+)/', head)
    cells = re.findall(r'<td class="cell [^"]*">(.*?)</td>', row)
    return cells[columns.index(code)].split("</b> ")[1].split("<small")[0]


def _approve(scene, unit, capture) -> None:
    with capture(execute=True):
        report_approve(report=Report.objects.get(unit=unit, period=OCT), by=scene.reviewer)


def test_an_approval_rebuilds_only_the_rows_on_its_path(client, october, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    w = october
    client.force_login(w.reviewer)
    before = _page(client)
    # Signed documents before the third cell's approval: the second ward 10/20 = 50% (its cell only submitted); the
    # first 80 + 5 + 0 of 100 + 10 + 0 = 85/110 = 77,27%; the province 80 + 10 + 5 = 95 of 130 = 73,08%.
    assert _value(before, _row(before, w.w2), "ky_so") == "50%"
    assert _value(before, _row(before, w.w1), "ky_so") == "77,3%"
    assert _value(before, _totals(before), "ky_so") == "73,1%"

    read, built = [], []
    real_results, real_scorecard = rendering.subtree_results, rendering.scorecard
    monkeypatch.setattr(rendering, "subtree_results", lambda **kw: read.append(sorted(kw["unit_ids"]))
                        or real_results(**kw))
    monkeypatch.setattr(rendering, "scorecard", lambda **kw: built.append(kw) or real_scorecard(**kw))
    _approve(w, w.cells[2], django_capture_on_commit_callbacks)
    after = _page(client)

    # The cell's 20/20 joins its ward: 30/40 = 75%; the province 115/150 = 76,67%. The first ward's row is the same.
    assert _value(after, _row(after, w.w2), "ky_so") == "75%"
    assert _value(after, _totals(after), "ky_so") == "76,7%"
    assert _row(after, w.w1) == _row(before, w.w1)
    assert _row(after, w.w2) != _row(before, w.w2)
    # Only the second ward's and the province's results were read again; no full build.
    assert read == [sorted([w.w2.pk, w.province.pk])] and built == []
    # The patched page is the page a fresh build gives.
    cache.clear()
    monkeypatch.undo()
    assert _same(_page(client)) == _same(after)


def test_a_patched_view_sorted_by_status_is_arranged_as_a_fresh_build(client, october,
                                                                      django_capture_on_commit_callbacks):
    w = october
    client.force_login(w.reviewer)
    views = [{"sort": "status"}, {"sort": "ky_so"}, {"behind": "1"}, {"all": "1"}]
    for view in views:
        _page(client, **view)  # cached before the approval
    _approve(w, w.cells[2], django_capture_on_commit_callbacks)
    patched = [_same(_page(client, **view)) for view in views]
    cache.clear()
    assert [_same(_page(client, **view)) for view in views] == patched


def test_without_the_note_of_what_changed_the_card_is_built_anew(client, october, django_capture_on_commit_callbacks,
                                                                 monkeypatch):
    w = october
    client.force_login(w.reviewer)
    _page(client)
    built, real_scorecard = [], rendering.scorecard
    monkeypatch.setattr(rendering, "scorecard", lambda **kw: built.append(kw) or real_scorecard(**kw))
    from compliance.signals import results_changed_in_place

    results_changed_in_place.disconnect(dispatch_uid="compliance-scorecard-change-note")
    try:
        _approve(w, w.cells[2], django_capture_on_commit_callbacks)
    finally:
        results_changed_in_place.connect(rendering.scorecard_change_note,
                                         dispatch_uid="compliance-scorecard-change-note")
    after = _page(client)
    assert len(built) == 1  # the whole card, as no note says which rows changed
    # As above: 30/40 and 115/150.
    assert _value(after, _row(after, w.w2), "ky_so") == "75%" and _value(after, _totals(after), "ky_so") == "76,7%"


def test_a_cached_view_reads_no_result(client, october):
    client.force_login(october.reviewer)
    _page(client)
    with CaptureQueriesContext(connection) as captured:
        html = _page(client)
    assert _value(html, _totals(html), "ky_so") == "73,1%"  # 95/130, as computed
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "compliance_complianceresult" not in tables and "compliance_reportingresult" not in tables
    # The session, the user, their memberships, the unit, the month's run (its revision), the bell, the plans menu.
    assert len(captured) <= 7


def test_the_gzip_response_is_the_same_page(client, october):
    client.force_login(october.reviewer)
    plain = client.get(DASHBOARD, {"period": "2026-10"})
    zipped = client.get(DASHBOARD, {"period": "2026-10"}, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert CSRF.sub(b"", gzip.decompress(zipped.content)) == CSRF.sub(b"", plain.content)
    assert len(zipped.content) < len(plain.content) / 2


def test_the_crc_of_parts_combines_into_the_crc_of_the_whole():
    # CRC-32 of "123456789" is 0xCBF43926, the standard check value; combined from "12345" and "6789".
    assert crc32_combine(zlib.crc32(b"12345"), zlib.crc32(b"6789"), 4) == 0xCBF43926
    assert crc32_combine(0, zlib.crc32(b"123456789"), 9) == 0xCBF43926  # after nothing, a CRC stays itself
    stored = deflate("<td>Đạt</td>".encode() * 1000)
    stitched = gzip_stitch([b"<html>", stored, b"", b"</html>"])
    assert gzip.decompress(stitched) == b"<html>" + "<td>Đạt</td>".encode() * 1000 + b"</html>"


def test_after_an_approval_only_the_changed_rows_are_compressed_again(client, october, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    w = october
    monkeypatch.setattr(rendering, "CHUNK_ROWS", 1)  # a chunk a row: the first ward's, then the second's
    client.force_login(w.reviewer)
    client.get(DASHBOARD, {"period": "2026-10"}, HTTP_ACCEPT_ENCODING="gzip")
    compressed = []
    real = rendering.deflate
    monkeypatch.setattr(rendering, "deflate", lambda data, **kw: compressed.append(data) or real(data, **kw))
    _approve(w, w.cells[2], django_capture_on_commit_callbacks)
    zipped = client.get(DASHBOARD, {"period": "2026-10"}, HTTP_ACCEPT_ENCODING="gzip")
    # The part above the rows, the second ward's row (its cell approved), the part below: the first ward's row is
    # sent as compressed before.
    rows = [part for part in compressed if part.startswith(b"<tr>")]
    assert len(compressed) == 3 and len(rows) == 1 and f"?unit={w.w2.code}&".encode() in rows[0]
    html = gzip.decompress(zipped.content).decode()
    assert _value(html, _row(html, w.w2), "ky_so") == "75%"  # 30/40
    assert _same(html) == _same(_page(client))
