"""The sheet rows' rules written without openpyxl are openpyxl's, over every value the ledger can hold."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from reportgen.render import xlsxcells


def test_the_error_codes_are_openpyxls() -> None:
    assert frozenset(ERROR_CODES) == xlsxcells.ERROR_CODES


def test_the_characters_excel_refuses_are_openpyxls() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    refused = [m.start() for m in xlsxcells.ILLEGAL_CHARACTERS_RE.finditer(every)]
    assert refused == [m.start() for m in ILLEGAL_CHARACTERS_RE.finditer(every)]
    assert len(refused) == 29


def test_a_day_is_openpyxls_serial_day() -> None:
    day = dt.date(1899, 12, 1)
    while day <= dt.date(2200, 12, 31):
        assert xlsxcells.excel_day(day) == to_excel(day), day
        assert xlsxcells.number_text(xlsxcells.excel_day(day)) == safe_string(to_excel(day)), day
        day += dt.timedelta(days=1)


def test_a_whole_number_is_written_as_openpyxl_writes_it() -> None:
    values = [*range(-1000, 100_001), 10**15, 10**16, 10**17 + 3, -(10**17)]
    assert [xlsxcells.number_text(value) for value in values] == [safe_string(value) for value in values]


def test_the_column_letters_are_openpyxls() -> None:
    assert [xlsxcells.column_letter(i) for i in range(1, 18279)] == [get_column_letter(i) for i in range(1, 18279)]
    for index in (0, 18279):
        with pytest.raises(ValueError):
            xlsxcells.column_letter(index)
