"""The appendix tables of a plan's text: what `authoring.extract` reads after the body.

An appendix opens on a line "PHỤ LỤC …" (or "Phụ lục II", "Phụ lục số 01: …", not "Phụ lục kèm theo") and runs
to the next one or the end of the text. It is read only if it is a table of numbered rows ("1", "2" … at a line's
start, or "1 | …" in a table read from Word), numbered in one sequence or again from 1 in each group ("I | Hoàn
thiện thể chế", "II NHÓM NHIỆM VỤ …", "I.1 | …", and between the rows of a table read from Word "II. Xã hội số"),
a group's one row perhaps numbered as the group ("3" under "III"). What a table holds is read from its header row:

- a table of assignments, with a lead column ("Cơ quan chủ trì"), gives one task per row (content, lead unit,
  cooperating units, deadline, product), and a target for each percentage or counted product in it;
- a table of indicators each assigned to a lead ("TT | Chỉ tiêu | Chủ trì", no value column) gives a target for
  a row that sets a figure ("… đạt 80%", "tối thiểu 05 kịch bản"), not a task, and a task for a row with none;
- a table of targets, whose rows name an indicator ("Chỉ tiêu", with "Đơn vị" and "Kết quả" or one column per
  year) and no lead, gives targets: the value in the row, due by its year column, its deadline column, or the
  period its group names ("I | Giai đoạn 2025-2027"). A column "Cơ quan chủ trì theo dõi" beside an indicator
  is who follows it, not a lead.

A table of assignments whose rows run over several lines ("1 | lead | cooperating | group | task | outcome |
deadline", then "- task | - outcome | deadline") gives one task per line (`authoring.extract_tables`), its task
from the content column ("Nội dung nhiệm vụ") rather than the group's ("Thuộc nhóm nhiệm vụ"), and a target for each
figure in its outcome ("Chỉ tiêu đạt được") or content ("Nội dung chính", beside "Tên dự án") cell. A table of
quantities of work, its last column a total ("Tổng số (mẫu)") and no lead, gives a count per line.

A scoring sheet ("STT | Tiêu chí | Điểm chuẩn | Hướng dẫn chấm điểm", "Thang điểm", "Điểm tối đa") holds criteria
with points for judging a campaign: neither targets nor tasks (`scoring_sheets`, blanked out of the body). A row of a
table read from Word without a number of its own ("Xây dựng hạ tầng dự phòng … | Trung tâm …", under the number
cell merged above it) is a row of its own, its cells from the second column on.

A table read from Word has one row per line, cells separated by " | "; a table from a PDF's text layer has its
cells on lines of their own (a unit's name opens the units' cell, a deadline ends it), also a cell a line, rows
lettered "a)", "b)" under a numbered group's title (`authoring.extract_cells`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from authoring.extract import (
    _ROMAN_NUMBER,
    AMOUNT,
    AT_LEAST,
    COUNT,
    DONE,
    PERCENT,
    TARGET,
    TASK,
    Candidate,
    _Due,
    _due_in,
    _fold,
    _Guesser,
    _Measure,
    _measures,
)
from authoring.extract_cells import cell_rows, lettered, quarters_due
from authoring.extract_figures import GROUPED, quantity_number, unit_of_measure
from authoring.extract_tables import (
    COUNTED,
    Cell,
    Item,
    cell_targets,
    continues,
    has_continuations,
    letter_group,
    outputs,
    quantities,
    quantity_targets,
    row_lines,
)
from core.periods import year_last_day

TASKS = "tasks"
TARGETS = "targets"
# A table naming an indicator for each row and who leads it, with no value column ("TT | Chỉ tiêu | Chủ trì"): a row
# whose text sets a figure ("… đạt 80%", "tối thiểu 05 kịch bản") is a target, one without is a task.
ASSIGNED_TARGETS = "assigned targets"
POINTS = "points"  # a scoring sheet: read for nothing
# A table of quantities of work, its last column the total each line asks for ("Tổng số (mẫu)"): one count each.
QUANTITIES = "quantities"

_APPENDIX = re.compile(r"^[ \t]*(?:PHỤ[ \t]+LỤC\b|Phụ[ \t]+lục[ \t]+(?:số[ \t]+)?(?:[IVX]{1,4}|\d{1,2})\b[ \t]*"
                       r"(?:[:.\-–][^\n]*)?$)", re.MULTILINE)
# A group heading inside a table: "I | Giai đoạn 2025-2027", "I.1 | …", or in capitals "II NHÓM NHIỆM VỤ …".
_GROUP_CELL = re.compile(r"[ \t]*(?P<number>[IVX]{1,4}(?:\.\d{1,2})*)\.?[ \t]*\|[ \t]*(?P<title>[^|\n]*)")
_GROUP_LINE = re.compile(r"[IVX]{1,4}\.?\s+\w")
# A row with no number of its own in a table read from Word: its text, then at least one more cell filled.
_UNNUMBERED = re.compile(r"[ \t]*[^\W\d_][^|\n]{10,}\|[ \t]*[^\s|-][^\n]*$")
_ROW = re.compile(r"^\s*(?P<n>\d{1,2})(?:\s+(?P<rest>\S.*))?$")
# A row of a table read from Word: "1 | …", "1. | …", "1.2 | …".
_PIPE_NUMBER = re.compile(r"[ \t]*(?P<n>\d{1,2}(?:\.\d{1,2})*)\.?[ \t]*\|(?P<rest>[^\n]*)")
_UNIT_NAME = (r"(?:Phòng|Ban(?![ \t]+hành)|Các[ \t]+phòng|Các[ \t]+ban|Các[ \t]+cơ[ \t]+quan|Các[ \t]+đơn[ \t]+vị|"
              r"Văn[ \t]+phòng|Đảng[ \t]+[uủ][ỷy]|UBND|[ỦU][yỷ][ \t]+ban|Sở|Trung[ \t]+tâm|Công[ \t]+an|"
              r"Các[ \t]+chi[ \t]+bộ)\b")
# A unit's cell opens a line of the text a PDF gives; inside the cell, the next unit named opens the next one.
_UNIT_START = re.compile(rf"^[ \t]*{_UNIT_NAME}", re.MULTILINE)
_UNIT_NEXT = re.compile(rf"(?:^|(?<=\s)){_UNIT_NAME}")
_ROW_DUE = re.compile(
    r"(?:Hoàn\s+thành\s+trong\s+)?Quý\s+(?:IV|I{1,3}|[1-4])(?:\s+và\s+Quý\s*(?:IV|I{1,3}|[1-4]))?\s*/\s*\d{4}"
    r"|(?:Thực\s+hiện\s+)?[Tt]hường\s+xuyên(?:,\s*báo\s+cáo\s+hàng\s+(?:quý|tháng|năm))?"
    r"|Theo\s+lộ\s+trình(?:\s+\w+)?|Năm\s+20\d{2}|Tháng\s+\d{1,2}\s*/\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}"
    r"|Không\s+ghi\s+thời\s+hạn"
)
_SIGNATURE = re.compile(r"^\s*(?:Nơi\s+nhận|T/M|K/T)\b")
_TABLE_HEADER = re.compile(r"^[ \t]*(?:STT|TT)\b.*?(?:Sản\s+phẩm|Kết\s+quả)[^\n]*$",
                           re.IGNORECASE | re.MULTILINE | re.DOTALL)
_PIPE_HEADER = re.compile(r"^[ \t]*(?:STT|TT)\b[^\n]*\|[^\n]*$", re.MULTILINE | re.IGNORECASE)
# The period a group heading names: "Giai đoạn 2025-2027" → 2027, "Năm 2026" → 2026.
_GROUP_YEAR = re.compile(r"(?:giai\s+đoạn|năm|đến)\s+(?:20\d{2}\s*[-–]\s*)?(?P<y>20\d{2})", re.IGNORECASE)


class _Row(NamedTuple):
    number: int
    start: int
    end: int
    period: _Due | None = None  # the year the row's groups name, if any


class Appendix(NamedTuple):
    """One appendix table: where it starts and ends in the text, what it holds (`TASKS` or `TARGETS`), its rows."""

    start: int
    end: int
    holds: str
    rows: list[_Row]


# --- the tables ---------------------------------------------------------------------------------------------------


# A signature block read from Word is one line of cells: the distribution list, the signature, then the appendix's
# title and its header row ("Nơi nhận: … | TM. ỦY BAN NHÂN DÂN … | PHỤ LỤC … | TT | Nội dung | Cơ quan chủ trì | …").
_GLUED_TITLE = re.compile(r"^[^\n]*\|[ \t]*PHỤ[ \t]+LỤC\b[^\n]*", re.MULTILINE)
_GLUED_CUT = re.compile(r"\|(?=[ \t]*PHỤ[ \t]+LỤC\b)|\|(?=[ \t]*S?TT[ \t]*\|)")
# A gap in a table where a page was lost, a cell of dots ("… | …............ | 2 | Thành lập …"): the rows after it
# open a line of their own, and their number need not follow the row before (the group headings between are lost).
_GAP = r"[ \t]*…?\.{5,}[.…]*[ \t]*"
_GAP_CELL = re.compile(rf"\|(?={_GAP}\|)|(?<=\.)[ \t]*\|(?=[ \t]*\d{{1,2}}[ \t]*\|)")
_GAP_LINE = re.compile(rf"^{_GAP}$")


# A table written the way Markdown writes one ("| TT | Nhiệm vụ | … |", "| --- | --- |", "| 1. | Hoàn thiện … |"), as
# tools that turn a Word document into text give it: its rows read as the portal's own ("1. | Hoàn thiện … | …").
_MARKDOWN_ROW = re.compile(r"^[ \t]*\|(?P<cells>.*)\|[ \t]*$", re.MULTILINE)
_MARKDOWN_RULE = re.compile(r"[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*")


def unpiped(text: str) -> str:
    """`text` with each Markdown table row's outer bars, and each rule under a header, turned into spaces: the cells
    then read as any other table's, and offsets stay the same."""
    def row(match: re.Match) -> str:
        line = match.group(0)
        if _MARKDOWN_RULE.fullmatch(match["cells"]):
            return " " * len(line)
        first, last = line.index("|"), line.rindex("|")
        return f"{line[:first]} {line[first + 1:last]} {line[last + 1:]}"

    return _MARKDOWN_ROW.sub(row, text) if "|" in text else text


