"""``reportgen import``: lines of a workbook or ledger → record files, validated as a whole first.

1. read every sheet into lines (``rows.py``) through the layout or the mapping file;
2. match each line to a record: its id, else the record with the same natural key
   (an enterprise's credit code or name, an issue's enterprise, date and title …),
   else a new record with the next free id;
3. merge: the fields the sheet has columns for replace the record's, the rest stay;
4. write the would-be files into a copy of the records folder and run the real
   validator on it; every problem in a file the import writes is shown at the cell
   it came from (``文件.xlsx!工作表!C12``) with ``check``'s message and hint;
5. only when no error remains, write: an existing file changes only at the changed
   fields' lines (comments kept, ``yamledit``), a new file is written as ``new`` writes it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.excel import yamledit
from reportgen.excel.cells import Names
from reportgen.excel.layout import HISTORY, HISTORY_SHEET, SHEETS, Sheet
from reportgen.excel.mapping import ImportMap, SheetMap
from reportgen.excel.reader import Table, Tables
from reportgen.excel.rows import Line, Note, history_entry, issue_of, read_lines, sheet_plan
from reportgen.excel.workbook import display_name, record_names
from reportgen.model import Record, Records
from reportgen.problems import Problem
from reportgen.schema.kinds import FIRST_STATUS, KINDS_BY_NAME
from reportgen.schema.types import Kind
from reportgen.validate import check_repository
from reportgen.workflow import store
from reportgen.workflow.recordfile import record_header, render_record

# The fields that say two lines are the same record when a line has no id.
NATURAL_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "enterprise": (("uscc",), ("name",)),
    "visit": (("date", "enterprise"),),
    "issue": (("enterprise", "raised", "title"),),
    "legal": (("date", "unit", "kind", "description"),),
}


@dataclass
class Planned:
    """One record the import writes: where, from which line, its values and which fields changed."""

    kind: Kind
    record_id: str
    line: Line
    values: dict[str, Any]
    path: Path
    existing: bool
    changed: tuple[str, ...] = ()
    moved_from: Path | None = None  # an existing file whose date now files it in another month's folder

    @property
    def source_path(self) -> Path:
        """The file the record is read from now."""
        return self.moved_from or self.path


@dataclass
class Plan:
    """Everything the import would do, and what it found on the way."""

    records: list[Planned] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def writes(self) -> list[Planned]:
        """The records whose file would be written (new, or with a changed field)."""
        return [p for p in self.records if not p.existing or p.changed]


def plan_import(tables: Tables, mapping: ImportMap, kind: str | None, records: Records, today: dt.date) -> Plan:
    """What importing ``tables`` into ``records`` would write.

    Sheets are read in the layout's order of kinds (enterprises first), so a line may name
    an enterprise that an earlier sheet of the same file brings in.
    """
    names = record_names(records)
    plan = Plan()
    claimed: dict[tuple[str, str], Line] = {}
    history: list[Line] = []
    for sheet, sheet_map, table in _ordered(tables, mapping, kind, plan):
        found = read_lines(table, sheet, sheet_map, mapping, names)
        plan.notes += found.notes
        defaults = sheet_map.defaults if sheet_map is not None else {}
        for line in found.lines:
            line.values.update({(k,): v for k, v in defaults.items() if (k,) not in line.values})
            if found.is_history:
                history.append(line)
            else:
                _plan_line(line, records, plan, claimed, today)
        names = with_new_names(names, plan)
    _attach_history(history, records, plan)
    for planned in plan.records:
        planned.changed = _changed(planned, records)
    return plan


def _ordered(
    tables: Tables, mapping: ImportMap, kind: str | None, plan: Plan
) -> list[tuple[Sheet, SheetMap | None, Table]]:
    """Each readable sheet with its layout and mapping, in the layout's order; the others noted (W742)."""
    found = []
    for table in tables.sheets:
        sheet, sheet_map = sheet_plan(table.title, mapping, kind, len(tables.sheets) == 1)
        if sheet is None:
            plan.notes.append(Note("W742", table.title, 1, 1, {"sheet": table.title}))
        else:
            found.append((sheet, sheet_map, table))
    return sorted(found, key=lambda item: SHEETS.index(item[0]))


def with_new_names(names: Names, plan: Plan) -> Names:
    """``names`` with the new records planned so far, so later sheets can name them."""
    shown = {kind: dict(ids) for kind, ids in names.shown.items()}
    ids = {kind: dict(found) for kind, found in names.ids.items()}
    for planned in plan.records:
        name = display_name(planned.values)
        shown.setdefault(planned.kind.name, {})[planned.record_id] = name
        if name:
            ids.setdefault(planned.kind.name, {}).setdefault(name, planned.record_id)
    return Names(shown, ids)


