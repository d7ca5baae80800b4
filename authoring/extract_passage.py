"""A passage the person points at: what the reading proposes from a stretch of the document it did not take.

The rules (`authoring.extract`) are written on how plans are worded; a plan worded otherwise keeps targets and tasks
they miss. The person who reads the document beside the candidates selects such a passage (or pastes it), and the
passage is read on its own: the figures, deadlines and leads the rules find in it, placed where it stands in the
text, its targets with no deadline due by the plan's last year as the document's are. When the rules find nothing,
a passage naming no unit whose words fit a milestone of the catalogue is that milestone; any other is proposed as a
task (`authoring.extract_tasks.passage_task`) with what it names, for the person to complete or to turn into a
target. The passage must be in the document: each candidate keeps its clause, marked in the text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from authoring.extract import (
    DONE,
    TARGET,
    Candidate,
    CatalogueEntry,
    _due_in,
    _Guesser,
    _years_filled,
    candidates_extract,
)
from authoring.extract_tasks import passage_task

# A passage is a sentence, an item or a table row, not the whole document: past this it is refused.
PASSAGE_MAX_CHARS = 3000


class Span(NamedTuple):
    start: int
    end: int


def passage_span(text: str, passage: str) -> Span | None:
    """Where `passage` stands in `text`, its spaces and line breaks matched loosely (a selection in the browser
    folds the document's line breaks and doubled spaces); the first place when it stands in several, None when it
    is not in the text."""
    words = passage.split()
    if not words or len(passage) > PASSAGE_MAX_CHARS:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return Span(found.start(), found.end()) if found else None


def passage_candidates(text: str, span: Span, *, catalogue: list[CatalogueEntry]) -> list[Candidate]:
    """The candidates the passage at `span` of `text` proposes, their offsets in `text` (see the module's
    docstring)."""
    piece = text[span.start:span.end]
    found = [replace(candidate, start=candidate.start + span.start, end=candidate.end + span.start)
             for candidate in candidates_extract(piece, catalogue=catalogue)]
    if not found:
        found = [_milestone(piece, span, catalogue) or passage_task(piece, span.start, span.end)]
    return _years_filled(text, found)


def _milestone(piece: str, span: Span, catalogue: list[CatalogueEntry]) -> Candidate | None:
    """A passage naming no unit whose words fit one of the catalogue's milestones ("Đưa nội dung chuyển đổi số vào
    chương trình công tác năm 2026"): that milestone, due when the passage says or by the plan's last year. A
    passage naming its lead ("Văn phòng Tỉnh ủy chủ trì …") is a task whatever its words."""
    if passage_task(piece, span.start, span.end).lead:
        return None
    code = _Guesser(catalogue).guess(piece, DONE)
    if code is None or next(entry.measure for entry in catalogue if entry.code == code) != "milestone":
        return None
    due = _due_in(piece)
    return Candidate(kind=TARGET, clause=" ".join(piece.split()), start=span.start, end=span.end, indicator=code,
                     comparator=DONE, due=due.day if due else None, due_text=due.text if due else "")