def unglued(text: str) -> str:
    """`text` with an appendix's title and header row glued to the signature's cells each opening a line of its own:
    the bar before each turned into a line break, so that offsets stay the same."""
    text = _GLUED_TITLE.sub(lambda line: _GLUED_CUT.sub("\n", line.group(0)), text)
    return _GAP_CELL.sub("\n", text) if "....." in text else text


def appendices(text: str) -> list[Appendix]:
    """The appendix tables of `text`, in order. A line starting "Phụ lục" that no table of numbered rows follows is
    only a mention, and so is a table that holds neither assignments (no lead column) nor indicators."""
    heads = [match.start() for match in _APPENDIX.finditer(text)]
    found = []
    for index, start in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(text)
        holds = _holds(text[start:end])
        rows = _rows(text, start, end) if holds else []
        if rows:
            found.append(Appendix(start, end, holds, rows))
    return found


def body_tables(text: str, end: int) -> list[Appendix]:
    """The tables inside the body (before `end`), with no "PHỤ LỤC" heading: from a header row read from Word ("TT |
    Chỉ tiêu | …", "STT | Nhiệm vụ | Cơ quan chủ trì | …") to the last line with cells. The body is read without
    them."""
    found: list[Appendix] = []
    for header in _PIPE_HEADER.finditer(text, 0, end):
        if found and header.start() < found[-1].end:
            continue
        stop = _cells_end(text, header.end(), end)
        holds = _header_holds(header.group(0))
        rows = _rows(text, header.start(), stop) if holds else []
        if rows:
            found.append(Appendix(header.start(), stop, holds, rows))
    return found


