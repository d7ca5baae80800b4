"""A PDF page's text with each ruled table read as rows, a row a line of cells joined by " | ", as a Word table reads.

A PDF knows no tables: Word, LibreOffice and most official PDFs draw each cell's borders as lines (`LTLine`) or thin
rectangles (`LTRect`), and each cell's text as loose boxes. The page's straight segments are snapped (a border drawn
twice half a point apart is one line), joined where they touch into grids, and a grid with at least two columns is a
table: its column lines and row lines cut it into cells, and a border missing between two cells merges them (a cell
spanning columns gives its text once; a cell spanning rows gives it in the first row it covers and "-" below, like a
Word table's merged cell). Each character of the page's text lines goes to the cell holding its centre; a cell's
lines are read top to bottom and joined by spaces.

Text outside tables is written exactly as pdfminer's `extract_text` writes it (a page without a table reads the same
as before), each table taking its place before the first text block below it. A table without ruling lines (text
aligned by spaces or tabs) is not seen: its cells stay loose lines, as before.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from pdfminer.layout import LTAnno, LTChar, LTContainer, LTCurve, LTItem, LTPage, LTRect, LTText, LTTextBox, LTTextLine

from authoring.documents import CELL_SEPARATOR

TOLERANCE = 2.5  # points: a border's two strokes, or a segment's ends, this close are one
_MAX_SEGMENTS = 3000  # a page drawn with more straight segments is a drawing, not a table: read as before


class Segment(NamedTuple):
    """A straight ruling line: `vertical` at x = `at` from y = `start` to `end`, or horizontal at y = `at`."""

    vertical: bool
    at: float
    start: float
    end: float


@dataclass
class _Line:
    """One text line's characters that fall in one cell, in order."""

    top: float
    left: float
    parts: list[str] = field(default_factory=list)


@dataclass
class _Cell:
    row: int  # the first row and column it covers
    column: int
    lines: dict[int, _Line] = field(default_factory=dict)  # by the text line's id, so a line cut by a border is two

    def text(self) -> str:
        lines = sorted(self.lines.values(), key=lambda line: (-line.top, line.left))
        return " ".join(" ".join("".join(line.parts) for line in lines).split())


@dataclass
class Table:
    xs: list[float]  # column lines, left to right
    ys: list[float]  # row lines, bottom to top
    owner: list[list[int]]  # grid row (top first) and column → the cell covering it
    cells: list[_Cell]

    @property
    def top(self) -> float:
        return self.ys[-1]

    @property
    def bottom(self) -> float:
        return self.ys[0]

    def cell_at(self, x: float, y: float) -> _Cell | None:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        column = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        row_from_bottom = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.cells[self.owner[len(self.ys) - 2 - row_from_bottom][column]]

    def rows(self) -> list[str]:
        out = []
        for number, grid_row in enumerate(self.owner):
            texts, seen = [], set()
            for index in grid_row:
                if index not in seen:
                    seen.add(index)
                    cell = self.cells[index]
                    texts.append(cell.text() if cell.row == number else "")
            if any(texts):
                out.append(CELL_SEPARATOR.join(text or "-" for text in texts))
        return out


# --- the page's text ----------------------------------------------------------------------------------------------


def page_text(page: LTPage) -> str:
    """The page's text as `extract_text` writes it, its ruled tables given a row a line; no form feed."""
    tables = page_tables(page)
    if not tables:
        return _rendered(page)
    blocks: list[tuple[float, str]] = []  # each text block's top and text, in the layout's order
    for item in page:
        if isinstance(item, LTTextBox):
            blocks.extend(_box_blocks(item, tables))
        else:
            blocks.append((item.y1, _rendered(item)))
    pending = sorted(tables, key=lambda table: -table.top)
    out = []
    for top, text in blocks:
        if not text:
            continue  # a border, an image: nothing to place a table before
        while pending and top <= pending[0].bottom + TOLERANCE:
            out.append(_table_text(pending.pop(0)))
        out.append(text)
    out.extend(_table_text(table) for table in pending)
    return "".join(out)


