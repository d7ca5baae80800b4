"""The shape of a table of assignments read from Word, where one row's cells run over several lines.

Word gives a table one line per row, its cells separated by " | ". When a row's first cells (its number, its lead
and cooperating units, the group of tasks it belongs to) are merged over several tasks, each further task is a line
of its own holding only the cells that differ: the task, what it achieves and its deadline ("- Rà soát … | - Bộ công
cụ … được ban hành | Giai đoạn 2026 - 2027"). Such a line

- continues the row above it when it has fewer cells than the header, and its last cell is a deadline under a header
  whose last column is the deadline (`continues`): its cells are the row's last columns, and the columns it lacks
  are the row's first line's (`row_lines`);
- is one task of its own (its task cell, one line however many bullets it lists), with the row's lead and
  cooperating units.

Group rows of such a table may be lettered: "A. | BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" (`letter_group`). What each column
holds is read from the header by `authoring.extract_appendix`; a column naming the group of tasks ("Thuộc nhóm nhiệm
vụ") is not the task when the header also has the task's content ("Nội dung nhiệm vụ"). A figure in a line's outcome
or content cell is a target (`cell_targets`).

A table of quantities of work ("TT | Đối tượng | Thông số | Tần suất | … | Tổng số (mẫu)"), its last column a total
and no lead, asks each line for its total, a count (`quantity_targets`), its continuation lines too.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from authoring.extract import (
    AT_LEAST,
    COUNT,
    DONE,
    TARGET,
    Candidate,
    _Due,
    _due_in,
    _fold,
    _Guesser,
    _Measure,
    _measures,
)

SEPARATOR = " | "
# The deadline cell a continuation line ends with: a year, a period, or work that goes on ("thường xuyên").
_DEADLINE_CELL = re.compile(
    r"20\d{2}|thường\s+xuyên|liên\s+tục|h[àằ]ng\s+(?:năm|quý|tháng)|\bquý\s+(?:IV|I{1,3}|[1-4])\b", re.IGNORECASE)
_DEADLINE_WORDS = 40  # a cell longer than this is content that mentions a year, not a deadline
# A lettered group row: "A. | BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", its title in capitals and no other cell.
_LETTER_GROUP = re.compile(r"[ \t]*[A-ZĐ]\.[ \t]*\|[ \t]*(?P<title>[^|\n]*[^\W\d_][^|\n]*?)[ \t]*$")
# "02 Lớp tập huấn được tổ chức": a counted product, a milestone.
COUNTED = re.compile(r"0\d\s+\w")
_OUTPUT_ITEM = re.compile(r"(?:^|(?<=\s)|(?<=\.))[-–+•]\s+")
_NUMBERED = re.compile(r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[A-ZĐ])\.?[ \t]*\|")


class Cell(NamedTuple):
    """One cell of a line: its text as written and its span in the text."""

    text: str
    start: int
    end: int


class Item(NamedTuple):
    """One product of a row, its bullet dropped, and its span (bullet included) in the row's product text."""

    text: str
    start: int
    end: int


def outputs(chunk: str) -> list[Item]:
    """The products a cell lists ("- A - B", or one per line), or the whole cell when it lists none."""
    markers = [match.start() for match in _OUTPUT_ITEM.finditer(chunk)]
    if not markers or chunk[:markers[0]].strip():
        markers = [len(chunk) - len(chunk.lstrip()), *markers]
    items = []
    for index, begin in enumerate(markers):
        finish = markers[index + 1] if index + 1 < len(markers) else len(chunk)
        raw = chunk[begin:finish].rstrip()
        text = _fold(_OUTPUT_ITEM.sub("", raw, count=1) if _OUTPUT_ITEM.match(raw) else raw)
        if text and text != "-":
            items.append(Item(text, begin, begin + len(raw)))
    return items


def letter_group(line: str) -> bool:
    """Whether `line` is a lettered group row ("A. | BỘ XÂY DỰNG")."""
    group = _LETTER_GROUP.match(line.rstrip("\r\n"))
    return bool(group) and group["title"] == group["title"].upper()


def cells(line: str, offset: int = 0) -> list[Cell]:
    """The cells of one line of a table read from Word, each with its span (`offset` is where the line starts)."""
    found, start = [], 0
    line = line.rstrip("\r\n")
    for part in line.split(SEPARATOR):
        stripped = part.strip()
        begin = start + (part.index(stripped) if stripped else 0)
        found.append(Cell(stripped, offset + begin, offset + begin + len(stripped)))
        start += len(part) + len(SEPARATOR)
    return found


