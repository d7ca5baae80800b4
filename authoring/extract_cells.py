"""The shape of a table of assignments read from a PDF's text layer, each cell on a line of its own.

A PDF gives such a table with no bars: each cell is a line (or a few), in the columns' order. A numbered row ("3")
is its content ("Đàm phán, ký kết …"), its lead's cell ("Cục Lâm nghiệp …"), its cooperating units' cell ("Vụ Hợp
tác quốc tế; các cơ quan …") and its deadline's ("Thường xuyên"). Rows may be lettered under a numbered group:

    1
    Tổ chức tuyên truyền, phổ biến Nghị định          ← the group's title: no task
    a)
    Tổ chức Hội nghị phổ biến Nghị định.             ← content
    Cục Lâm nghiệp và Kiểm lâm                        ← lead
    Vụ Pháp chế; các cơ quan, đơn vị có liên quan     ← cooperating
    Quý III, IV/2026                                  ← deadline: the last quarter named, 31/12/2026
    b)
    …

Within a row (`cell_rows`): the content runs to the first line, after its own first, opening with a unit's name
(`UNIT_LINE`: "Cục …", "Vụ …", "Viện …", "Sở …", "Các cơ quan …"); each unit's cell runs from a line opening with a
unit's name to the next such line, the first the lead, the others the cooperating units; the deadline is the first
line that is a deadline and nothing else (`deadline_line`). A line opening in lower case goes on with the cell
above. A numbered row whose lines hold no unit's cell and no deadline before its first lettered row is a group.

A page break splits the cells that run over it: their second halves come after the row's deadline, in the columns'
order ("… thẩm định" / "Viện …, Cục" / … / "Quý IV/2026, 2027" / "kết quả giảm phát thải; …" / "Lâm nghiệp và Kiểm
lâm"). A line in lower case goes on with the content; a line after a unit's cell left hanging on a unit's kind or a
joining word ("…, Cục", "… và") goes on with it. A line that fits neither is left out, the row's task reading its
first halves.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from authoring.extract import _Due, _fold
from authoring.extract_duties import UNIT
from authoring.extract_tables import Cell
from core.periods import Quarter, year_last_day

# A line opening with a unit's name: the kinds `extract_duties.UNIT` knows and a ministry's departments ("Vụ Pháp
# chế", "Tổng cục …", "Chi cục …"), not the words that merely open like one ("Ban hành …", "Hội nghị …", "Bộ tiêu chí").
UNIT_LINE = re.compile(
    r"[ \t]*(?!Ban\s+hành|Hội\s+(?:nghị|thảo|thi|diễn)|Bộ\s+(?:tiêu|chỉ|công|dữ|quy|luật|mã|hồ))"
    rf"(?:{UNIT}|Vụ|Tổng\s+cục|Chi\s+cục)\b")
_LETTER = re.compile(r"[ \t]*[a-zđ][).][ \t]*")
_Q = r"(?:IV|I{1,3}|[1-4])"
_Y = r"20\d{2}"
# "Quý III, IV/2026", "Quý IV/2026, 2027", "Quý II và Quý III năm 2026": quarters of a year, then perhaps more years.
_QUARTERS = re.compile(
    rf"Quý\s+(?P<qs>{_Q}(?:\s*(?:,|và|-|–)\s*(?:Quý\s+)?{_Q})*)\s*(?:/|năm)\s*(?P<y>{_Y})"
    rf"(?P<more>(?:\s*(?:,|và|-|–)\s*(?:năm\s+)?{_Y})*)\.?", re.IGNORECASE)
_DEADLINE_LINE = re.compile(
    rf"{_QUARTERS.pattern}"
    rf"|(?:Trước\s+|Trong\s+)?(?:Tháng\s+\d{{1,2}}(?:\s*[,-]\s*\d{{1,2}})*\s*(?:/|năm)\s*|Năm\s+)?{_Y}"
    rf"(?:\s*[-–,]\s*(?:năm\s+)?{_Y})*\.?"
    r"|(?:Trước\s+)?(?:ngày\s+)?\d{1,2}/\d{1,2}/20\d{2}\.?"
    r"|(?:Thực\s+hiện\s+)?(?:thường\s+xuyên|liên\s+tục|h[àằ]ng\s+(?:năm|quý|tháng))(?:,?\s+h[àằ]ng\s+(?:năm|quý|tháng))?\.?"
    r"|Theo\s+lộ\s+trình(?:\s+\S+){0,4}",
    re.IGNORECASE)
# A unit's cell left hanging: its last word a unit's kind or a word joining two names ("…, Cục", "… và").
_HANGING = re.compile(rf"(?:,|;|\bvà|\b(?:{UNIT}|Vụ|Tổng\s+cục|Chi\s+cục))\s*$")


class CellRow(NamedTuple):
    """One row read from lines of cells: its content cell (the task), lead, cooperating units and deadline cell as
    written."""

    content: Cell
    lead: str
    cooperating: str
    due_text: str


class _Line(NamedTuple):
    text: str  # stripped
    start: int
    end: int


def deadline_line(line: str) -> bool:
    """Whether a line is a deadline cell and nothing else: "Quý III, IV/2026", "Năm 2026", "Thường xuyên"."""
    return bool(_DEADLINE_LINE.fullmatch(line.strip()))


def quarters_due(text: str) -> _Due | None:
    """The last day a list of quarters is due by ("Quý III, IV/2026" → the last quarter named, 31/12/2026; "Quý
    IV/2026, 2027", years going on after the quarter → the end of the last year, 31/12/2027), with the words; None
    when the text names no such list."""
    found = _QUARTERS.search(text)
    if not found:
        return None
    years = re.findall(_Y, found["more"] or "")
    if years:
        return _Due(year_last_day(int(years[-1])), _fold(found.group(0)).rstrip("."))
    last = re.findall(_Q, found["qs"])[-1]
    number = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(last.upper()) or int(last)
    return _Due(Quarter(int(found["y"]), number).last_day, _fold(found.group(0)).rstrip("."))


def _lines(chunk: str, offset: int) -> list[_Line]:
    found, position = [], offset
    for raw in chunk.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            begin = position + raw.index(stripped)
            found.append(_Line(stripped, begin, begin + len(stripped)))
        position += len(raw)
    return found


def lettered(chunk: str) -> bool:
    """Whether a row holds rows lettered on lines of their own ("a)", "b)" …) and no bars."""
    return " | " not in chunk and any(_LETTER.fullmatch(line) for line in chunk.splitlines())


def cell_rows(chunk: str, offset: int, *, cooperating: bool = True) -> list[CellRow] | None:
    """The rows a numbered row read from lines of cells holds (`chunk` from its number on, at `offset` in the text):
    its own when its lines before any lettered row are cells, and each lettered row's; None when the chunk is not of
    this shape (bars, or a row that is neither a group nor cells). Without a `cooperating` column every unit's cell
    is the lead's."""
    if " | " in chunk:
        return None
    lines = _lines(chunk, offset)
    if not lines or not re.fullmatch(r"\d{1,2}\.?", lines[0].text):
        return None
    parts: list[list[_Line]] = [[]]
    for line in lines[1:]:
        if _LETTER.fullmatch(line.text):
            parts.append([])
        else:
            parts[-1].append(line)
    found = []
    for index, part in enumerate(parts):
        row = _cells(part, cooperating=cooperating)
        if row:
            found.append(row)
        elif index or len(parts) == 1:
            return None  # a lettered row, or a row with none under it, that is not cells: another shape
    return found or None


def _cells(part: list[_Line], *, cooperating: bool) -> CellRow | None:
    """One row's cells from its lines (see the module's docstring), or None."""
    due_at = next((index for index, line in enumerate(part) if index >= 2 and deadline_line(line.text)), None)
    if due_at is None:
        return None
    units_at = next((index for index in range(1, due_at) if UNIT_LINE.match(part[index].text)), None)
    if units_at is None:
        return None
    content = [part[0], *(line for line in part[1:units_at])]
    units: list[list[str]] = []
    for line in part[units_at:due_at]:
        if UNIT_LINE.match(line.text) and (cooperating or not units):
            units.append([line.text])
        else:
            units[-1].append(line.text)
    cells = [" ".join(unit) for unit in units]
    lead, others = cells[0], "; ".join(cells[1:])
    spill = part[due_at + 1:]
    tail, lead, others = _spill(spill, lead, others)
    text = " ".join(line.text for line in content) + (f" {tail}" if tail else "")
    return CellRow(Cell(text, content[0].start, content[-1].end), lead, others, part[due_at].text)


def _spill(lines: list[_Line], lead: str, others: str) -> tuple[str, str, str]:
    """The second halves a page break left after the deadline, placed in the columns' order: a line in lower case
    goes on with the content, a line after a hanging unit's cell with it; from the first line that fits neither on,
    nothing more is placed. Returns the content's tail, the lead and the cooperating units."""
    tail: list[str] = []
    cells = [lead, others]
    column = 0  # 0 content, 1 lead, 2 cooperating: a later line never goes back to an earlier column
    for line in lines:
        if column == 0 and line.text[:1].islower():
            tail.append(line.text)
            continue
        hanging = next((number for number in (1, 2) if number > column and cells[number - 1]
                        and _HANGING.search(cells[number - 1])), None)
        if hanging is None or line.text[:1].islower():
            break
        cells[hanging - 1] = f"{cells[hanging - 1]} {line.text}"
        column = hanging
    return " ".join(tail), cells[0], cells[1]