def _rendered(item: LTItem) -> str:
    """pdfminer's `TextConverter`: every text piece in order, a newline after each text box."""
    parts: list[str] = []

    def render(node: LTItem) -> None:
        if isinstance(node, LTContainer):
            for child in node:
                render(child)
        elif isinstance(node, LTText):
            parts.append(node.get_text())
        if isinstance(node, LTTextBox):
            parts.append("\n")

    render(item)
    return "".join(parts)


def _table_text(table: Table) -> str:
    rows = table.rows()
    return "\n".join(rows) + "\n\n" if rows else ""


def _box_blocks(box: LTTextBox, tables: list[Table]) -> list[tuple[float, str]]:
    """The box's text outside tables, as blocks of consecutive lines; the characters inside go to their cells."""
    if not any(_overlaps(box, table) for table in tables):
        return [(box.y1, _rendered(box))]
    blocks, run, run_top = [], [], 0.0
    for line in box:
        outside = _line_outside(line, tables) if isinstance(line, LTTextLine) else _rendered(line)
        if outside.strip():
            run_top = run_top if run else line.y1
            run.append(outside.rstrip("\n") + "\n")
        elif run:
            blocks.append((run_top, "".join(run) + "\n"))
            run = []
    if run:
        blocks.append((run_top, "".join(run) + "\n"))
    return blocks


def _overlaps(item: LTItem, table: Table) -> bool:
    return item.x0 < table.xs[-1] and item.x1 > table.xs[0] and item.y0 < table.top and item.y1 > table.bottom


def _line_outside(line: LTTextLine, tables: list[Table]) -> str:
    """Hands each character of `line` to the cell holding its centre and gives back the rest; a space or the line's
    end (`LTAnno`, placed by the layout) goes where the character before it went."""
    outside: list[str] = []
    target: _Line | None = None
    for piece in line:
        if isinstance(piece, LTChar):
            target = _cell_line(line, piece, tables)
        elif not isinstance(piece, LTAnno):
            continue
        (outside if target is None else target.parts).append(piece.get_text())
    return "".join(outside)


def _cell_line(line: LTTextLine, char: LTChar, tables: list[Table]) -> _Line | None:
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    for table in tables:
        cell = table.cell_at(x, y)
        if cell is not None:
            return cell.lines.setdefault(id(line), _Line(top=line.y1, left=char.x0))
    return None


# --- the tables: ruling lines into grids --------------------------------------------------------------------------


def page_tables(page: LTPage) -> list[Table]:
    """The page's ruled tables of two columns or more."""
    segments = _merged(_segments(page))
    if len(segments) > _MAX_SEGMENTS:
        return []
    tables = []
    for group in _touching_groups(segments):
        table = _grid(group)
        if table is not None:
            tables.append(table)
    return tables