def _cells_end(text: str, start: int, end: int) -> int:
    """Where the table that goes on at `start` ends: after its last line with cells (blank lines inside it kept)."""
    stop = start
    for line in text[start:end].splitlines(keepends=True):
        if line.strip() and "|" not in line:
            break
        stop += len(line)
    return stop


def scoring_sheets(text: str, end: int) -> list[Appendix]:
    """The scoring sheets before `end` (a header row read from Word naming points, "STT | Tiêu chí | Điểm chuẩn |
    Hướng dẫn chấm điểm", to the last line with cells): they set no target and assign no task, so the body is read
    without them, and no clause spans one."""
    found: list[Appendix] = []
    for header in _PIPE_HEADER.finditer(text, 0, end):
        if not _POINTS.search(header.group(0)) or (found and header.start() < found[-1].end):
            continue
        stop = _cells_end(text, header.end(), end)
        found.append(Appendix(header.start(), stop, POINTS, []))
    return found


def _holds(section: str) -> str | None:
    """What a table holds, from its header: indicators with values, or assignments with a lead unit ("Cơ quan chủ
    trì", "Đơn vị thực hiện"); a table from a PDF, whose header is not in cells, is one of assignments if it names
    "chủ trì"."""
    header = _PIPE_HEADER.search(section)
    holds = _header_holds(header.group(0)) if header else None
    if holds or (header and _POINTS.search(header.group(0))):
        return holds
    return TASKS if re.search(r"chủ\s+trì", section, re.IGNORECASE) else None


# A scoring sheet ("Tiêu chí | Điểm chuẩn | Hướng dẫn chấm điểm", "Thang điểm", "Điểm tối đa"): criteria with points,
# for judging an emulation campaign, not targets to meet nor tasks to do.
_POINTS = re.compile(r"(?<!\w)(?:điểm\s+(?:chuẩn|tối\s+đa|số)|thang\s+điểm|chấm\s+điểm|số\s+điểm)(?!\w)"
                     r"|(?:^|\|)\s*điểm\s*(?:\||$)", re.IGNORECASE | re.MULTILINE)


def _header_holds(header: str) -> str | None:
    if _POINTS.search(header):
        return None
    columns = _target_columns(header)
    if _is_target_table(columns):
        return TARGETS
    if any(_LEAD_COLUMN.search(cell) for cell in header.split("|")):
        return ASSIGNED_TARGETS if "title" in columns else TASKS
    return QUANTITIES if quantities(header) else None


