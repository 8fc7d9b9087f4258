"""From tables of cells to lines of records: find the header, read each line's values.

The header is the first of the top rows in which the known headers (the workbook's,
or the mapping file's) are found; a title row above it and a 序号 column are passed
over, empty lines left out.  Every value keeps the cell it came from, so a problem
found later names ``工作表!C12``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.excel.cells import Names, as_text, half_width, read_value
from reportgen.excel.layout import ISSUE_ID, REQUIRED_MARK, SHEETS, SHEETS_BY_TITLE, Sheet
from reportgen.excel.mapping import PROGRESS, STATUS, STATUS_DATE, ImportMap, SheetMap
from reportgen.excel.reader import Table
from reportgen.schema.kinds import FIRST_STATUS, HISTORY_ENTRY, KINDS_BY_NAME, STATUSES
from reportgen.schema.types import Field

HEADER_SEARCH = 10  # rows searched for the header
IGNORED_HEADERS = ("序号", "编号序号", "No.", "#")
_SEGMENTS = re.compile(r"[；;。\n]+")
_DATED = re.compile(r"^\s*(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*[，,：:、]?\s*(.*)$", re.S)
STATUS_WORDS = {**{status: status for status in STATUSES}, "交办": "分办交办", "答复": "已答复"}
PROGRESS_FIELD = Field(PROGRESS, HISTORY_ENTRY.type, "办理进展", "", None)


@dataclass(frozen=True)
class Note:
    """Something the import found on its own (not the validator): a catalogue code at a cell."""

    code: str
    sheet: str
    row: int
    column: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Line:
    """One line of a sheet: the values it gives, and the column each field path came from."""

    sheet: str
    kind: str
    row: int
    first_column: int
    values: dict[tuple[str, ...], Any] = field(default_factory=dict)
    columns: dict[tuple[str, ...], int] = field(default_factory=dict)
    history: list[dict[str, Any]] | None = None
    history_rows: list[tuple[int, int]] = field(default_factory=list)  # (row, first column) per entry


@dataclass
class SheetLines:
    """What one sheet gave: its lines (records, or history entries) and the notes about it."""

    lines: list[Line] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    is_history: bool = False


def normalize(header: object) -> str:
    """A header as compared: full-width signs plain, no spaces or line breaks, the required mark gone."""
    text = half_width(as_text(header)).replace(REQUIRED_MARK, "").replace("*", "")
    return re.sub(r"\s+", "", text)


def sheet_plan(title: str, mapping: ImportMap, kind: str | None, single: bool) -> tuple[Sheet | None, SheetMap | None]:
    """The layout sheet (for its columns and kind) and the mapping that read the sheet called ``title``."""
    sheet_map = mapping.sheets.get(title)
    if sheet_map is None and single and len(mapping.sheets) == 1:
        sheet_map = next(iter(mapping.sheets.values()))
    if sheet_map is not None:
        return _layout_of(sheet_map.kind), sheet_map
    if title in SHEETS_BY_TITLE:
        return SHEETS_BY_TITLE[title], None
    if kind is not None:
        return _layout_of(kind), None
    return None, None


def _layout_of(kind: str) -> Sheet:
    return next(sheet for sheet in SHEETS if sheet.kind.name == kind and not sheet.is_history)


def read_lines(table: Table, sheet: Sheet, sheet_map: SheetMap | None, mapping: ImportMap, names: Names) -> SheetLines:
    """The lines of ``table`` read as ``sheet``'s kind through ``sheet_map``."""
    known = {normalize(c.header): (c.path, c.field) for c in sheet.columns}
    if sheet_map is not None:
        for header, path in sheet_map.columns.items():
            known[normalize(header)] = (path, _field(sheet.kind.name, path)) if path else (None, None)  # type: ignore[assignment]
    found = SheetLines(is_history=sheet.is_history)
    header_row = _header_row(table, known)
    if header_row is None:
        found.notes.append(Note("E551", table.title, 1, 1, {"sheet": table.title}))
        return found
    columns: dict[int, tuple[tuple[str, ...], Field]] = {}
    for index, cell in enumerate(table.rows[header_row - 1], start=1):
        key = normalize(cell)
        if not key or key in IGNORED_HEADERS:
            continue
        if key not in known:
            found.notes.append(Note("W741", table.title, header_row, index, {"header": as_text(cell)}))
        elif known[key][0] is not None and all(known[key][0] != seen[0] for seen in columns.values()):
            columns[index] = known[key]
    for row_number in range(header_row + 1, len(table.rows) + 1):
        line = _line(table, row_number, columns, sheet, mapping, names, found.notes)
        if line is not None:
            found.lines.append(line)
    return found


