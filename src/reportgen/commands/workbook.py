"""``reportgen workbook --out 填报模板.xlsx [RECORDS]``: the fill-in workbook for departments."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from reportgen.excel.workbook import build_workbook, record_names
from reportgen.formatting import shown_path
from reportgen.lang import Pair, pick
from reportgen.validate import check_repository

MESSAGES: dict[str, Pair] = {
    "suffix": (
        "拒绝写入 {out}：填报模板的文件名要以 .xlsx 结尾",
        "refused to write {out}: the workbook's name must end in .xlsx",
    ),
    "not_file": (
        "拒绝写入 {out}：这里已经有一个不是普通文件的同名项（目录或链接）",
        "refused to write {out}: something that is no plain file (a folder or a link) has that name",
    ),
    "in_records": (
        "拒绝写入 {out}：这个位置在记录目录 {records} 之内，填报模板请放在记录目录之外",
        "refused to write {out}: it is inside the records folder {records}; put the workbook outside it",
    ),
    "written": ("已生成填报模板 {out}", "wrote the workbook {out}"),
}


def refusal(out: Path, records: Path, lang: str = "zh") -> str | None:
    """Why the workbook may not be written to ``out`` (in ``lang``), or None when it may."""
    shown = shown_path(out, lang)
    if out.suffix.lower() != ".xlsx":
        return pick(MESSAGES["suffix"], lang, out=shown)
    if os.path.islink(out) or (out.exists() and not out.is_file()):
        return pick(MESSAGES["not_file"], lang, out=shown)
    if out.resolve().is_relative_to(records.resolve()):
        return pick(MESSAGES["in_records"], lang, out=shown, records=shown_path(records, lang))
    return None


def run_workbook(records: Path, out: Path, with_records: bool, err: TextIO | None = None, lang: str = "zh") -> int:
    """Write the workbook; 2 when ``out`` is refused, 1 when the records cannot be read."""
    err = err or sys.stderr
    why = refusal(out, records, lang)
    if why:
        print(f"reportgen: {why}", file=err)
        return 2
    loaded = check_repository(records).records if records.is_dir() else None
    data = build_workbook(loaded, record_names(loaded), with_records)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, out)
    print(pick(MESSAGES["written"], lang, out=shown_path(out, lang)), file=err)
    return 0
