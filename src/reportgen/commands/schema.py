"""``reportgen schema`` and ``reportgen docs``: generated files from the single schema.

Both write only their own named files into ``--out`` (each through a temporary file and a
rename, so a link in the folder is replaced, never followed) and never delete anything.  A
protected folder (``publish.ownership.protected_reason``), an existing file given as the
folder, or a named file that is a folder or a special file is refused with exit code 1.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

from reportgen.compute.docs import metrics_markdown
from reportgen.formatting import shown_path
from reportgen.lang import Pair, os_reason, pick
from reportgen.publish.ownership import protected_reason, records_around
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


MESSAGES: dict[str, Pair] = {
    "occupied": (
        "拒绝写入 {path}：这个位置已经有一个文件夹或特殊文件，reportgen 不会删除它",
        "refused to write {path}: a folder or special file is there, and reportgen does not delete it",
    ),
    "unwritable": ("reportgen: 不能写入 {path}：{reason}", "reportgen: cannot write {path}: {reason}"),
}


def refusal(out: Path, names: list[str], lang: str = "zh") -> str | None:
    """Why the files ``names`` must not be written into ``out`` (in ``lang``), or None."""
    reason = protected_reason(out, records_around(out), lang=lang)  # never among an office's records
    if reason:
        return reason
    for name in names:
        try:
            mode = (out / name).lstat().st_mode
        except OSError:  # not there (or not reachable: writing will say why)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            return pick(MESSAGES["occupied"], lang, path=shown_path(out / name, lang))
    return None


def _write(out: Path, files: dict[str, str], lang: str) -> int:
    """Write ``files`` into ``out``: 0, or 1 with the reason on standard error."""
    reason = refusal(out, list(files), lang)
    if reason:
        print(f"reportgen: {reason}", file=sys.stderr)
        return 1
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            _replace(out / name, text)
            print(shown_path(out / name, lang))
    except OSError as exc:
        path = shown_path(os.fsdecode(exc.filename) if exc.filename else out, lang)
        print(pick(MESSAGES["unwritable"], lang, path=path, reason=os_reason(exc, lang)), file=sys.stderr)
        return 1
    return 0


def _replace(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file beside it and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def run_schema(out: Path, lang: str = "zh") -> int:
    """Write the JSON Schemas into ``out``."""
    return _write(out, schema_files(), lang)


def run_docs(out: Path, lang: str = "zh") -> int:
    """Write docs/records.md, docs/metrics.md and docs/guide.md into ``out``."""
    return _write(out, doc_files(), lang)
