"""The issue ledger (问题清单台账) as a table, and as CSV and XLSX bytes.

One column list serves the HTML ledger, the CSV and the XLSX, so the three never
disagree.  Private values (the enterprise's contact, internal notes) are read through
``privacy.public_data``: in the public profile they do not exist, so their columns are
left out; nothing here decides by itself which field is private.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import pickle
import struct
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from typing import Any, overload

from reportgen.compute.stats import LedgerRow, StatsEngine
from reportgen.compute.timeline import IssueTimeline
from reportgen.model import Records
from reportgen.privacy import public_data
from reportgen.render.xlsxcells import ERROR_CODES, ILLEGAL_CHARACTERS_RE, column_letter, excel_day, number_text
from reportgen.render.zipparts import Deflated, deflate, joined, write_zip

Cell = str | int | dt.date | None
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# ledger.csv and ledger.xlsx lines made (and compressed) at a time, kept from the last build: after one change at
# 100,000 issues one run is made again (2,000 lines: ~0.13 CPU s of the two files; 1,000: about half).  Not fewer:
# 250 made ~0.04 s less, and reading and joining four times as many kept runs (~400 a file) took as much more
_ROWS_PART = 1000


@dataclass(frozen=True)
class Column:
    """One ledger column: its key, Chinese heading, value type and width in characters."""

    key: str
    label: str
    kind: str  # "text", "int" or "date"
    width: int


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One issue of the ledger: the computed row and its cells, in column order."""

    row: LedgerRow
    cells: tuple[Cell, ...]
    at: int  # its place in the ledger (the page rows written once are found by it: ``render.site.rowstore``)


class LedgerLines(Sequence[LedgerLine]):
    """Lines of the ledger, each made when it is first read and then kept for the other pages that show it.

    Why: after one change almost every page and run of ``ledger.csv`` is kept from the
    last build, keyed by the issues' files alone (``render.site.inputs``), so most lines
    are never shown; making all 100,000 rows and cells first took ~4 s at 100,000 issues.
    ``issues`` are the lines' issues, which key them (and place them by month or unit)
    without making them.  A slice, or the lines at some ``indices``, shares what is made.
    """

    def __init__(
        self,
        issues: Sequence[IssueTimeline],
        indices: Sequence[int],
        make: Callable[[int], LedgerLine],
        memo: list[LedgerLine | None],
    ) -> None:
        self.issues, self._indices, self._make, self._memo = issues, indices, make, memo

    def __len__(self) -> int:
        return len(self._indices)

    @property
    def positions(self) -> Sequence[int]:
        """Where these lines are in the whole ledger."""
        return self._indices

    def __iter__(self) -> Iterator[LedgerLine]:
        return map(self.__getitem__, range(len(self._indices)))

    @overload
    def __getitem__(self, index: int) -> LedgerLine: ...

    @overload
    def __getitem__(self, index: slice) -> LedgerLines: ...

    def __getitem__(self, index: int | slice) -> LedgerLine | LedgerLines:
        if isinstance(index, slice):
            return LedgerLines(self.issues[index], self._indices[index], self._make, self._memo)
        at = self._indices[index]
        line = self._memo[at]
        if line is None:
            line = self._memo[at] = self._make(at)
        return line

    def picked(self, positions: Sequence[int]) -> LedgerLines:
        """The lines at ``positions`` (of these lines), in that order."""
        return LedgerLines(
            [self.issues[p] for p in positions], [self._indices[p] for p in positions], self._make, self._memo
        )


def line_issues(lines: Sequence[LedgerLine]) -> Sequence[IssueTimeline]:
    """The issues of ``lines``, in order, without making lines not yet made."""
    return lines.issues if isinstance(lines, LedgerLines) else [line.row.issue for line in lines]


@dataclass(frozen=True)
class LedgerTable:
    """The ledger as of a date, in the columns the profile may show."""

    as_of: dt.date
    columns: tuple[Column, ...]
    lines: Sequence[LedgerLine]  # ``LedgerLines``, made as they are read


_Getter = Callable[[LedgerRow, dict[str, Any], dict[str, Any]], Cell]
# its heading names the unit its numbers count in (``overdue_label``): 逾期天数, or 逾期工作日 in an office
# that counts deadlines in working days (the downloads' cells are bare numbers)
OVERDUE_COLUMN = Column("days_overdue", "逾期天数", "int", 8)