def _rows(text: str, start: int, end: int) -> list[_Row]:
    """The numbered rows of the table between `start` and `end`: each starts at its number, the next in sequence or
    1 again after a group heading, and runs to the next row (the last one to the signature or the table's end)."""
    starts: list[tuple[int, int, _Due | None]] = []
    groups: dict[int, _Due | None] = {}
    grouped = 0  # after a group heading: its number ("III" 3), the number its only row may carry instead of 1
    bare = False  # in a row whose number stands alone on its line, before its first line with cells
    stop = end
    lines = text[start:end].splitlines(keepends=True)
    header = _PIPE_HEADER.search(text, start, end)
    cells = bool(header)
    columns = _header_columns(header.group(0)) if header else ()
    offset = start + len(lines[0]) if lines else start  # the heading "PHỤ LỤC …" itself
    for line in lines[1:]:
        begin = offset
        offset += len(line)
        if _SIGNATURE.match(line):
            stop = begin
            break
        if _GAP_LINE.match(line.rstrip("\r\n")):
            grouped = -2  # after a lost page, the next row carries whatever number it had
            continue
        level = 0 if grouped == -2 and _PIPE_NUMBER.match(line) else _group_level(line, cells=cells)
        if level:
            groups = {depth: due for depth, due in groups.items() if depth < level}
            groups[level] = _group_year(line)
            grouped = _group_number(line) or -1
            continue
        match = _ROW.match(line.rstrip("\r\n")) or _PIPE_NUMBER.match(line)
        number = int(match["n"].rsplit(".", 1)[-1]) if match else 0  # "1.2 | …" is the second row of group 1
        last = starts[-1][0] if starts else 0
        if not match and bare and "|" in line:  # the first line with cells of a row whose number stands alone
            bare = False
            continue
        if not match and cells and starts and _unnumbered_row(line, columns, grouped=bool(grouped)):
            # "Xây dựng hạ tầng dự phòng … | Trung tâm …": a row of its own under the number cell merged above it.
            starts.append((last, begin + len(line) - len(line.lstrip()), starts[-1][2]))
            grouped = 0
            continue
        # After "III | Phát triển nền tảng số", its rows start at 1 ("1", "3.1"), or its one row is "3".
        if match and (number == last + 1 or (grouped and number in (1, grouped)) or grouped == -2):
            period = next((due for _, due in sorted(groups.items(), reverse=True) if due), None)
            starts.append((number, begin + line.index(match["n"]), period))
            grouped = 0
            bare = not match.group(0).strip().replace(match["n"], "", 1).strip(" .|")
    return [_Row(number, row_start, starts[index + 1][1] if index + 1 < len(starts) else stop, period)
            for index, (number, row_start, period) in enumerate(starts)]


def _unnumbered_row(line: str, columns: tuple[str, ...], *, grouped: bool) -> bool:
    """Whether a line with cells and no number is a row of its own under a number cell merged above it: every cell
    but the number's filled (also right after a group row), or, in a table whose rows do not run over several
    lines, a task and at least one more cell. A line opening with a unit's name where the task column comes first
    ("Ủy ban nhân dân các tỉnh | Đài …": more units of the row above) is no row, and a line that `continues` its row
    is part of it."""
    if not _UNNUMBERED.match(line) or continues(line, columns):
        return False
    width = len(line.split(" | "))
    if columns and width >= len(columns) - 1:
        return True
    units_only = len(columns) > 1 and columns[1] == "title" and _UNIT_START.match(line)
    return not grouped and not units_only


def _group_level(line: str, *, cells: bool = False) -> int:
    """How deep a group heading is ("I" 1, "I.1" 2; "1 | NHÓM …" with no other cell filled 11, under the Roman
    ones), or 0 for a line that is not one. A line opening with a Roman number is a group heading in capitals ("II
    NHÓM NHIỆM VỤ …"), or in any case between the rows of a table read from Word (`cells`: "II. Xã hội số", alone
    or with its other cells empty, "II. Xã hội số | - | -")."""
    cell = _GROUP_CELL.match(line)
    if cell:
        return cell["number"].count(".") + 1
    if letter_group(line):
        return 1
    numbered = _PIPE_NUMBER.match(line)
    if numbered and sum(bool(_cell(part)) for part in numbered["rest"].split("|")) <= 1:
        return 11 + numbered["n"].count(".")
    stripped = line.strip()
    others = stripped.split("|")[1:]
    if _GROUP_LINE.match(stripped) and (stripped == stripped.upper() or (cells and not any(map(_cell, others)))):
        return 1
    return 0


def _group_number(line: str) -> int:
    """The number a group heading gives its group: "III | …" 3, "I.2 | …" 2, "2 | NHÓM …" 2 (0 if none)."""
    number = re.match(r"\s*(?P<n>[IVX]{1,4}|\d{1,2})(?:\.(?P<sub>\d{1,2}))*\b", line)
    if not number:
        return 0
    if number["sub"]:
        return int(number["sub"])
    return int(number["n"]) if number["n"].isdigit() else _ROMAN_NUMBER.get(number["n"], 0)


def _group_year(line: str) -> _Due | None:
    year = _GROUP_YEAR.search(line)
    return _Due(year_last_day(int(year["y"])), _fold(year.group(0))) if year else None