def _segments(page: LTPage) -> Iterable[Segment]:
    for item in page:
        if not isinstance(item, LTCurve) or not item.pts:
            continue
        if item.original_path and any(op[0] not in "mlh" for op in item.original_path):
            continue  # a curve: a circle, a logo, not a border
        if len(item.pts) == 2 or item.width <= TOLERANCE or item.height <= TOLERANCE:
            yield from _thin(item.x0, item.y0, item.x1, item.y1)
            continue
        points = list(item.pts)
        closed = isinstance(item, LTRect) or bool(item.original_path and item.original_path[-1][0] == "h")
        if closed and points[0] != points[-1]:
            points.append(points[0])  # a closed path ("h") runs back to its start
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            yield from _thin(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _thin(x0: float, y0: float, x1: float, y1: float) -> Iterable[Segment]:
    """A line or a thin rectangle as a segment; a dot or a slanted line as nothing."""
    width, height = x1 - x0, y1 - y0
    if width <= TOLERANCE < height:
        yield Segment(True, (x0 + x1) / 2, y0, y1)
    elif height <= TOLERANCE < width:
        yield Segment(False, (y0 + y1) / 2, x0, x1)


def _merged(found: Iterable[Segment]) -> list[Segment]:
    """Segments snapped to common lines (positions this close are one line) and joined where they touch."""
    segments, out = list(found), []
    for vertical in (False, True):
        ordered = sorted((segment for segment in segments if segment.vertical == vertical), key=lambda s: s.at)
        for cluster in _clusters(ordered):
            at = sum(segment.at for segment in cluster) / len(cluster)
            spans = sorted((segment.start, segment.end) for segment in cluster)
            start, end = spans[0]
            for next_start, next_end in spans[1:]:
                if next_start > end + TOLERANCE:
                    out.append(Segment(vertical, at, start, end))
                    start = next_start
                end = max(end, next_end)
            out.append(Segment(vertical, at, start, end))
    return out


def _clusters(ordered: list[Segment]) -> Iterable[list[Segment]]:
    cluster: list[Segment] = []
    for segment in ordered:
        if cluster and segment.at - cluster[-1].at > TOLERANCE:
            yield cluster
            cluster = []
        cluster.append(segment)
    if cluster:
        yield cluster


def _touching_groups(segments: list[Segment]) -> list[list[Segment]]:
    """Segments joined where a horizontal and a vertical one touch or cross: one group a grid."""
    parent = list(range(len(segments)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    horizontal = sorted((segment.at, index) for index, segment in enumerate(segments) if not segment.vertical)
    heights = [at for at, _ in horizontal]
    for index, vertical in enumerate(segments):
        if not vertical.vertical:
            continue
        low = bisect.bisect_left(heights, vertical.start - TOLERANCE)
        high = bisect.bisect_right(heights, vertical.end + TOLERANCE)
        for _, other in horizontal[low:high]:
            line = segments[other]
            if line.start - TOLERANCE <= vertical.at <= line.end + TOLERANCE:
                parent[root(index)] = root(other)
    groups: dict[int, list[Segment]] = defaultdict(list)
    for index, segment in enumerate(segments):
        groups[root(index)].append(segment)
    return list(groups.values())


def _grid(group: list[Segment]) -> Table | None:
    verticals = [segment for segment in group if segment.vertical]
    horizontals = [segment for segment in group if not segment.vertical]
    if not verticals or not horizontals:
        return None
    xs = _lines([segment.at for segment in verticals],
                min(segment.start for segment in horizontals), max(segment.end for segment in horizontals))
    ys = _lines([segment.at for segment in horizontals],
                min(segment.start for segment in verticals), max(segment.end for segment in verticals))
    if len(xs) < 3 or len(ys) < 2:  # one column: a framed paragraph or a page's frame, not a table
        return None
    rows, columns = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * columns))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for row in range(rows):
        top, bottom = ys[rows - row], ys[rows - row - 1]
        for column in range(columns):
            here = row * columns + column
            if column + 1 < columns and not _covered(verticals, xs[column + 1], bottom, top):
                parent[root(here + 1)] = root(here)
            if row + 1 < rows and not _covered(horizontals, bottom, xs[column], xs[column + 1]):
                parent[root(here + columns)] = root(here)
    return _table(xs, ys, [[root(row * columns + column) for column in range(columns)] for row in range(rows)])


def _table(xs: list[float], ys: list[float], roots: list[list[int]]) -> Table:
    """Cells numbered in reading order, each anchored at the first row and column it covers."""
    numbers: dict[int, int] = {}
    cells: list[_Cell] = []
    owner = []
    for row, grid_row in enumerate(roots):
        owned = []
        for column, found in enumerate(grid_row):
            if found not in numbers:
                numbers[found] = len(cells)
                cells.append(_Cell(row=row, column=column))
            owned.append(numbers[found])
        owner.append(owned)
    return Table(xs=xs, ys=ys, owner=owner, cells=cells)


def _lines(positions: list[float], low: float, high: float) -> list[float]:
    """The distinct lines at `positions`, with the other direction's reach as the outer ones when it goes further (a
    table drawn without its outer borders)."""
    lines: list[float] = []
    for position in sorted(positions):
        if not lines or position - lines[-1] > TOLERANCE:
            lines.append(position)
    if low < lines[0] - TOLERANCE:
        lines.insert(0, low)
    if high > lines[-1] + TOLERANCE:
        lines.append(high)
    return lines


def _covered(segments: list[Segment], at: float, start: float, end: float) -> bool:
    """Whether a ruling line at `at` runs from `start` to `end`: the border between two cells is drawn."""
    margin = min(TOLERANCE, (end - start) / 3)
    return any(abs(segment.at - at) <= TOLERANCE and segment.start <= start + margin and segment.end >= end - margin
               for segment in segments)
