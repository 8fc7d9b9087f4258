"""``reportgen workbook --out 填报模板.xlsx [RECORDS]``: the fill-in workbook for departments."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from reportgen.excel.workbook import build_workbook, record_names
from reportgen.formatting import shown_path
from reportgen.validate import check_repository


def refusal(out: Path, records: Path) -> str | None:
    """Why the workbook may not be written to ``out`` (in Chinese), or None when it may."""
    shown = shown_path(out)
    if out.suffix.lower() != ".xlsx":
        return f"拒绝写入 {shown}：填报模板的文件名要以 .xlsx 结尾"
    if os.path.islink(out) or (out.exists() and not out.is_file()):
        return f"拒绝写入 {shown}：这里已经有一个不是普通文件的同名项（目录或链接）"
    if out.resolve().is_relative_to(records.resolve()):
        return f"拒绝写入 {shown}：这个位置在记录目录 {shown_path(records)} 之内，填报模板请放在记录目录之外"
    return None


def run_workbook(records: Path, out: Path, with_records: bool, err: TextIO | None = None) -> int:
    """Write the workbook; 2 when ``out`` is refused, 1 when the records cannot be read."""
    err = err or sys.stderr
    why = refusal(out, records)
    if why:
        print(f"reportgen: {why}", file=err)
        return 2
    loaded = check_repository(records).records if records.is_dir() else None
    data = build_workbook(loaded, record_names(loaded), with_records)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, out)
    print(f"已生成填报模板 {shown_path(out)}", file=err)
    return 0