def appendix_candidates(text: str, appendix: Appendix, row: _Row, guesser: _Guesser) -> list[Candidate]:
    """What one row of `appendix` proposes."""
    if appendix.holds == TARGETS:
        return _target_row(text, row, guesser)
    if appendix.holds == QUANTITIES:
        return quantity_targets(_row_text(text, row), row.start, row.period, guesser)
    found = _task_row(text, row, guesser)
    if appendix.holds == ASSIGNED_TARGETS and found and any(c.clause == found[0].clause for c in found[1:]):
        # "Tỷ lệ … đạt 80% | Sở Y tế": the row sets a figure for its lead to reach, a target and not a task.
        return found[1:]
    return found


# --- tables of assignments ----------------------------------------------------------------------------------------


def _row_text(text: str, row: _Row) -> str:
    """The row's text with repeated table headers, group headings ("II NHÓM NHIỆM VỤ …") and bare page numbers
    blanked out, so that offsets into it are offsets into the text."""
    chunk = text[row.start:row.end]

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    chunk = _TABLE_HEADER.sub(blank, chunk)
    lines = chunk.splitlines(keepends=True)
    for index, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        if re.fullmatch(r"\d{1,3}", stripped) or _group_level(line) or _GAP_LINE.match(stripped):
            lines[index] = re.sub(r"[^\n]", " ", line)
    return "".join(lines)


def _task_row(text: str, row: _Row, guesser: _Guesser) -> list[Candidate]:
    chunk = _row_text(text, row)
    paragraphs = _paragraph_cells(text, row, chunk)
    if paragraphs:
        return _paragraph_row(row, paragraphs, guesser)
    if " | " in chunk:
        return _pipe_row(text, row, chunk, guesser)
    lettered_rows = _cell_rows(text, row, chunk, guesser) if lettered(chunk) else []
    if lettered_rows:  # "1" / a group's title / "a)" / content / lead / cooperating / deadline / "b)" …
        return lettered_rows
    number = re.match(r"\s*\d{1,2}\s*", chunk)
    body_start = number.end() if number else 0
    unit = _UNIT_START.search(chunk, body_start)
    due = _ROW_DUE.search(chunk, unit.end() if unit else body_start)
    if not unit or not due or due.start() < unit.start():
        return _cell_rows(text, row, chunk, guesser)
    title = _fold(chunk[body_start:unit.start()])
    lead, cooperating = _units_split(chunk[unit.start():due.start()])
    output_start = due.end()
    output = outputs(chunk[output_start:])
    title_end = row.start + body_start + len(chunk[body_start:unit.start()].rstrip())
    return _row_records(
        row=row, title=(title, row.start + body_start, title_end),
        lead=lead, cooperating=cooperating, due_text=_fold(due.group(0)), output=output,
        output_offset=row.start + output_start, chunk=chunk[output_start:], guesser=guesser,
    )


def _cell_rows(text: str, row: _Row, chunk: str, guesser: _Guesser) -> list[Candidate]:
    """A row read from a PDF whose cells stand on lines of their own, perhaps lettered rows under a numbered group
    (`authoring.extract_cells`): a task for each row with cells, none for the group's title."""
    found: list[Candidate] = []
    columns = _pipe_columns(text, row)
    for cells in cell_rows(chunk, row.start, cooperating="cooperating" in columns) or ():
        content = cells.content
        found.extend(_row_records(row=row, title=(_fold(content.text), content.start, content.end),
                                  lead=_cell(cells.lead), cooperating=_cell(cells.cooperating),
                                  due_text=_cell(cells.due_text), output=[], output_offset=0, chunk="",
                                  guesser=guesser, measured=False))
    return found


# Between a row's cells of a table read from a PDF page: a bar, or a blank line where the page lost the bar.
_CELL_BREAK = re.compile(r"[ \t]*\|[ \t]*|[ \t]*\n[ \t]*\n\s*")


def _paragraph_cells(text: str, row: _Row, chunk: str) -> dict[str, Cell] | None:
    """The cells of a row of a table read from Word that runs over blank lines, a page having lost some of its bars
    ("4", then "Rà soát …", then "Ban Chỉ huy … | Cơ quan có liên quan | Tháng 12 hằng năm | Báo cáo …"), each
    between bars or blank lines, named by the header's columns; None for a row on one line, or whose cells are not
    as many as the columns after the number (all, or all but the last)."""
    body = chunk.rstrip()
    number = re.match(r"\s*\d{1,2}(?:\.\d{1,2})*\.?(?:[ \t]*\|)?\s*", body)
    if not number or " | " not in body or not re.search(r"\n[ \t]*\n", body[number.end():]):
        return None
    columns = _pipe_columns(text, row)
    if "number" not in columns[:1] and columns[:1] != ("",):
        return None
    cells, start = [], number.end()
    for separator in [*_CELL_BREAK.finditer(body, number.end()), None]:
        end = separator.start() if separator else len(body)
        cells.append(Cell(body[start:end], row.start + start, row.start + end))
        start = separator.end() if separator else end
    if len(cells) not in (len(columns) - 1, len(columns) - 2) or not cells[0].text.strip():
        return None
    return dict(zip(columns[1:], cells, strict=False))


