"""Cells the portal writes into workbooks: text stays text.

openpyxl turns any str beginning with "=" into a formula. A unit's name or a clerk's note is data, never a formula
to run in the reader's Excel ("=HYPERLINK(...)", "=cmd|..."), so every writer stores its strings through here.
"""

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet


def as_text(cell: Cell) -> Cell:
    """The same cell, its str value stored as a string whatever it begins with."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def cell_put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """ws.cell(row, column, value) that never writes a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    return as_text(cell)