def continues(line: str, columns: tuple[str, ...]) -> bool:
    """Whether `line` carries on the row above: not numbered, fewer cells than the header, ending with a deadline
    cell under a header whose last column is the deadline."""
    if SEPARATOR not in line or _NUMBERED.match(line) or not columns or columns[-1] != "due":
        return False
    found = cells(line)
    last = found[-1].text
    return (1 < len(found) < len(columns) and bool(_DEADLINE_CELL.search(last))
            and len(last.split()) <= _DEADLINE_WORDS)


def row_lines(chunk: str, offset: int, columns: tuple[str, ...]) -> list[dict[str, Cell]]:
    """The lines of one row (`chunk`, at `offset` in the text), each as its cells by column name: the first line's
    from the left (the number cell, or without it under a number merged above), a continuation line's from the
    right, the columns it lacks taken from the first line."""
    lines = chunk.splitlines(keepends=True)
    if not lines:
        return []
    first = cells(lines[0], offset)
    if not _NUMBERED.match(lines[0]):  # a row under a merged number cell: its first cell is the next column's
        first = [Cell("", offset, offset), *first]
    head = {name: cell for name, cell in zip(columns, first, strict=False) if name}
    found = [head]
    position = offset + len(lines[0])
    for line in lines[1:]:
        if continues(line, columns):
            own = cells(line, position)
            named = dict(head)
            named.update({name: cell for name, cell in zip(columns[len(columns) - len(own):], own, strict=True)
                          if name})
            found.append(named)
        position += len(line)
    return found


def cell_targets(cell: Cell, task: Candidate, guesser: _Guesser, *, counted: bool) -> list[Candidate]:
    """A target for each figure the items of an outcome or content `cell` set, the whole cell its clause (the cell
    is what the row asks, its bullets parts of one answer), due when the item says ("… vào năm 2030") or else when
    `task` is; in an outcome cell a counted product ("02 lớp tập huấn được tổ chức") is a milestone."""
    found = []
    clause = _fold(cell.text)
    for item in outputs(cell.text):
        measures = _measures(item.text) or (
            [_Measure(DONE, None, None, None)] if counted and COUNTED.match(item.text) else [])
        own = _due_in(item.text) if measures else None  # "… vào năm 2030: Hà Nội có tối thiểu 200 công trình"
        for measure in measures:
            found.append(Candidate(kind=TARGET, clause=clause, start=cell.start, end=cell.end,
                                   indicator=guesser.guess(item.text, measure.comparator),
                                   comparator=measure.comparator, value=measure.value, value_max=measure.value_max,
                                   measure=measure.measure, due=own.day if own else task.due,
                                   due_text=own.text if own else task.due_text))
    return found


def has_continuations(chunk: str, columns: tuple[str, ...]) -> bool:
    """Whether the row in `chunk` runs over more than its first line."""
    return any(continues(line, columns) for line in chunk.splitlines()[1:])


# --- tables of quantities -----------------------------------------------------------------------------------------

# The last column of a table of quantities of work: "Tổng số (mẫu)", "Tổng cộng".
_TOTAL_COLUMN = re.compile(r"^\s*tổng\s+(?:số|cộng)\b", re.IGNORECASE)
_WHOLE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*|\d{1,6}")


class Quantity(NamedTuple):
    """One line of a table of quantities: the line as written, its span, and the total its last cell gives."""

    clause: str
    start: int
    end: int
    total: int


def quantities(header: str) -> bool:
    """Whether a header is that of a table of quantities of work (what is monitored, how often, how many samples),
    its last column the total each line asks for ("Tổng số (mẫu)")."""
    return bool(_TOTAL_COLUMN.match(header.split("|")[-1]))


def quantity_lines(chunk: str, offset: int) -> list[Quantity]:
    """The lines of one row of a table of quantities (`chunk`, at `offset` in the text) whose last cell is a whole
    number: the row's own line and each line continuing it ("- Kim loại nặng | 02 lần/năm | … | 15 | 30")."""
    found = []
    position = offset
    for line in chunk.splitlines(keepends=True):
        own = cells(line, position) if SEPARATOR in line else []
        if len(own) > 1 and _WHOLE_NUMBER.fullmatch(own[-1].text):
            total = int(own[-1].text.replace(".", ""))
            if total:
                found.append(Quantity(" ".join(line.split()), own[0].start, own[-1].end, total))
        position += len(line)
    return found


def quantity_targets(chunk: str, offset: int, period: _Due | None, guesser: _Guesser) -> list[Candidate]:
    """One count per line of a row of a table of quantities: at least its total, due by the period its group names
    (else the plan's year)."""
    return [Candidate(kind=TARGET, clause=line.clause, start=line.start, end=line.end,
                      indicator=guesser.guess(line.clause, AT_LEAST), comparator=AT_LEAST, value=Decimal(line.total),
                      measure=COUNT, due=period.day if period else None, due_text=period.text if period else "")
            for line in quantity_lines(chunk, offset)]
