"""Reading a workbook or a CSV file into plain tables of cells, each cell with its place.

Merged cells give their value to every cell they cover (a merged header reads as if
written in each column); a CSV file that is not UTF-8 is read as GB18030 (which
includes GBK) when that works, and the caller warns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.lang import Pair, Said

CSV_SUFFIXES = (".csv", ".txt")


# Why a file cannot be read, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "encoding": (
        "这个 CSV 文件既不是 UTF-8 编码也不是 GBK 编码，请在表格软件中另存为 UTF-8 的 CSV",
        "this CSV file is neither UTF-8 nor GBK: save it as a UTF-8 CSV in the spreadsheet program",
    ),
    "not_xlsx": (
        "这个文件不是 Excel 工作簿（.xlsx），请在表格软件中另存为 .xlsx 或 CSV",
        "this file is no Excel workbook (.xlsx): save it as .xlsx or CSV in the spreadsheet program",
    ),
}


class ReadError(Said):
    """The file cannot be read as a workbook or a CSV table; for the user, in the language of ``--lang``."""


@dataclass(frozen=True)
class Table:
    """One sheet as rows of cell values; ``rows[i]`` is row ``i + 1``."""

    title: str
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Tables:
    """Every sheet of the file, and whether a CSV file had to be converted from GBK."""

    sheets: tuple[Table, ...]
    converted_from: str | None = None


def read_tables(path: Path) -> Tables:
    """The file's sheets: a workbook's visible sheets, or a CSV file as one sheet named after the file."""
    data = path.read_bytes()
    if path.suffix.lower() in CSV_SUFFIXES:
        return _read_csv(path.stem, data)
    return Tables(_read_xlsx(data))


def _read_csv(title: str, data: bytes) -> Tables:
    try:
        text, converted = data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        try:
            text, converted = data.decode("gb18030"), "GBK"
        except UnicodeDecodeError as exc:
            raise ReadError(MESSAGES["encoding"]) from exc
    rows = tuple(tuple(cell if cell != "" else None for cell in row) for row in csv.reader(io.StringIO(text)))
    return Tables((Table(title, rows),), converted)


def _read_xlsx(data: bytes) -> tuple[Table, ...]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise ReadError(MESSAGES["not_xlsx"]) from exc
    return tuple(_sheet(ws) for ws in wb.worksheets if ws.sheet_state == "visible")


def _sheet(ws: Any) -> Table:
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if row <= len(grid) and column <= len(grid[row - 1]):
                    grid[row - 1][column - 1] = value
    return Table(ws.title, tuple(tuple(row) for row in grid))
