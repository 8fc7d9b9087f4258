"""The few rules of openpyxl's that the ledger's sheet rows follow, without importing openpyxl.

Why: ``ledger.xlsx``'s rows are written as openpyxl's writer would write them
(``ledger_files._sheet_rows``), and after one changed issue the run of rows it is in is
the only part of the workbook made again.  Importing openpyxl for its few rules took
~0.15 CPU s of that rebuild, more than writing the run.  Each rule here is openpyxl's
(3.1), compared with it over every value the ledger can hold by tests/render/test_xlsxcells.py.
"""

from __future__ import annotations

import datetime as dt
import re

# ``openpyxl.cell.cell``: text Excel reads as an error, and the characters it refuses in text
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_EPOCH = dt.date(1899, 12, 30)  # ``openpyxl.utils.datetime.WINDOWS_EPOCH``'s day
_LEAP_BUG_DAYS = 60  # Excel's 1900-02-29, which never was: days up to it are one less


def number_text(value: float) -> str:
    """A finite number as a cell's ``<v>`` holds it (``openpyxl.compat.safe_string``)."""
    return f"{value:.16g}"


def excel_day(day: dt.date) -> float:
    """A date as Excel's serial day (``openpyxl.utils.datetime.to_excel`` of a date: a float)."""
    days = (day - _EPOCH).days
    if 0 < days <= _LEAP_BUG_DAYS:
        days -= 1
    return days + 0.0


def column_letter(index: int) -> str:
    """The letters of the 1-based column ``index`` (``openpyxl.utils.get_column_letter``): A … Z, AA …"""
    if not 1 <= index <= 18278:
        raise ValueError(f"no column {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
