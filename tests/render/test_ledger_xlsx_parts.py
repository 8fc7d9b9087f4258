"""ledger.xlsx and ledger.csv made a run of lines at a time, a run kept from the last build joined as it was kept.

The workbook holds exactly openpyxl's own entries; a run kept (``parts``) gives the same bytes as
a run made; a run's key names its lines, so a changed line remakes its run and no other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import zipfile
import zlib
from collections.abc import Callable, Sequence

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.render import ledger_files
from reportgen.render.ledger_files import (
    LedgerLine,
    _save,
    _workbook,
    ledger_csv,
    ledger_table,
    ledger_xlsx,
    stable_zip,
)
from reportgen.render.site.context import data_as_of
from reportgen.render.zipparts import crc32_combine, deflate, joined, write_zip
from reportgen.validate import check_repository
from tests.compute.scenario import write_repository
from tests.site.helpers import private_office_files

CREATED = dt.datetime(2022, 1, 1)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> ledger_files.LedgerTable:
    root = write_repository(tmp_path_factory.mktemp("office"), private_office_files())
    records = check_repository(root).records
    return ledger_table(records, StatsEngine(records), data_as_of(records), "internal")


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every entry's CRC right
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


class Store:
    """Parts by key, as the page store keeps them between builds; which were made."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}
        self.made: list[str] = []

    def part(self, key: str, make: Callable[[], bytes]) -> bytes:
        if key not in self.kept:
            self.kept[key] = make()
            self.made.append(key)
        return self.kept[key]


def _by_ids(lines: Sequence[LedgerLine]) -> str:
    """A run's key: its lines' ids and cells (the site keys them by the files they read)."""
    return repr([line.cells for line in lines])


@pytest.mark.parametrize("rows", [1, 2, 3, 1000])
def test_rows_made_in_runs_give_openpyxl_s_entries(
    table: ledger_files.LedgerTable, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", rows)
    assert len(table.lines) > 3
    whole = stable_zip(_save(_workbook(table, table.lines, "台账", CREATED)))
    assert _entries(ledger_xlsx(table, "台账", CREATED)) == _entries(whole)


def test_kept_runs_give_the_bytes_made_ones_do(
    table: ledger_files.LedgerTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    store = Store()
    made = ledger_xlsx(table, "台账", CREATED, store.part, _by_ids)
    csv_made = ledger_csv(table, store.part, _by_ids)
    runs = len(store.made)
    assert runs == len(table.lines)  # in runs of 2: the xlsx's from line 2 (line 1 is openpyxl's), the csv's from 1
    assert made == ledger_xlsx(table, "台账", CREATED) and csv_made == ledger_csv(table)
    assert ledger_xlsx(table, "台账", CREATED, store.part, _by_ids) == made  # every run kept
    assert ledger_csv(table, store.part, _by_ids) == csv_made
    assert len(store.made) == runs
    last = table.lines[-1]
    changed = dataclasses.replace(
        table, lines=(*table.lines[:-1], dataclasses.replace(last, cells=("改", *last.cells[1:])))
    )
    assert ledger_xlsx(changed, "台账", CREATED, store.part, _by_ids) == ledger_xlsx(changed, "台账", CREATED)
    assert ledger_csv(changed, store.part, _by_ids) == ledger_csv(changed)
    assert len(store.made) == runs + 2  # the last run of each, nothing else
    assert ledger_csv(changed).decode("utf-8-sig").splitlines()[-1].startswith("改,")


def test_a_run_with_a_value_openpyxl_must_write_sends_the_whole_workbook_through_it(
    table: ledger_files.LedgerTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    last = table.lines[-1]
    odd = dataclasses.replace(
        table, lines=(*table.lines[:-1], dataclasses.replace(last, cells=("=1+1", *last.cells[1:])))
    )
    store = Store()
    made = ledger_xlsx(odd, "台账", CREATED, store.part, _by_ids)
    assert _entries(made) == _entries(stable_zip(_save(_workbook(odd, odd.lines, "台账", CREATED))))


def test_crc32_combine_is_zlib_s() -> None:
    rng = random.Random(7)
    for _ in range(50):
        a, b = rng.randbytes(rng.randrange(0, 3000)), rng.randbytes(rng.randrange(0, 70000))
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_pieces_deflated_apart_join_into_one_stream() -> None:
    rng = random.Random(3)
    texts = [("<row>" * rng.randrange(1, 5000)).encode() + rng.randbytes(100) for _ in range(5)]
    pieces = [deflate(text) for text in texts[:-1]] + [deflate(texts[-1], last=True)]
    whole = joined(pieces)
    assert zlib.decompress(whole.data, -15) == b"".join(texts)
    assert whole.crc == zlib.crc32(b"".join(texts)) and whole.size == len(b"".join(texts))
    archive = write_zip([("a.xml", whole), ("名.txt", deflate(b"x", last=True))])
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.testzip() is None
        assert opened.read("a.xml") == b"".join(texts) and opened.read("名.txt") == b"x"
        assert [info.date_time for info in opened.infolist()] == [(1980, 1, 1, 0, 0, 0)] * 2
        assert [info.external_attr >> 16 & 0o777 for info in opened.infolist()] == [0o644] * 2