def _paragraph_row(row: _Row, named: dict[str, Cell], guesser: _Guesser) -> list[Candidate]:
    title = named["title"] if "title" in named else None
    if title is None:
        return []
    items = outputs(named["output"].text) if "output" in named else []
    return _row_records(row=row, title=(_fold(title.text), title.start, title.end),
                        lead=_cell(_fold(_text(named, "lead"))), cooperating=_cell(_fold(_text(named, "cooperating"))),
                        due_text=_cell(_fold(_text(named, "due"))), output=items, output_offset=0, chunk="",
                        guesser=guesser, measured=False)


def _units_split(units: str) -> tuple[str, str]:
    """Lead and cooperating units: the first unit named, then the rest (a blank line or the next unit name parts)."""
    units = units.strip()
    blank_line = re.search(r"\n\s*\n", units)
    following = _UNIT_NEXT.search(units, 1)
    cut = min(filter(None, (blank_line.start() if blank_line else None, following.start() if following else None)),
              default=None)
    if cut is None:
        return _fold(units), ""
    return _fold(units[:cut]), _fold(units[cut:])


def _row_records(*, row: _Row, title: tuple[str, int, int], lead: str, cooperating: str, due_text: str,
                 output: list[Item], output_offset: int, chunk: str, guesser: _Guesser,
                 measured: bool = True) -> list[Candidate]:
    """The row's task and the targets its task cell sets, and, when `measured`, those each product sets; a deadline
    cell of a bare year or period ("2030", "2026 - 2030") is due by the end of its last year."""
    due = _row_due(due_text, bare=True) or row.period
    clause, start, end = title
    task = Candidate(kind=TASK, clause=clause, start=start, end=end, indicator=guesser.guess(clause, DONE),
                     comparator=DONE, due=due.day if due else None, due_text=due_text, lead=lead,
                     cooperating=cooperating, output="\n".join(f"- {item.text}" for item in output))
    found = [task]
    for measure in _measures(clause):
        found.append(Candidate(kind=TARGET, clause=clause, start=start, end=end,
                               indicator=guesser.guess(clause, measure.comparator), comparator=measure.comparator,
                               value=measure.value, value_max=measure.value_max, measure=measure.measure,
                               due=task.due, due_text=due_text))
    for item in output if measured else ():
        # "02 Lớp tập huấn được tổ chức": a counted product is a milestone due when the row is.
        measures = _measures(item.text) or ([_Measure(DONE, None, None, None)] if COUNTED.match(item.text) else [])
        for measure in measures:
            found.append(Candidate(kind=TARGET, clause=_fold(chunk[item.start:item.end]),
                                   start=output_offset + item.start, end=output_offset + item.end,
                                   indicator=guesser.guess(item.text, measure.comparator),
                                   comparator=measure.comparator, value=measure.value, value_max=measure.value_max,
                                   measure=measure.measure, due=task.due, due_text=due_text))
    return found


def _row_due(due_text: str, *, bare: bool = False) -> _Due | None:
    """A row's deadline: a list of quarters ("Quý III, IV/2026": the last one's end; "Quý IV/2026, 2027": the last
    year's), as a clause writes it, or "Năm 2026" / "Năm 2025-2026" (the end of the last year); with `bare`, also a
    cell of a year or period alone ("2030", "2026 - 2030")."""
    quarters = quarters_due(due_text)
    if quarters:
        return quarters
    years = re.match(r"Năm\s+(?:20\d{2}\s*[-–]\s*)?(?P<y>20\d{2})", due_text) or (
        re.fullmatch(r"(?:20\d{2}\s*[-–]\s*)?(?P<y>20\d{2})\.?", due_text) if bare else None)
    found = (_Due(year_last_day(int(years["y"])), due_text) if years else None) or _due_in(due_text)
    before = None if found else re.search(r"trước\s+năm\s+(?P<y>20\d{2})", due_text, re.IGNORECASE)
    # "Trước năm 2030": done by the end of the year before.
    return _Due(year_last_day(int(before["y"]) - 1), _fold(before.group(0))) if before else found


_LEAD_COLUMN = re.compile(r"chủ\s+trì|(?:đơn\s+vị|cơ\s+quan|bộ\s+phận|người)\s+(?:thực\s+hiện|phụ\s+trách)",
                          re.IGNORECASE)