def overdue_label(day_unit: str) -> str:
    """The overdue column's heading for an office counting in ``day_unit`` (天 or 个工作日)."""
    return "逾期天数" if day_unit == "天" else "逾期工作日"


_Private = Callable[[dict[str, Any], dict[str, Any]], Cell]

# (column, value from the ledger row, the issue's public data and the enterprise's public data)
_COLUMNS: tuple[tuple[Column, _Getter], ...] = (
    (Column("id", "编号", "text", 9), lambda r, i, e: r.issue.id),
    (Column("raised", "提出日期", "date", 11), lambda r, i, e: r.issue.raised),
    (Column("enterprise", "企业", "text", 28), lambda r, i, e: r.enterprise_name),
    (Column("title", "问题", "text", 36), lambda r, i, e: r.issue.title),
    (Column("category", "类别", "text", 8), lambda r, i, e: r.issue.category),
    (Column("level", "层级", "text", 6), lambda r, i, e: r.state.level),
    (Column("department", "牵头单位", "text", 16), lambda r, i, e: r.department_name),
    (Column("status", "状态", "text", 9), lambda r, i, e: r.state.status),
    (Column("deadline", "办结期限", "date", 11), lambda r, i, e: r.issue.deadline),
    (Column("finished", "办结日期", "date", 11), lambda r, i, e: r.state.finished_on),
    (Column("days_open", "已用天数", "int", 8), lambda r, i, e: r.days_open),
    (OVERDUE_COLUMN, lambda r, i, e: r.days_overdue),
    (Column("rating", "企业评价", "text", 9), lambda r, i, e: r.state.rating),
)
# Columns that exist only when the profile lets the value through public_data, from the
# issue's (``i``) and the enterprise's (``e``) public data alone: whether a column exists is
# known without making any row.  ``_ISSUE_FIELDS_READ`` and ``_ENTERPRISE_FIELDS_READ`` name
# every field of the issue and of the enterprise they read.
_PRIVATE_COLUMNS: tuple[tuple[Column, _Private], ...] = (
    (Column("contact_name", "企业联系人", "text", 10), lambda i, e: (e.get("contact") or {}).get("name")),
    (Column("contact_phone", "联系电话", "text", 14), lambda i, e: (e.get("contact") or {}).get("phone")),
    (Column("internal_notes", "内部备注", "text", 30), lambda i, e: i.get("internal_notes")),
)
_ISSUE_FIELDS_READ = frozenset({"internal_notes"})
_ENTERPRISE_FIELDS_READ = frozenset({"contact"})


