"""``reportgen schema`` and ``reportgen docs``: generated files from the single schema.

Both write only their own named files into ``--out`` (each through a temporary file and a
rename, so a link in the folder is replaced, never followed) and never delete anything.  A
protected folder (``publish.ownership.protected_reason``), an existing file given as the
folder, or a named file that is a folder or a special file is refused with exit code 1.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from pathlib import Path

from reportgen.compute.docs import metrics_markdown
from reportgen.publish.ownership import protected_reason
from reportgen.schema.docs import records_markdown
from reportgen.schema.guide import guide_markdown
from reportgen.schema.jsonschema import kind_schema
from reportgen.schema.kinds import KINDS


def schema_files() -> dict[str, str]:
    """File name → JSON Schema text, one per record kind."""
    return {
        f"{kind.name}.schema.json": json.dumps(kind_schema(kind), ensure_ascii=False, indent=2) + "\n" for kind in KINDS
    }


def doc_files() -> dict[str, str]:
    """File name → generated Markdown documentation."""
    return {"records.md": records_markdown(), "metrics.md": metrics_markdown(), "guide.md": guide_markdown()}


def refusal(out: Path, names: list[str]) -> str | None:
    """Why the files ``names`` must not be written into ``out`` (in Chinese), or None."""
    reason = protected_reason(out)
    if reason:
        return reason
    for name in names:
        try:
            mode = (out / name).lstat().st_mode
        except OSError:  # not there (or not reachable: writing will say why)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            return f"拒绝写入 {out / name}：这个位置已经有一个文件夹或特殊文件，reportgen 不会删除它"
    return None


def _write(out: Path, files: dict[str, str]) -> int:
    """Write ``files`` into ``out``: 0, or 1 with the reason on standard error."""
    reason = refusal(out, list(files))
    if reason:
        print(f"reportgen: {reason}", file=sys.stderr)
        return 1
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            _replace(out / name, text)
            print(out / name)
    except OSError as exc:
        reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        print(f"reportgen: 不能写入 {exc.filename or out}：{reason}", file=sys.stderr)
        return 1
    return 0


# What the operating system's reasons mean for a clerk; others are shown as the system words them.
_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EEXIST: "路径中有一段是文件，不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
}


def _replace(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file beside it and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def run_schema(out: Path) -> int:
    """Write the JSON Schemas into ``out``."""
    return _write(out, schema_files())


def run_docs(out: Path) -> int:
    """Write docs/records.md, docs/metrics.md and docs/guide.md into ``out``."""
    return _write(out, doc_files())