_COLUMNS = (  # a header cell's words → what the column holds; the first that fits wins
    ("lead", _LEAD_COLUMN),
    ("cooperating", re.compile(r"phối\s+hợp", re.IGNORECASE)),
    # "Chỉ tiêu đạt được": what the task achieves, an outcome like a product.
    ("output", re.compile(r"sản\s+phẩm|kết\s+quả|chỉ\s+tiêu\s+(?:cần\s+|phải\s+)?đạt", re.IGNORECASE)),
    ("due", re.compile(r"thời\s+(?:gian|hạn)|hoàn\s+thành|tiến\s+độ", re.IGNORECASE)),
    # "Thuộc nhóm nhiệm vụ, hành động": the group a task belongs to, the task only when no other column names it.
    ("group", re.compile(r"^\s*(?:thuộc\s+)?nhóm\b", re.IGNORECASE)),
    ("title", re.compile(r"nội\s+dung|nhiệm\s+vụ|công\s+việc|chỉ\s+tiêu", re.IGNORECASE)),
)
_DEFAULT_COLUMNS = ("number", "title", "lead", "cooperating", "due", "output")


def _header_above(text: str, row: _Row) -> str | None:
    header = None
    for match in _PIPE_HEADER.finditer(text[:row.start]):
        header = match.group(0)
    return header


def _pipe_columns(text: str, row: _Row) -> tuple[str, ...]:
    """What each column of a " | " table holds, read from the last header row above `row`."""
    header = _header_above(text, row)
    return _DEFAULT_COLUMNS if header is None else _header_columns(header)


def _header_columns(header: str) -> tuple[str, ...]:
    """What each column holds, by its header cell's words (`_COLUMNS`). Beside the task's name ("Tên dự án, nhiệm
    vụ"), a column of its content ("Nội dung chính") is "content", read for the figures it sets; a column of the
    task's group is the task only when no other column is."""
    columns: list[str] = []
    for cell in header.split("|"):
        name = next((name for name, pattern in _COLUMNS if pattern.search(cell)), "")
        if name == "title" and "title" in columns and re.search(r"nội\s+dung", cell, re.IGNORECASE):
            name = "content"
        columns.append(name if name not in columns else "")
    if "title" not in columns and "group" in columns:
        columns[columns.index("group")] = "title"
    return tuple(columns) if "title" in columns else _DEFAULT_COLUMNS


def _pipe_row(text: str, row: _Row, chunk: str, guesser: _Guesser) -> list[Candidate]:
    """A row of a table read from a .docx: one line, cells separated by " | ", columns named by the header row."""
    columns = _pipe_columns(text, row)
    if "content" in columns or "group" in columns or has_continuations(chunk, columns):
        return _lines_row(row, chunk, columns, guesser)
    line = chunk.split("\n", 1)[0]
    cells = line.split(" | ")
    if not _PIPE_NUMBER.match(line):  # a row under a merged number cell: its first cell is the next column's
        cells = ["", *cells]
    named = dict(zip(_pipe_columns(text, row), cells, strict=False))
    title = named.get("title", "").strip()
    if not title:
        return []
    rest = named.get("output", "")
    output = outputs(rest)
    title_start = row.start + line.index(title)
    output_start = line.rindex(rest) if rest else len(line)
    return _row_records(row=row, title=(_fold(title), title_start, title_start + len(title)),
                        lead=_cell(named.get("lead")), cooperating=_cell(named.get("cooperating")),
                        due_text=_cell(named.get("due")), output=output, output_offset=row.start + output_start,
                        chunk=rest, guesser=guesser)


def _lines_row(row: _Row, chunk: str, columns: tuple[str, ...], guesser: _Guesser) -> list[Candidate]:
    """A row whose cells run over several lines (`authoring.extract_tables`): one task per line with a task cell,
    with the row's lead and cooperating units where the line has none of its own, and a target for each figure in
    its task, its outcome ("Chỉ tiêu đạt được", "Sản phẩm") or its content ("Nội dung chính") cell, due when the
    line is. A figure in an outcome or content cell keeps the whole cell as its clause: the cell is what the row
    asks, its bullets parts of one answer."""
    found: list[Candidate] = []
    for named in row_lines(chunk, row.start, columns):
        title = named.get("title")
        if not title or not _cell(title.text):
            continue
        output = named.get("output")
        items = outputs(output.text) if output else []
        records = _row_records(
            row=row, title=(_fold(title.text), title.start, title.end), lead=_cell(_text(named, "lead")),
            cooperating=_cell(_text(named, "cooperating")), due_text=_cell(_text(named, "due")), output=items,
            output_offset=0, chunk="", guesser=guesser, measured=False)
        task = records[0]
        found.extend(records)
        for name in ("output", "content"):
            cell = named.get(name)
            if cell:
                found.extend(cell_targets(cell, task, guesser, counted=name == "output"))
    return found


def _text(named: dict[str, Cell], name: str) -> str:
    cell = named.get(name)
    return cell.text if cell else ""


def _cell(value: str | None) -> str:
    value = _fold(value or "")
    return "" if value == "-" else value


# --- tables of targets --------------------------------------------------------------------------------------------