def _plan_line(line: Line, records: Records, plan: Plan, claimed: dict[tuple[str, str], Line], today: dt.date) -> None:
    kind = KINDS_BY_NAME[line.kind]
    existing = records.of(kind.name)
    given = line.values.get(("id",))
    record_id = str(given) if given else _natural_match(line, existing)
    taken = set(existing) | {rid for k, rid in claimed if k == kind.name}
    record_id = record_id or store.next_id(kind, taken)
    if (kind.name, record_id) in claimed:
        first = claimed[(kind.name, record_id)]
        plan.notes.append(Note("E553", line.sheet, line.row, line.first_column, {"row": first.row, "id": record_id}))
        return
    claimed[(kind.name, record_id)] = line
    record = existing.get(record_id)
    values = _merge(dict(record.data) if record else {"id": record_id}, line)
    if line.history is not None:
        values[HISTORY] = line.history
    elif record is None and kind.name == "issue" and isinstance(values.get("raised"), dt.date):
        values[HISTORY] = [{"date": values["raised"], "status": FIRST_STATUS}]  # its history sheet lines replace it
    path = store.record_path(records.root, kind, record_id, values, today)
    if record is None:
        plan.records.append(Planned(kind, record_id, line, values, path, False))
        return
    old = Path(record.file)
    moved = old if store.DATED_FOLDERS.get(kind.name) and path.resolve() != old.resolve() else None
    plan.records.append(Planned(kind, record_id, line, values, path if moved else old, True, moved_from=moved))


def _natural_match(line: Line, existing: dict[str, Record]) -> str | None:
    for key in NATURAL_KEYS.get(line.kind, ()):
        wanted = tuple(line.values.get((name,)) for name in key)
        if any(value is None for value in wanted):
            continue
        for record_id, record in sorted(existing.items()):
            if all(_same(record.get(name), value) for name, value in zip(key, wanted, strict=True)):
                return record_id
    return None


def _merge(values: dict[str, Any], line: Line) -> dict[str, Any]:
    """The record's values with the line's: an empty cell removes the field, a mapping merges by child."""
    for path, value in line.values.items():
        if path == ("id",):
            continue
        if len(path) == 1:
            values[path[0]] = value
            continue
        child = dict(values.get(path[0]) or {})
        child[path[1]] = value
        values[path[0]] = child
    for name, value in list(values.items()):
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
            values[name] = value or None
    return {name: value for name, value in values.items() if value is not None}


def _attach_history(lines: list[Line], records: Records, plan: Plan) -> None:
    """History sheet lines become the history of their issue (an issue with no lines keeps its own)."""
    by_issue: dict[str, list[Line]] = {}
    planned = {p.record_id: p for p in plan.records if p.kind.name == "issue"}
    for line in lines:
        issue = str(issue_of(line) or "")
        if issue not in planned and issue not in records.of("issue"):
            plan.notes.append(Note("E554", line.sheet, line.row, line.first_column, {"issue": issue}))
            continue
        by_issue.setdefault(issue, []).append(line)
    for issue, entries in by_issue.items():
        target = planned.get(issue)
        if target is None:
            record = records.of("issue")[issue]
            target = Planned(KINDS_BY_NAME["issue"], issue, entries[0], dict(record.data), Path(record.file), True)
            plan.records.append(target)
            planned[issue] = target
        target.values[HISTORY] = [history_entry(line) for line in entries]
        target.line.history_rows = [(line.row, line.first_column) for line in entries]
        target.line.columns.setdefault((HISTORY,), entries[0].first_column)


def _same(a: Any, b: Any) -> bool:
    """Equal as the records mean it: text compared without surrounding blanks, lists item by item."""
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _changed(planned: Planned, records: Records) -> tuple[str, ...]:
    """The top-level fields whose value the import changes (all of a new record's)."""
    if not planned.existing:
        return tuple(planned.values)
    raw = store.read_values(planned.source_path) or {}
    before = records.of(planned.kind.name)[planned.record_id].data
    changed = []
    for schema_field in planned.kind.fields:
        name = schema_field.name
        old = before.get(name) if name in raw else None
        new = planned.values.get(name)
        if name not in raw and new is not None and _same(new, schema_field.default):
            continue
        if not _same(old, new):
            changed.append(name)
    return tuple(changed) or (("id",) if planned.moved_from else ())


