"""``reportgen import FILE.xlsx|FILE.csv [--kind K] [--map M] [--dry-run] [RECORDS]``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from reportgen.commands.check import SEVERITY_WORDS
from reportgen.excel.importer import Located, Planned, locate, plan_import, validate_plan, write_plan
from reportgen.excel.mapping import MappingError, load_mapping
from reportgen.excel.reader import ReadError, read_tables
from reportgen.excel.rows import Note
from reportgen.formatting import shown_path, terminal_safe
from reportgen.problems import Severity
from reportgen.validate import check_repository


def run_import(
    source: Path,
    records: Path,
    kind: str | None = None,
    mapping_file: Path | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    out: TextIO | None = None,
) -> int:
    """Import ``source``: 0 written (or, dry, writable), 1 problems stopped it, 2 a file cannot be read."""
    out = out or sys.stdout
    try:
        tables = read_tables(source)
        mapping = load_mapping(mapping_file)
    except (ReadError, MappingError, OSError) as exc:
        print(f"reportgen: {terminal_safe(str(exc))}", file=out)
        return 2
    loaded = check_repository(records).records
    plan = plan_import(tables, mapping, kind, loaded, today or dt.date.today())
    if tables.converted_from:
        plan.notes.insert(0, Note("W743", tables.sheets[0].title, 1, 1, {"encoding": tables.converted_from}))
    problems = validate_plan(plan, records, source.name)
    located = locate(plan, problems, records, source.name, [t.title for t in tables.sheets])
    out.write(format_located(located))
    if any(item.problem.severity is Severity.ERROR for item in located):
        print("有错误，没有写入任何文件；改正后重新导入。", file=out)
        return 1
    if dry_run:
        for planned in plan.writes:
            print(_planned_line(planned, "将新建", "将修改"), file=out)
        print(_summary(len(plan.writes), len(plan.records), "（试运行，没有写入文件）"), file=out)
        return 0
    write_plan(plan, source.name, lambda planned: print(_planned_line(planned, "已新建", "已修改"), file=out))
    print(_summary(len(plan.writes), len(plan.records), ""), file=out)
    return 0


def format_located(located: list[Located]) -> str:
    """Each problem as ``文件.xlsx!工作表!C12: 错误 E204 message`` with its hint below, as ``check`` prints."""
    lines = []
    for item in located:
        p = item.problem
        lines.append(f"{item.where}: {SEVERITY_WORDS['zh'][p.severity]} {p.code} {p.message()}")
        lines.append(f"    提示：{p.hint()}")
    return "".join(terminal_safe(line) + "\n" for line in lines)


def _planned_line(planned: Planned, new: str, edit: str) -> str:
    where = f"（{planned.line.sheet} 第{planned.line.row}行）"
    if not planned.existing:
        return f"{new}{planned.kind.label} {planned.record_id} {shown_path(planned.path)}{where}"
    labels = "、".join(f.label for f in planned.kind.fields if f.name in planned.changed)
    moved = f"（从 {shown_path(planned.moved_from)} 移到所属月份的文件夹）" if planned.moved_from else ""
    return f"{edit}{planned.kind.label} {planned.record_id} {shown_path(planned.path)}{where}：{labels}{moved}"


def _summary(writes: int, lines: int, tail: str) -> str:
    return f"共 {lines} 条记录：写入 {writes} 个文件，{lines - writes} 条没有变化{tail}"