_TARGET_COLUMNS = (  # the first that fits wins
    ("follows", re.compile(r"chủ\s+trì|theo\s+dõi", re.IGNORECASE)),
    ("cooperating", re.compile(r"phối\s+hợp", re.IGNORECASE)),
    ("title", re.compile(r"^\s*(?:tên\s+|nội\s+dung\s+)?chỉ\s+tiêu\b(?!\s+(?:đạt|năm|đến|giai))", re.IGNORECASE)),
    ("content", re.compile(r"^\s*nội\s+dung\s*$", re.IGNORECASE)),
    ("measure_unit", re.compile(r"^\s*(?:đơn\s+vị(?:\s+tính)?|đvt)\s*$", re.IGNORECASE)),
    ("value", re.compile(r"kết\s+quả|mục\s+tiêu|giá\s+trị|chỉ\s+tiêu|^\s*(?:năm\s+)?20\d{2}\s*$", re.IGNORECASE)),
    ("due", re.compile(r"thời\s+(?:gian|hạn)|hoàn\s+thành|lộ\s+trình", re.IGNORECASE)),
)


def _target_columns(header: str) -> list[str]:
    """What each column of a table of indicators holds: "title", "content", "measure_unit", "value", "due",
    "follows", "cooperating", or "value:<year>" for a value column whose header names its year ("Năm 2026",
    "Mục tiêu đến năm 2030")."""
    columns = []
    for cell in header.split("|"):
        name = next((n for n, pattern in _TARGET_COLUMNS if pattern.search(cell)), "")
        year = re.findall(r"20\d{2}", cell)
        if name == "value" and year:
            name = f"value:{year[-1]}"
        columns.append(name if name not in columns else "")
    return columns


def _is_target_table(columns: list[str]) -> bool:
    """Indicators with values: a column naming the indicator ("Chỉ tiêu", or "Nội dung" beside a unit of measure
    "Đơn vị tính"), one or more value columns, and no cooperating units (a table of assignments names them)."""
    named = "title" in columns or ("content" in columns and "measure_unit" in columns)
    valued = any(name.startswith("value") for name in columns)
    return named and valued and "cooperating" not in columns


def _target_row(text: str, row: _Row, guesser: _Guesser) -> list[Candidate]:
    """A row of a table of targets: one target per value cell, for the indicator its title names."""
    line = text[row.start:row.end].split("\n", 1)[0]
    header = _header_above(text, row) or ""
    cells = line.split(" | ")
    named = list(zip(_target_columns(header), cells, strict=False))
    title = next((cell.strip() for name, cell in named if name == "title"), "") or next(
        (cell.strip() for name, cell in named if name == "content"), "")
    if not title:
        return []
    measure_unit = next((_fold(cell) for name, cell in named if name == "measure_unit"), "")
    due_cell = next((_cell(cell) for name, cell in named if name == "due"), "")
    start = row.start + line.index(title)
    found = []
    for name, cell in named:
        if not name.startswith("value"):
            continue
        year = _Due(year_last_day(int(name[6:])), name[6:]) if ":" in name else None
        due = year or _row_due(due_cell) or row.period
        for measure in _cell_measures(_cell(cell), measure_unit):
            found.append(Candidate(kind=TARGET, clause=_fold(title), start=start, end=start + len(title),
                                   indicator=guesser.guess(title, measure.comparator), comparator=measure.comparator,
                                   value=measure.value, value_max=measure.value_max, measure=measure.measure,
                                   unit=measure.unit, due=due.day if due else None, due_text=due.text if due else ""))
    return found


def _cell_measures(cell: str, measure_unit: str) -> list[_Measure]:
    """The value a cell sets: as a clause would write it ("≥ 95%", "30 - 40%"), or a bare number in the row's unit:
    "%" a percentage ("97,5" or "97.5"), a unit of measure an amount in it ("1.250" in "tấn" is 1250 tấn; also
    "1.250 tấn" in the cell), anything else a count ("1.250" is 1250: a dot groups thousands)."""
    if not cell:
        return []
    found = _measures(cell)
    if found:
        return found
    if measure_unit == "%":
        number = re.fullmatch(rf"{_CELL_ASKS}(?P<n>\d{{1,3}}(?:[.,]\d+)?)", cell, re.IGNORECASE)
        value = Decimal(number["n"].replace(",", ".")) if number else None
        return [_Measure(AT_LEAST, value, None, PERCENT)] if value is not None and value <= 100 else []
    number = re.fullmatch(rf"{_CELL_ASKS}(?P<n>{GROUPED})(?:\s+(?P<unit>\S.*))?", cell, re.IGNORECASE)
    if not number:
        return []
    unit = unit_of_measure(number["unit"]) if number["unit"] else unit_of_measure(measure_unit)
    if number["unit"] and not unit:
        return []  # "12 cụm" is a clause `_measures` reads, or none
    value = quantity_number(number["n"])
    return [_Measure(AT_LEAST, value, None, AMOUNT, unit=unit)] if unit else [_Measure(AT_LEAST, value, None, COUNT)]


# What a cell may write before its number: "≥ 95", "tối thiểu 03".
_CELL_ASKS = r"(?:(?:≥|>=|tối\s+thiểu|ít\s+nhất)\s*)?"
