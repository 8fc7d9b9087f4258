"""The leak search reads a zip this process wrote in deflate pieces piece by piece, inflating only pieces it lacks."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.model import Records
from reportgen.publish import leakscan
from reportgen.publish.leakscan import LeakScan, find_leaks
from reportgen.render.zipparts import deflate, joined, pieces, write_zip
from reportgen.validate import check_repository
from tests.conftest import write_minimal_repository

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(runs: list[list[str]]) -> bytes:
    """An XLSX-like zip whose sheet is a head, one deflate piece per run of rows (a row of each text), and a tail."""
    rows, number = [], 1
    for run in runs:
        cells = ""
        for text in run:
            cells += f'<row r="{number}"><c t="inlineStr"><is><t>{text}</t></is></c></row>'
            number += 1
        rows.append(deflate(cells.encode("utf-8")))
    sheet = joined([deflate(b"<worksheet><sheetData>"), *rows, deflate(b"</sheetData></worksheet>", last=True)])
    return write_zip([(SHEET, sheet), ("docProps/core.xml", deflate(b"<t>reportgen</t>", last=True))])


def _runs() -> list[list[str]]:
    return [[f"第{r}批第{n}行，共{n % 97}件" for n in range(3000)] for r in range(4)]


def _records(tmp_path: Path) -> Records:
    return check_repository(write_minimal_repository(tmp_path / "records")).records  # contact 雷雨, 138 0000 0001


def test_an_archive_written_in_pieces_says_where_they_are_and_each_inflates_alone() -> None:
    runs = _runs()
    archive = _workbook(runs)
    layout = pieces(archive)
    assert layout is not None and list(layout) == [SHEET]  # the one-piece entry is not listed
    texts = [zlib.decompressobj(-zlib.MAX_WBITS).decompress(archive[start:end]) for start, end in layout[SHEET]]
    assert len(texts) == 6
    assert texts[0] == b"<worksheet><sheetData>" and texts[-1] == b"</sheetData></worksheet>"
    assert texts[2].decode("utf-8").startswith('<row r="3001"><c t="inlineStr"><is><t>第1批第0行')
    assert pieces(bytes(bytearray(archive))) is None  # equal bytes, not the object written: unknown


def test_after_one_changed_row_only_its_piece_is_inflated_and_the_findings_are_a_fresh_search_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records(tmp_path)
    runs = _runs()
    runs[3][2500] = "联系电话 138 0000 0001"
    before = _workbook(runs)
    first = LeakScan(records, memo_folder=tmp_path / "memo")
    first.add("ledger.xlsx", before)
    assert [(leak.value.path, leak.outputs) for leak in first.leaks()] == [
        ("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",))
    ]
    runs[1][10] = "雷雨来电"  # a private name, in another piece
    after = _workbook(runs)
    read: list[tuple[str, int]] = []
    cut: list[bytes] = []
    readable, rows_apart = leakscan._readable, leakscan._rows_apart

    def counted(name: str, text: str) -> str:
        read.append((name, len(text)))
        return readable(name, text)

    def apart(data: bytes) -> Iterator[bytes]:
        cut.append(data)
        return rows_apart(data)

    monkeypatch.setattr(leakscan, "_readable", counted)
    monkeypatch.setattr(leakscan, "_rows_apart", apart)
    again = LeakScan(records, memo_folder=tmp_path / "memo")
    again.add("ledger.xlsx", after)
    found = [(leak.value.path, leak.outputs) for leak in again.leaks()]
    monkeypatch.undo()
    layout = pieces(after)
    assert layout is not None
    start, end = layout[SHEET][2]  # the second run's piece, after the head's: the one inflated
    piece = zlib.decompressobj(-zlib.MAX_WBITS).decompress(after[start:end])
    assert cut == [piece, b"<t>reportgen</t>"]  # and the small entry, unzipped whole
    (changed,) = [part for part in rows_apart(piece) if "雷雨来电".encode() in part]
    assert read == [(SHEET, len(changed.decode("utf-8")))]  # of the piece, its changed part (the small entry: known)
    assert found == [
        ("contact.name", ("ledger.xlsx!xl/worksheets/sheet1.xml",)),
        ("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",)),
    ]
    assert found == [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.xlsx": after})]
    copy = bytes(bytearray(after))  # read whole, without the pieces: the same values found
    assert found == [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.xlsx": copy})]


def test_a_private_value_typed_into_a_kept_piece_s_neighbour_is_found_with_the_memo(tmp_path: Path) -> None:
    records = _records(tmp_path)
    runs = _runs()
    first = LeakScan(records, memo_folder=tmp_path / "memo")
    first.add("ledger.xlsx", _workbook(runs))
    assert first.leaks() == []
    runs[0][0] = "雷雨"
    again = LeakScan(records, memo_folder=tmp_path / "memo")
    again.add("ledger.xlsx", _workbook(runs))
    assert [(leak.value.path, leak.outputs) for leak in again.leaks()] == [
        ("contact.name", ("ledger.xlsx!xl/worksheets/sheet1.xml",))
    ]


def test_a_value_in_several_pieces_names_the_sheet_once_however_it_was_cut(tmp_path: Path) -> None:
    records = _records(tmp_path)
    runs = _runs()
    runs[0][5] = runs[2][5] = runs[3][2999] = "联系电话 138 0000 0001"
    archive = _workbook(runs)
    expected = [("contact.phone", ("ledger.xlsx!xl/worksheets/sheet1.xml",))]
    assert [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.xlsx": archive})] == expected
    copy = bytes(bytearray(archive))  # read back from disk: cut by its rows, not by the pieces
    assert [(leak.value.path, leak.outputs) for leak in find_leaks(records, {"ledger.xlsx": copy})] == expected
