"""ledger.xlsx made and compressed a few rows at a time is byte-identical to openpyxl's own workbook."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.render import ledger_files
from reportgen.render.ledger_files import _SHEET, _save, _workbook, ledger_table, ledger_xlsx, stable_zip
from reportgen.render.site.context import data_as_of
from reportgen.validate import check_repository
from tests.compute.scenario import write_repository
from tests.site.helpers import private_office_files

CREATED = dt.datetime(2022, 1, 1)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> ledger_files.LedgerTable:
    root = write_repository(tmp_path_factory.mktemp("office"), private_office_files())
    records = check_repository(root).records
    return ledger_table(records, StatsEngine(records), data_as_of(records), "internal")


@pytest.mark.parametrize("rows", [1, 2, 3, 1000])
def test_rows_made_in_parts_give_openpyxl_s_bytes(
    table: ledger_files.LedgerTable, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", rows)
    assert len(table.lines) > 3
    assert ledger_xlsx(table, "台账", CREATED) == stable_zip(_save(_workbook(table, table.lines, "台账", CREATED)))


def test_a_changed_entry_compressed_part_by_part_is_what_writestr_makes_of_it_whole() -> None:
    data = _save(_workbook(ledger_files.LedgerTable(dt.date(2022, 1, 1), (), ()), (), "台账", CREATED))
    more = b"<!-- x -->" * 1000
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info) + (more if info.filename == _SHEET else b""))
    in_parts = stable_zip(data, lambda name, content: (content, *[more[:10]] * (1000 if name == _SHEET else 0)))
    assert in_parts == stable_zip(changed.getvalue())  # every entry through writestr, whole
    with zipfile.ZipFile(io.BytesIO(in_parts)) as archive:
        assert archive.read(_SHEET).endswith(more)
