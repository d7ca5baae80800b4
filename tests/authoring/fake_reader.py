"""A stand-in for the document reading (`authoring.extract`, `authoring.documents`), written beside the plan pages.

Used only by the tests of the document page until the real reading is merged: it keeps to the reading's interface
(`candidates_extract`, `marked_segments`, `catalogue_from_indicators`, `document_text`) and reads nothing real:
each line with "%" is a target, on "ky_so" when it says "ký số".
"""

import datetime as dt
import sys
import types
from dataclasses import dataclass

from core.exceptions import ApplicationError

DOCUMENT = "I. MỤC TIÊU\nPhấn đấu 100% văn bản được ký số trong năm 2026.\nTăng cường lãnh đạo.\n"


@dataclass
class FakeCandidate:
    kind: str
    clause: str
    indicator: str | None
    comparator: str | None
    value: float | None
    value_max: float | None
    due: dt.date | None
    lead: str = ""
    cooperating: tuple = ()
    output: str = ""


def candidates_extract(text, catalogue=None):
    found = []
    for line in text.splitlines():
        if "%" in line:
            value = float(line.split("%")[0].split()[-1])
            found.append(FakeCandidate("target", line.strip(), "ky_so" if "ký số" in line else None, "at_least",
                                       value, None, dt.date(2026, 12, 31)))
    return found


def marked_segments(text, candidates):
    segments, rest = [], text
    for index, candidate in enumerate(candidates, start=1):
        before, _, rest = rest.partition(candidate.clause)
        segments += [(before, None), (candidate.clause, index)]
    return [*segments, (rest, None)]


def document_text(upload):
    if upload.name.endswith(".doc"):
        raise ApplicationError("Tệp .doc không đọc được; hãy lưu thành .docx.")
    return types.SimpleNamespace(text=upload.read().decode(), name=upload.name, kind="txt")


def fake_reader_install(monkeypatch) -> None:
    extract = types.ModuleType("authoring.extract")
    extract.candidates_extract = candidates_extract
    extract.marked_segments = marked_segments
    extract.catalogue_from_indicators = lambda indicators: list(indicators)
    documents = types.ModuleType("authoring.documents")
    documents.document_text = document_text
    monkeypatch.setitem(sys.modules, "authoring.extract", extract)
    monkeypatch.setitem(sys.modules, "authoring.documents", documents)
