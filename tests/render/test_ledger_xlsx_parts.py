"""ledger.xlsx and ledger.csv made a run of lines at a time, a run kept from the last build joined as it was kept.

The workbook holds exactly openpyxl's own entries; a run kept (``parts``) gives the same bytes as
a run made; a run's key names its lines, so a changed line remakes its run and no other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle
import random
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

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


@pytest.mark.parametrize(
    ("start", "pages", "runs"),
    [
        (0, (), [(0, 3), (3, 3), (6, 3), (9, 1)]),  # no pages: every 3 lines
        (1, (), [(1, 3), (4, 3), (7, 3)]),
        (0, (0, 4, 5, 9), [(0, 3), (3, 2), (5, 3), (8, 2)]),  # a page of 4 cut at 3; two that fit in one
        (1, (0, 4, 5, 9), [(1, 3), (4, 1), (5, 3), (8, 2)]),
        (0, (0, 2, 4, 6, 8), [(0, 2), (2, 2), (4, 2), (6, 2), (8, 2)]),  # pages of 2: never one and a half
        (0, (0, 1, 2, 3), [(0, 3), (3, 3), (6, 3), (9, 1)]),
    ],
)
def test_runs_are_whole_pages_as_many_as_fit(
    start: int, pages: tuple[int, ...], runs: list[tuple[int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 3)
    lines: list[LedgerLine] = list(range(10))  # type: ignore[arg-type]  # only counted and sliced
    assert [(at, len(run)) for at, run in ledger_files._runs(lines, start, pages)] == runs


@pytest.mark.parametrize("pages", [(0, 1), (0, 2, 3), tuple(range(50))])
def test_runs_of_pages_give_the_bytes_of_openpyxl_and_of_the_csv(
    table: ledger_files.LedgerTable, pages: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    whole = stable_zip(_save(_workbook(table, table.lines, "台账", CREATED)))
    store = Store()
    assert _entries(ledger_xlsx(table, "台账", CREATED, store.part, _by_ids, pages)) == _entries(whole)
    assert ledger_csv(table, store.part, _by_ids, pages) == ledger_csv(table)


def test_kept_runs_give_the_bytes_made_ones_do(
    table: ledger_files.LedgerTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    store = Store()
    made = ledger_xlsx(table, "台账", CREATED, store.part, _by_ids)
    csv_made = ledger_csv(table, store.part, _by_ids)
    runs = len(store.made)
    assert runs == len(table.lines) + 1  # in runs of 2: the xlsx's from line 2, the csv's from 1; the xlsx's frame
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


def _counted_workbooks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many lines each workbook openpyxl is asked to make from now on holds."""
    made: list[int] = []

    def counting(
        table: ledger_files.LedgerTable, lines: Sequence[LedgerLine], title: str, created: dt.datetime
    ) -> object:
        made.append(len(lines))
        return _workbook(table, lines, title, created)

    monkeypatch.setattr(ledger_files, "_workbook", counting)
    return made


def test_the_workbook_around_the_runs_is_kept_while_its_first_line_title_and_size_are(
    table: ledger_files.LedgerTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_files, "_ROWS_PART", 2)
    store = Store()
    workbooks = _counted_workbooks(monkeypatch)
    made = ledger_xlsx(table, "台账", CREATED, store.part, _by_ids)
    assert workbooks == [1]
    last, first = table.lines[-1], table.lines[0]
    changed = dataclasses.replace(
        table, lines=(*table.lines[:-1], dataclasses.replace(last, cells=("改", *last.cells[1:])))
    )
    assert ledger_xlsx(changed, "台账", CREATED, store.part, _by_ids) != made
    assert workbooks == [1]  # a line but the first changed: the frame kept
    longer = dataclasses.replace(table, lines=(*table.lines, last))
    other_first = dataclasses.replace(
        table, lines=(dataclasses.replace(first, cells=("改", *first.cells[1:])), *table.lines[1:])
    )
    for other, title in ((table, "另一个台账"), (longer, "台账"), (other_first, "台账")):
        assert ledger_xlsx(other, title, CREATED, store.part, _by_ids) == ledger_xlsx(other, title, CREATED)
    assert workbooks == [1, 1, 1, 1, 1, 1, 1]  # each made again, and each made whole without parts
    assert ledger_xlsx(table, "台账", CREATED, store.part, _by_ids) == made
    assert workbooks == [1, 1, 1, 1, 1, 1, 1]


def test_a_damaged_frame_is_made_again(table: ledger_files.LedgerTable) -> None:
    store = Store()
    made = ledger_xlsx(table, "台账", CREATED, store.part, _by_ids)
    frame = store.made[0]
    for damaged in (b"", b"\x80\x05junk", store.kept[frame][:-5]):
        store.kept[frame] = damaged
        assert ledger_xlsx(table, "台账", CREATED, store.part, _by_ids) == made


SCRIPT = """
import datetime, pickle, sys
from pathlib import Path
from reportgen.compute.stats import StatsEngine
from reportgen.render.ledger_files import ledger_table, ledger_xlsx
from reportgen.render.site.context import data_as_of
from reportgen.validate import check_repository

root, kept, created = sys.argv[1:]
records = check_repository(Path(root)).records
table = ledger_table(records, StatsEngine(records), data_as_of(records), "internal")
with open(kept, "rb") as file:
    parts = pickle.load(file)
made = []

def part(key, make):
    if key not in parts:
        parts[key] = make()
        made.append(key)
    return parts[key]

when = datetime.datetime.fromisoformat(created)
data = ledger_xlsx(table, "台账", when, part, lambda lines: repr([line.cells for line in lines]))
sys.stdout.buffer.write(data)
sys.stderr.write(f"made {len(made)} openpyxl {'openpyxl' in sys.modules}")
"""


def test_a_workbook_with_one_run_made_again_does_not_import_openpyxl(tmp_path: Path) -> None:
    root = write_repository(tmp_path / "office", private_office_files())
    records = check_repository(root).records
    table = ledger_table(records, StatsEngine(records), data_as_of(records), "internal")
    store = Store()
    ledger_xlsx(table, "台账", CREATED, store.part, _by_ids)
    (tmp_path / "parts.pickle").write_bytes(pickle.dumps(store.kept))
    issue = Path(records.issues[table.lines[-1].row.issue.id].file)
    issue = issue if issue.is_absolute() else root / issue
    issue.write_text(issue.read_text("utf-8").replace("\ntitle: ", "\ntitle: 核实后：", 1), "utf-8")
    command = [sys.executable, "-c", SCRIPT, str(root), str(tmp_path / "parts.pickle"), CREATED.isoformat()]
    done = subprocess.run(command, capture_output=True, check=False)
    assert done.stderr.decode() == "made 1 openpyxl False"  # the last line's run, and nothing else
    again = check_repository(root).records
    edited = ledger_table(again, StatsEngine(again), data_as_of(again), "internal")
    assert done.stdout == ledger_xlsx(edited, "台账", CREATED)