def _field(kind: str, path: tuple[str, ...]) -> Field:
    if path == (PROGRESS,):
        return PROGRESS_FIELD
    if path in (STATUS, STATUS_DATE):
        entry_field = HISTORY_ENTRY.child(path[1])
        assert entry_field is not None
        return entry_field
    top = KINDS_BY_NAME[kind].field(path[0])
    assert top is not None  # the mapping file was checked against the schema
    child = top.child(path[1]) if len(path) > 1 else top
    assert child is not None
    return child


def _header_row(table: Table, known: dict[str, Any]) -> int | None:
    need = min(2, len(known))
    for number, row in enumerate(table.rows[:HEADER_SEARCH], start=1):
        if len({normalize(cell) for cell in row if normalize(cell) in known}) >= need:
            return number
    return None


def _line(
    table: Table,
    row_number: int,
    columns: dict[int, tuple[tuple[str, ...], Field]],
    sheet: Sheet,
    mapping: ImportMap,
    names: Names,
    notes: list[Note],
) -> Line | None:
    row = table.rows[row_number - 1]
    cells = {index: row[index - 1] if index <= len(row) else None for index in columns}
    if all(as_text(value) == "" for value in cells.values()):
        return None
    line = Line(table.title, sheet.kind.name, row_number, min(columns) if columns else 1)
    for index, (path, field_) in columns.items():
        line.columns[path] = index
        if path == (PROGRESS,):
            continue
        line.values[path] = read_value(cells[index], field_, names, mapping.values)
    progress = next((index for index, (path, _) in columns.items() if path == (PROGRESS,)), None)
    if progress is not None and as_text(cells[progress]):
        line.history = _progress(as_text(cells[progress]), line, progress, mapping, notes)
    _latest_status(line)
    return line


def _latest_status(line: Line) -> None:
    """A status column (and its date column) as the last history entry, unless the history already ends so."""
    status, date = line.values.pop(STATUS, None), line.values.pop(STATUS_DATE, None)
    raised = line.values.get(("raised",))
    if status is None:
        return
    entries = line.history or [{"date": raised, "status": FIRST_STATUS}]
    if entries[-1]["status"] != status:
        entries.append({"date": date if date is not None else entries[-1]["date"], "status": status})
    line.history = entries


def _progress(text: str, line: Line, column: int, mapping: ImportMap, notes: list[Note]) -> list[dict[str, Any]]:
    """A 办理进展 text, “9月5日已交办供电公司；9月20日已解决”, as dated history entries."""
    raised = line.values.get(("raised",))
    previous = raised if isinstance(raised, dt.date) else None
    entries: list[dict[str, Any]] = []
    for segment in (part.strip() for part in _SEGMENTS.split(text)):
        found = _DATED.match(half_width(segment)) if segment else None
        if not segment:
            continue
        if found is None or (previous is None and found.group(1) is None):
            notes.append(Note("E552", line.sheet, line.row, column, {"text": segment}))
            continue
        year, month, day, rest = found.groups()
        base_year = int(year) if year else previous.year  # type: ignore[union-attr]
        if not year and previous is not None and int(month) < previous.month:
            base_year += 1
        try:
            date = dt.date(base_year, int(month), int(day))
        except ValueError:
            notes.append(Note("E552", line.sheet, line.row, column, {"text": segment}))
            continue
        entries.append({"date": date, "status": _status(rest, mapping), "note": segment})
        previous = date
    if isinstance(raised, dt.date) and (not entries or entries[0]["status"] != FIRST_STATUS):
        entries.insert(0, {"date": raised, "status": FIRST_STATUS})
    return entries


def _status(text: str, mapping: ImportMap) -> str:
    """The status a progress note states: the longest status word in it (the office's words included)."""
    words = {**STATUS_WORDS, **{word: status for word, status in mapping.values.items() if status in STATUSES}}
    found = [word for word in words if word in text]
    return words[max(found, key=len)] if found else STATUSES[2]


def history_entry(line: Line) -> dict[str, Any]:
    """A history sheet line as an issue's history entry (the schema's key order, empty cells left out)."""
    return {
        child.name: line.values[(child.name,)]
        for child in HISTORY_ENTRY.fields
        if line.values.get((child.name,)) is not None
    }


def issue_of(line: Line) -> Any:
    """The issue a history sheet line belongs to (its id, or the text written)."""
    return line.values.get((ISSUE_ID,))
