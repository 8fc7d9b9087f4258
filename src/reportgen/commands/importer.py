"""``reportgen import FILE.xlsx|FILE.csv [--kind K] [--map M] [--dry-run] [RECORDS]``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TextIO

from reportgen.commands.check import HINT, SEVERITY_WORDS
from reportgen.excel.importer import Located, Planned, locate, plan_import, validate_plan, write_plan
from reportgen.excel.mapping import MappingError, load_mapping
from reportgen.excel.reader import ReadError, read_tables
from reportgen.excel.rows import Note
from reportgen.formatting import shown_path, terminal_safe
from reportgen.lang import Pair, os_reason, pick
from reportgen.problems import Severity
from reportgen.validate import check_repository

MESSAGES: dict[str, Pair] = {
    "unreadable": ("reportgen: 无法读取 {path}：{reason}", "reportgen: cannot read {path}: {reason}"),
    "stopped": (
        "有错误，没有写入任何文件；改正后重新导入。",
        "errors: nothing was written; fix them and import again.",
    ),
    "will_add": ("将新建{label} {id} {path}{where}", "would add {kind} {id} {path}{where}"),
    "will_edit": (
        "将修改{label} {id} {path}{where}：{fields}{moved}",
        "would edit {kind} {id} {path}{where}: {fields}{moved}",
    ),
    "added": ("已新建{label} {id} {path}{where}", "added {kind} {id} {path}{where}"),
    "edited": (
        "已修改{label} {id} {path}{where}：{fields}{moved}",
        "edited {kind} {id} {path}{where}: {fields}{moved}",
    ),
    "where": ("（{sheet} 第{row}行）", " ({sheet}, row {row})"),
    "moved": ("（从 {path} 移到所属月份的文件夹）", " (moved from {path} into its month's folder)"),
    "field_separator": ("、", ", "),
    "summary": (
        "共 {lines} 条记录：写入 {writes} 个文件，{unchanged} 条没有变化",
        "{lines} records: {writes} files written, {unchanged} unchanged",
    ),
    "dry": ("（试运行，没有写入文件）", " (dry run: nothing written)"),
}


def run_import(
    source: Path,
    records: Path,
    kind: str | None = None,
    mapping_file: Path | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    out: TextIO | None = None,
    lang: str = "zh",
) -> int:
    """Import ``source``: 0 written (or, dry, writable), 1 problems stopped it, 2 a file cannot be read."""
    out = out or sys.stdout
    try:
        tables = read_tables(source)
        mapping = load_mapping(mapping_file)
    except (ReadError, MappingError) as exc:
        print(f"reportgen: {terminal_safe(exc.text(lang))}", file=out)
        return 2
    except OSError as exc:
        path = shown_path(os.fsdecode(exc.filename) if exc.filename else source, lang)
        print(pick(MESSAGES["unreadable"], lang, path=path, reason=os_reason(exc, lang)), file=out)
        return 2
    loaded = check_repository(records).records
    plan = plan_import(tables, mapping, kind, loaded, today or dt.date.today())
    if tables.converted_from:
        plan.notes.insert(0, Note("W743", tables.sheets[0].title, 1, 1, {"encoding": tables.converted_from}))
    problems = validate_plan(plan, records, source.name)
    located = locate(plan, problems, records, source.name, [t.title for t in tables.sheets])
    out.write(format_located(located, lang))
    if any(item.problem.severity is Severity.ERROR for item in located):
        print(pick(MESSAGES["stopped"], lang), file=out)
        return 1
    if dry_run:
        for planned in plan.writes:
            print(_planned_line(planned, ("will_add", "will_edit"), lang), file=out)
        print(_summary(len(plan.writes), len(plan.records), lang) + pick(MESSAGES["dry"], lang), file=out)
        return 0
    write_plan(plan, source.name, lambda planned: print(_planned_line(planned, ("added", "edited"), lang), file=out))
    print(_summary(len(plan.writes), len(plan.records), lang), file=out)
    return 0


def format_located(located: list[Located], lang: str = "zh") -> str:
    """Each problem as ``文件.xlsx!工作表!C12: 错误 E204 message`` with its hint below, as ``check`` prints."""
    lines = []
    for item in located:
        p = item.problem
        lines.append(f"{item.where}: {pick(SEVERITY_WORDS[p.severity], lang)} {p.code} {p.message(lang)}")
        lines.append(pick(HINT, lang, hint=p.hint(lang)))
    return "".join(terminal_safe(line) + "\n" for line in lines)


def _planned_line(planned: Planned, keys: tuple[str, str], lang: str) -> str:
    """What happens (or would happen) to one record: added, or edited with the fields that change."""
    where = pick(MESSAGES["where"], lang, sheet=terminal_safe(planned.line.sheet), row=planned.line.row)
    params = {"label": planned.kind.label, "kind": planned.kind.name, "id": planned.record_id, "where": where}
    path = shown_path(planned.path, lang)
    if not planned.existing:
        return pick(MESSAGES[keys[0]], lang, path=path, **params)
    changed = [(f.label if lang != "en" else f.name) for f in planned.kind.fields if f.name in planned.changed]
    moved = pick(MESSAGES["moved"], lang, path=shown_path(planned.moved_from, lang)) if planned.moved_from else ""
    fields = pick(MESSAGES["field_separator"], lang).join(changed)
    return pick(MESSAGES[keys[1]], lang, path=path, fields=fields, moved=moved, **params)


def _summary(writes: int, lines: int, lang: str) -> str:
    return pick(MESSAGES["summary"], lang, lines=lines, writes=writes, unchanged=lines - writes)