# -- the would-be records, validated ------------------------------------------------------


def file_text(planned: Planned, source: str) -> str:
    """The file's new text: the old one edited at the changed fields, or a new record's whole text."""
    if planned.existing:
        text = planned.source_path.read_text(encoding="utf-8")
        for name in planned.changed:
            text = yamledit.set_field(text, name, planned.values.get(name))
        return text
    ordered = {f.name: planned.values[f.name] for f in planned.kind.fields if f.name in planned.values}
    header = record_header(planned.kind, planned.record_id, f"由 reportgen import 从 {source} 导入。")
    return render_record(planned.kind, ordered, header, show_optional=False)


def validate_plan(plan: Plan, root: Path, source: str) -> list[Problem]:
    """Every problem of the records folder as it would be after the import (checked in a copy)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-import-") as temp:
        copy = Path(temp) / "records"  # not ``root.name``: the records folder may be named ``.``
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        for planned in plan.writes:
            target = copy / planned.path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file_text(planned, source), encoding="utf-8")
            if planned.moved_from is not None:
                (copy / planned.moved_from.relative_to(root)).unlink()
        problems = check_repository(copy, use_cache=False).report.sorted()
        prefix = f"{copy}/"
        return [_rebase(p, prefix, root) for p in problems]


def _rebase(problem: Problem, prefix: str, root: Path) -> Problem:
    """``problem`` at its file under ``root`` (as the plan names it: ``enterprises/E999.yaml`` under ``.``)."""
    if not problem.file.startswith(prefix):
        return problem
    rel = problem.file[len(prefix) :]
    return Problem(
        str(root / rel), problem.line, problem.column, problem.code, problem.params, problem.record, problem.field
    )


@dataclass(frozen=True)
class Located:
    """A problem shown where the user can fix it: a cell of the sheet, or a record file's line."""

    where: str
    order: tuple[Any, ...]
    problem: Problem


def cell_name(row: int, column: int) -> str:
    """``C12``."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def locate(plan: Plan, problems: list[Problem], root: Path, source: str, sheet_order: list[str]) -> list[Located]:
    """The notes and the validator's problems, each at its cell (or, outside the import, its file)."""
    order = {title: index for index, title in enumerate(sheet_order)}
    by_file = {str(p.path): p for p in plan.writes}
    found: list[Located] = []

    def at(sheet: str, row: int, column: int, problem: Problem) -> Located:
        where = f"{source}!{sheet}!{cell_name(row, column)}"
        return Located(where, (0, order.get(sheet, 99), row, column, problem.code), problem)

    for note in plan.notes:
        problem = Problem(source, note.row, note.column, note.code, note.params)
        found.append(at(note.sheet, note.row, note.column, problem))
    for problem in problems:
        planned = by_file.get(problem.file)
        if planned is None:
            if problem.severity == "error":
                found.append(Located(f"{problem.file}:{problem.line}:{problem.column}", (1, problem.file), problem))
            continue
        sheet, row, column = _cell_of(planned, problem.field or "")
        found.append(at(sheet, row, column, problem))
    return sorted(found, key=lambda located: located.order)


_INDEX = re.compile(r"^history[.\[](\d+)")


def _cell_of(planned: Planned, field_path: str) -> tuple[str, int, int]:
    """The cell a problem of ``field_path`` (``contact.phone``, ``history.2.status``) came from."""
    line = planned.line
    parts = tuple(part for part in re.split(r"[.\[\]]", field_path) if part and not part.isdigit())
    entry = _INDEX.match(field_path)
    if entry and line.history_rows and int(entry.group(1)) < len(line.history_rows):
        row, first = line.history_rows[int(entry.group(1))]
        return HISTORY_SHEET, row, first
    for size in (2, 1):
        if parts[:size] in line.columns:
            return line.sheet, line.row, line.columns[parts[:size]]
    if parts[:1] == (HISTORY,) and ("progress",) in line.columns:
        return line.sheet, line.row, line.columns[("progress",)]
    return line.sheet, line.row, line.first_column


# -- writing ------------------------------------------------------------------------------


def write_plan(plan: Plan, source: str, say: Callable[[Planned], None]) -> None:
    """Write every planned file: an existing one replaced whole at once, a new one never over another."""
    for planned in plan.writes:
        text = file_text(planned, source)
        if planned.existing and planned.moved_from is None:
            _replace(planned.path, text)
        else:
            store.write_new_file(planned.path, text)
        if planned.moved_from is not None:
            planned.moved_from.unlink()
        say(planned)


def _replace(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(prefix=".reportgen-", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