def _read(data: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """The ``fields`` of a record's data that it has: public_data of them is public_data's of the whole, for them.

    public_data keeps or strips each field of a record by itself (``privacy.strip_private``):
    stripping every enterprise's and noted issue's whole data was most of ``ledger_table``.
    """
    return {name: data[name] for name in fields if name in data}


def _kept_any(kind: str, fields: frozenset[str], profile: str) -> bool:
    """Whether ``profile`` lets any of ``fields`` of a ``kind`` record through ``public_data``.

    public_data keeps or drops a field by the schema alone, whatever its value
    (``privacy.strip_private``): when it drops them all, every record's are ``{}`` to the
    private columns, and no record need be read to know which of them exist (in the public
    profile: 100,000 issues and their enterprises, ~0.3 s).
    """
    return bool(public_data(kind, dict.fromkeys(fields, ""), profile))


def _private_getter(private: _Private) -> _Getter:
    return lambda r, i, e: private(i, e)


def ledger_table(records: Records, engine: StatsEngine, as_of: dt.date, profile: str) -> LedgerTable:
    """Every issue raised on or before ``as_of`` with its state then, in the columns ``profile`` allows.

    The lines are made as they are read (``LedgerLines``), each with its issue's state then;
    the columns are known first.  The issues are the engine's timelines raised by ``as_of``,
    in its order (a snapshot's): a state is found when its line is made, so after an edit
    no snapshot of every issue is made for a ledger whose pages are kept.
    """
    raised = engine.timelines[: bisect_right(engine.timelines, as_of, key=attrgetter("raised"))]
    issues, enterprises = records.issues, records.enterprises
    public: dict[str, dict[str, Any]] = {}

    def enterprise(key: str) -> dict[str, Any]:  # many issues each: strip its private fields once
        if key not in public:
            public[key] = public_data("enterprise", _read(enterprises[key].data, _ENTERPRISE_FIELDS_READ), profile)
        return public[key]

    def issue(data: dict[str, Any]) -> dict[str, Any]:
        # only the fields the getters read, stripped (``_read``): a getter reading another
        # field finds none, so it can never see a private value
        return public_data("issue", _read(data, _ISSUE_FIELDS_READ), profile)

    # what the private columns could read: each enterprise's with an issue that has none of
    # the fields they read (``{}``), and the issues that have one, with their enterprise's;
    # when the profile drops every field they read, ``({}, {})`` is every record's
    shown: list[tuple[dict[str, Any], dict[str, Any]]] = [({}, {})]
    if _kept_any("issue", _ISSUE_FIELDS_READ, profile) or _kept_any("enterprise", _ENTERPRISE_FIELDS_READ, profile):
        shown = [({}, enterprise(key)) for key in dict.fromkeys(t.enterprise for t in raised)]
        for t in raised:
            data = issues[t.id].data
            if not _ISSUE_FIELDS_READ.isdisjoint(data):
                shown.append((issue(data), enterprise(t.enterprise)))
    overdue = replace(OVERDUE_COLUMN, label=overdue_label(engine.day_unit))
    getters = [(overdue if column == OVERDUE_COLUMN else column, get) for column, get in _COLUMNS]
    for column, private in _PRIVATE_COLUMNS:
        if any(private(i, e) is not None for i, e in shown):
            getters.append((column, _private_getter(private)))
    del shown
    reads = len(getters) > len(_COLUMNS)  # only the private columns read the records' data

    def make(at: int) -> LedgerLine:
        t = raised[at]
        row = engine.ledger_row(t, t.state_at(as_of), as_of)
        i, e = (issue(issues[t.id].data), enterprise(t.enterprise)) if reads else ({}, {})
        return LedgerLine(row, tuple(g(row, i, e) for _, g in getters), at)

    lines = LedgerLines(raised, range(len(raised)), make, [None] * len(raised))
    return LedgerTable(as_of, tuple(c for c, _ in getters), lines)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


# (key, make) → bytes: what ``make`` makes, kept from the last build when it was made from
# the same key (``publish.pagestore.PageStore.part``); the key of a run of lines from the
# caller (None: unknown, the part is made)
Parts = Callable[[str, Callable[[], bytes]], bytes]
LinesKey = Callable[[Sequence[LedgerLine]], str | None]


def unkept(key: str, make: Callable[[], bytes]) -> bytes:
    """No part kept: each is made."""
    return make()


def _unkeyed(lines: Sequence[LedgerLine]) -> str | None:
    return None


class _NotPlain(Exception):
    """A run of lines holds a value only openpyxl writes right: the whole workbook goes through openpyxl."""


def _part(parts: Parts, lines_key: str | None, what: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
    """``make()``, kept from the last build under the key of the lines and ``what`` else the bytes depend on."""
    if lines_key is None:
        return make()
    return parts(_part_key(lines_key, what), make)


def _part_key(lines_key: str, what: tuple[object, ...]) -> str:
    """The key a part is kept under: of its lines' key and ``what`` else its bytes depend on."""
    return hashlib.blake2b(repr((lines_key, *what)).encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class LastRuns:
    """What the last build made each run of lines from, so that a run made again keeps its unchanged lines.

    Why: after one changed title at 100,000 issues the run that holds it (1,000 lines) was
    made whole, each line's state worked out again from its issue's file: ~0.15 CPU s of
    ledger.csv and ledger.xlsx for one changed line.  ``key(run)`` is the key of the run's
    lines (``LinesKey``) as the last build had them, with the places in the run of the lines
    whose key changed since (None: not known); ``read(key)`` is the part the last build
    kept under a key (None: none).  A part is a function of its key: every other line of
    it is the line this build would make, and is taken from it as it is.
    """

    key: Callable[[Sequence[LedgerLine]], tuple[str, Sequence[int]] | None]
    read: Callable[[str], bytes | None]


# a run's bytes from the last build's run of the same lines (kept bytes, the places of the lines changed), or None
_Splice = Callable[[bytes, Sequence[int]], bytes | None]


def _remade(
    last: LastRuns | None, run: Sequence[LedgerLine], what: tuple[object, ...], splice: _Splice
) -> bytes | None:
    """The run's part made from the last build's (``LastRuns``) by ``splice``; None: that is not kept, or cut so."""
    found = last.key(run) if last is not None else None
    if last is None or found is None:
        return None
    kept = last.read(_part_key(found[0], what))
    return splice(kept, found[1]) if kept is not None else None


def _runs(
    lines: Sequence[LedgerLine], start: int, pages: Sequence[int] = ()
) -> Iterator[tuple[int, Sequence[LedgerLine]]]:
    """The lines from ``start`` in runs of up to ``_ROWS_PART``, each with the index of its first line.

    A run is whole pages of the site's ledger (``pages``: the line each starts at), as many
    as fit, a page longer than a run cut every ``_ROWS_PART`` lines: after one change the
    run made again holds the lines of the page made again, and no line is made for the
    downloads alone (at 100,000 issues a run of 2,000 lines across two month pages made
    ~2,000 lines more).  Without pages, runs of ``_ROWS_PART`` lines from ``start``.
    """
    run = last = start
    for end in _piece_ends(len(lines), start, pages):
        if end - run > _ROWS_PART:  # the pieces so far fill a run: it ends where this one starts
            yield run, lines[run:last]
            run = last
        last = end
    if last > run:
        yield run, lines[run:last]


def _piece_ends(count: int, start: int, pages: Sequence[int]) -> Iterator[int]:
    """Where each page from ``start`` ends, and each ``_ROWS_PART`` lines into a longer one, ascending."""
    at = start
    for end in sorted({*(page for page in pages if start < page < count), count}):
        yield from range(at + _ROWS_PART, end, _ROWS_PART)
        yield end
        at = end


def ledger_csv(
    table: LedgerTable,
    parts: Parts = unkept,
    lines_key: LinesKey = _unkeyed,
    pages: Sequence[int] = (),
    last: LastRuns | None = None,
) -> bytes:
    """The ledger as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends.

    Made a run of lines at a time (``_runs``, of whole ``pages``); a run whose lines are
    keyed as in the last build is kept from it, else made from the last build's run of
    the same lines where it is kept (``last``), else made whole.
    """
    chunks = [_csv_rows([[c.label for c in table.columns]], "\ufeff")]
    for _, run in _runs(table.lines, 0, pages):
        chunks.append(_part(parts, lines_key(run), ("csv",), partial(_csv_run, run, last)))
    return b"".join(chunks)


def _csv_run(lines: Sequence[LedgerLine], last: LastRuns | None = None) -> bytes:
    """The CSV lines of a run of ledger lines (made only when the run is not kept)."""
    spliced = _remade(last, lines, ("csv",), partial(_csv_spliced, lines))
    if spliced is not None:
        return spliced
    return _csv_rows([[_text(cell) for cell in line.cells] for line in lines])


def _csv_spliced(lines: Sequence[LedgerLine], kept: bytes, changed: Sequence[int]) -> bytes | None:
    """The CSV of ``lines`` from ``kept``, the last build's CSV of them, with the lines at ``changed`` made again."""
    rows = _csv_lines(kept)
    if len(rows) != len(lines):
        return None
    for at in changed:
        rows[at] = _csv_rows([[_text(cell) for cell in lines[at].cells]])
    return b"".join(rows)


def _csv_lines(text: bytes) -> list[bytes]:
    """The CSV lines of ``text``, each with its CRLF: a CRLF ends a line where the quotes before it are even.

    The writer quotes a cell holding a line break or a quote, and doubles each quote in
    it, so a CRLF inside a cell always follows an odd number of quotes.
    """
    lines: list[bytes] = []
    start = at = quotes = 0
    while (end := text.find(b"\r\n", at)) >= 0:
        quotes += text.count(b'"', at, end)
        at = end + 2
        if quotes % 2 == 0:
            lines.append(text[start:at])
            start = at
    return lines if start == len(text) else []


def _csv_rows(rows: list[list[str]], start: str = "") -> bytes:
    out = io.StringIO()
    out.write(start)
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def ledger_xlsx(
    table: LedgerTable,
    title: str,
    created: dt.datetime,
    parts: Parts = unkept,
    lines_key: LinesKey = _unkeyed,
    pages: Sequence[int] = (),
    last: LastRuns | None = None,
) -> bytes:
    """The ledger as an Excel workbook with byte-for-byte stable content.

    Header row frozen and filterable, column widths set, dates stored as real dates.
    ``created`` is written as the workbook's created and modified time, and every zip
    entry carries the same fixed timestamp, so two builds give identical bytes.

    openpyxl builds the workbook with the header and the first line only, and the other
    lines' ``<row>`` elements are written here, as openpyxl would write them, into its
    sheet: filling 100,000 openpyxl cells and serialising them took ~40 s at 100,000
    issues.  A value openpyxl would treat specially (a formula, an error code, a
    character Excel refuses, a type other than text, whole number or date) sends the
    whole table through openpyxl instead.  The rows are made and compressed a run of
    ``_ROWS_PART`` lines at a time, of whole ``pages`` (``_runs``, ``zipparts``), and a run
    keyed as in the last build (``parts``, ``lines_key``) is kept from it: after one change,
    one run is made again, from the last build's run of the same lines where it is kept
    (``last``: its unchanged rows taken from it).
    The rest of the workbook (``_Frame``) is kept the same way: a build that makes no
    part of it and no run of odd values does not import openpyxl.
    """
    frame = _frame(table, title, created, parts, lines_key) if len(table.lines) >= 2 else None
    if frame is None:
        return _zipped(_save(_workbook(table, table.lines, title, created)))
    styles = frame.styles
    try:  # line i is on sheet row i + 2
        rows = [
            Deflated.unpack(
                _part(parts, lines_key(run), ("xlsx", styles, at), partial(_xlsx_run, table, run, styles, at, last))
            )
            for at, run in _runs(table.lines, 1, pages)
        ]
    except _NotPlain:
        return _zipped(_save(_workbook(table, table.lines, title, created)))
    return write_zip(
        (name, joined([*pieces, *rows, frame.tail]) if name == _SHEET else pieces[0]) for name, pieces in frame.entries
    )


@dataclass(frozen=True)
class _Frame:
    """The workbook of a plain ledger without its lines but the first: its zip entries, each deflated.

    The sheet's entry is its XML up to where the other lines' rows go (``tail``: the rest);
    ``styles`` are the style ids of the first line's cells, the same in every line's.
    """

    styles: tuple[int | None, ...]
    entries: tuple[tuple[str, tuple[Deflated, ...]], ...]
    tail: Deflated

    def pack(self) -> bytes:
        """The frame as bytes to keep (``unpack`` reads them back)."""
        entries = [(name, [piece.pack() for piece in pieces]) for name, pieces in self.entries]
        return pickle.dumps((FRAME_FORMAT, self.styles, entries, self.tail.pack()), pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def unpack(kept: bytes) -> _Frame:
        """A frame kept by ``pack`` (ValueError: not one)."""
        try:
            form, styles, entries, tail = pickle.loads(kept)
            if form != FRAME_FORMAT:
                raise ValueError("another format")
            pieces = tuple((name, tuple(map(Deflated.unpack, packed))) for name, packed in entries)
            return _Frame(tuple(styles), pieces, Deflated.unpack(tail))
        except (pickle.UnpicklingError, TypeError, EOFError, AttributeError, IndexError, struct.error) as exc:
            raise ValueError("not a frame") from exc


FRAME_FORMAT = 1
_NOT_PLAIN = b"not plain"  # the frame kept for a first line only openpyxl writes right


def _frame(table: LedgerTable, title: str, created: dt.datetime, parts: Parts, lines_key: LinesKey) -> _Frame | None:
    """The workbook's frame (``_Frame``), kept from the last build when made from the same; None when not plain.

    Besides the first line it holds the title, the time, how many lines there are (the
    sheet's size and filter) and openpyxl's doing: its version is in the key.
    """
    from importlib.metadata import version  # here: it imports the e-mail package (~9 ms of every build's start)

    what = ("xlsx frame", title, created.isoformat(), len(table.lines), version("openpyxl"))
    make = partial(_made_frame, table, title, created)
    kept = _part(parts, lines_key(table.lines[:1]), what, make)
    if kept == _NOT_PLAIN:
        return None
    try:
        return _Frame.unpack(kept)
    except ValueError:  # not what this code keeps: made again (the same bytes as a kept one)
        made = make()
        return None if made == _NOT_PLAIN else _Frame.unpack(made)


def _made_frame(table: LedgerTable, title: str, created: dt.datetime) -> bytes:
    """The workbook's frame made with openpyxl (``_Frame.pack``), or ``_NOT_PLAIN``."""
    if not _plain(table.columns, table.lines[:1]):
        return _NOT_PLAIN
    workbook = _workbook(table, table.lines[:1], title, created)
    data = _save(workbook)  # assigns the style ids: read them only after this
    sheet = workbook.active
    second = [sheet.cell(row=2, column=i) for i in range(1, len(table.columns) + 1)]
    styles = tuple(cell.style_id if cell.has_style else None for cell in second)  # the same in every row
    right = column_letter(len(table.columns))
    entries: list[tuple[str, tuple[Deflated, ...]]] = []
    tail = deflate(b"", last=True)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != _SHEET:
                entries.append((info.filename, (deflate(content, last=True),)))
                continue
            text = content.decode("utf-8")
            whole = f'<dimension ref="A1:{right}{len(table.lines) + 1}" />'
            text = _replace_once(text, f'<dimension ref="A1:{right}2" />', whole)
            head, rest = _cut_once(text, "</sheetData>")  # the rows go between
            entries.append((info.filename, (deflate(head.encode("utf-8")),)))
            tail = deflate(rest.encode("utf-8"), last=True)
    return _Frame(styles, tuple(entries), tail).pack()


def _xlsx_run(
    table: LedgerTable,
    run: Sequence[LedgerLine],
    styles: tuple[int | None, ...],
    at: int,
    last: LastRuns | None = None,
) -> bytes:
    """The ``<row>``s of the run of lines from line ``at`` (sheet row ``at + 2``), compressed to be followed by more."""
    columns = len(table.columns)
    splice = partial(_xlsx_spliced, table.columns, run, styles, at)
    spliced = _remade(last, run, ("xlsx", styles, at), splice)
    if spliced is not None:
        return spliced
    if not _plain(table.columns, run):
        raise _NotPlain
    return deflate(_sheet_rows(columns, run, styles, first_row=at + 2)).pack()


def _xlsx_spliced(
    columns: tuple[Column, ...],
    run: Sequence[LedgerLine],
    styles: tuple[int | None, ...],
    at: int,
    kept: bytes,
    changed: Sequence[int],
) -> bytes | None:
    """``_xlsx_run``'s part from ``kept``, the last build's of the same sheet rows, its rows at ``changed`` made again.

    A kept part's lines were all plain (``_xlsx_run``): only the lines made again are looked at.
    """
    piece = Deflated.unpack(kept)
    rows = zlib.decompressobj(-15).decompress(piece.data).split(_ROW_END)
    if len(rows) != len(run) + 1 or rows[-1]:
        return None
    made = [run[place] for place in changed]
    if not _plain(columns, made):
        raise _NotPlain
    for place, line in zip(changed, made, strict=True):
        rows[place] = _sheet_rows(len(columns), [line], styles, first_row=at + 2 + place)[: -len(_ROW_END)]
    return deflate(_ROW_END.join(rows)).pack()


def _zipped(data: bytes, pieces: dict[str, Callable[[bytes], list[Deflated]]] | None = None) -> bytes:
    """The zip ``data`` written again by ``zipparts`` (fixed times), an entry in ``pieces`` from the pieces it gives."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            content = source.read(info.filename)
            make = (pieces or {}).get(info.filename)
            entries.append((info.filename, joined(make(content)) if make else deflate(content, last=True)))
    return write_zip(entries)


def _workbook(table: LedgerTable, lines: Sequence[LedgerLine], title: str, created: dt.datetime) -> Any:
    """The openpyxl workbook of the table's header and ``lines`` (the filter covers every line)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单台账"
    ws.append([c.label for c in table.columns])
    for line in lines:
        ws.append(list(line.cells))
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="CC0000")
    for index, column in enumerate(table.columns, start=1):
        letter = column_letter(index)
        ws.column_dimensions[letter].width = column.width * 1.8 if column.kind == "text" else column.width + 2
        head = ws.cell(row=1, column=index)
        head.font, head.fill = header_font, header_fill
        head.alignment = Alignment(horizontal="center", vertical="center")
        if column.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "B2"
    if table.lines:
        ws.auto_filter.ref = f"A1:{column_letter(len(table.columns))}{len(table.lines) + 1}"
    ws.oddHeader.center.text = title
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = title, "reportgen", "reportgen"
    props.created = props.modified = created
    return wb


_SHEET = "xl/worksheets/sheet1.xml"
_ROW_END = b"</row>"  # how each sheet row ends (``_sheet_rows``): text in a cell has its "<" escaped


def _the_one(text: str, marker: str) -> int:
    """Where the one ``marker`` in the sheet is."""
    if text.count(marker) != 1:  # openpyxl wrote something else than expected: never guess
        raise RuntimeError(f"ledger.xlsx: expected one {marker!r} in the sheet")
    return text.index(marker)


def _replace_once(text: str, old: str, new: str) -> str:
    at = _the_one(text, old)
    return text[:at] + new + text[at + len(old) :]


def _cut_once(text: str, marker: str) -> tuple[str, str]:
    """``text`` cut just before the one ``marker`` in it."""
    at = _the_one(text, marker)
    return text[:at], text[at:]


def _plain(columns: tuple[Column, ...], lines: Sequence[LedgerLine]) -> bool:
    """True when every cell is one ``_sheet_rows`` writes exactly as openpyxl does.

    That is: no value, text that is not a formula, an error code or too long and has no
    character Excel refuses, a whole number, or a date in a date column (so that every
    row's cells have the styles of the first row's).
    """
    dated = tuple(column.kind == "date" for column in columns)
    texts: list[str] = []
    for line in lines:
        for is_date, cell in zip(dated, line.cells, strict=True):
            kind = type(cell)
            if kind is str:
                texts.append(cell)  # type: ignore[arg-type]
            elif not (cell is None or kind is int or (kind is dt.date and is_date)):
                return False
    if any(len(text) > 32767 or text.startswith("=") for text in texts) or not ERROR_CODES.isdisjoint(texts):
        return False
    # one search over all the text: a line break is not among the characters Excel refuses
    return ILLEGAL_CHARACTERS_RE.search("\n".join(texts)) is None


def _sheet_rows(columns: int, lines: Sequence[LedgerLine], styles: tuple[int | None, ...], first_row: int) -> bytes:
    """The ``<row>`` elements of ``lines`` from sheet row ``first_row``, as openpyxl's writer serialises them, in UTF-8.

    Cells are ``<c r s t>`` with the style (``s``) only where the cell has one (the date
    columns), text inline with ``&``, ``<``, ``>`` escaped, numbers as ``%.16g`` and dates
    as Excel serial days; a cell with no value and no style is left out.
    """
    numbers: dict[dt.date | int, str] = {}
    letters = [column_letter(i) for i in range(1, columns + 1)]
    style_attrs = [f' s="{s}"' if s is not None else "" for s in styles]
    out: list[str] = []
    for number, line in enumerate(lines, start=first_row):
        out.append(f'<row r="{number}">')
        for letter, style, value in zip(letters, style_attrs, line.cells, strict=True):
            kind = type(value)
            if value is None:
                if style:
                    out.append(f'<c r="{letter}{number}"{style} t="n" />')
            elif kind is str:
                text: str = value  # type: ignore[assignment]
                if not text:
                    out.append(f'<c r="{letter}{number}"{style} t="inlineStr" />')
                    continue
                stripped = text.strip()
                space = ' xml:space="preserve"' if stripped and text != stripped else ""
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                out.append(f'<c r="{letter}{number}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:  # a date or a whole number: few distinct ones, each written once
                shown = numbers.get(value)  # type: ignore[arg-type]
                if shown is None:
                    shown = numbers[value] = number_text(excel_day(value) if kind is dt.date else value)  # type: ignore[index, arg-type]
                out.append(f'<c r="{letter}{number}"{style} t="n"><v>{shown}</v></c>')
        out.append("</row>")
    return "".join(out).encode("utf-8")


def _save(workbook: Any) -> bytes:
    # ExcelWriter directly: Workbook.save would overwrite the modified time with the clock
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def stable_zip(data: bytes) -> bytes:
    """``data`` re-zipped with fixed timestamps and permissions, entries in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, source.read(info.filename), compresslevel=9)
    return out.getvalue()
