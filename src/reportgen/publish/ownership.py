"""Which folders reportgen may replace: only an output folder it made itself.

A build swaps a whole new folder in for its output, so a wrong ``--out`` would
delete whatever was there: the records, a repository with its ``.git``, a clerk's
documents.  Every command that writes a folder asks ``protected_reason`` first;
``build`` and ``serve`` ask ``output_refusal``, which also wants the folder to be
missing, empty, or an earlier build's output: its ``manifest.json`` beside the
``MARKER`` file the build writes into every output (as Sphinx writes ``.buildinfo``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from reportgen.formatting import shown_path

MANIFEST = "manifest.json"
MARKER = ".reportgen-output"
MARKER_TEXT = "此目录由 reportgen 生成，下次构建会整体替换其中的全部内容，请不要在这里存放其他文件。\n"
_TAIL = "reportgen 只写入它自己建立的输出目录。"
_MANIFEST_TEXT_FIELDS = ("id", "kind", "period", "title", "html")


def protected_reason(folder: Path, records_dir: Path | None = None, templates_dir: Path | None = None) -> str | None:
    """Why ``folder`` must never be replaced or filled by reportgen (in Chinese), or None when it may be."""
    given = Path(os.path.abspath(folder.expanduser()))  # os.path's tests: a folder we may not read is no traceback
    if os.path.islink(given):
        return f"拒绝写入 {shown_path(given)}：这是一个符号链接（指向 {shown_path(os.readlink(given))}），{_TAIL}"
    if os.path.exists(given) and not os.path.isdir(given):
        return f"拒绝写入 {shown_path(given)}：这是一个已有的文件，不是目录，{_TAIL}"
    path = given.resolve()
    why = _system_reason(path) or _input_reason(path, records_dir, templates_dir)
    return f"拒绝写入 {shown_path(path)}：{why}，{_TAIL}" if why else None


def _system_reason(path: Path) -> str | None:
    """The filesystem root, the home folder, or a folder that holds the home folder."""
    if path == Path(path.anchor):
        return "这是文件系统的根目录"
    home = Path.home().resolve()
    if path == home:
        return "这是当前用户的主目录"
    if home.is_relative_to(path):
        return f"这个目录包含当前用户的主目录 {shown_path(home)}"
    return None


def _input_reason(path: Path, records_dir: Path | None, templates_dir: Path | None) -> str | None:
    """The records or templates folder, a folder inside or around them, or a repository root."""
    inputs = [(label, folder.expanduser().resolve()) for label, folder in _inputs(records_dir, templates_dir)]
    for label, folder in inputs:
        if path == folder:
            return f"这就是{label}"
        if path.is_relative_to(folder):
            return f"这个目录在{label} {shown_path(folder)} 之内"
    if os.path.lexists(path / ".git"):
        inside = any(folder.is_relative_to(path) for label, folder in inputs if label == "记录目录")
        return f"这是{'记录目录所在的' if inside else '一个'} git 仓库根目录（含 .git）"
    for label, folder in inputs:
        if folder.is_relative_to(path):
            return f"这个目录包含{label} {shown_path(folder)}"
    return None


def _inputs(records_dir: Path | None, templates_dir: Path | None) -> list[tuple[str, Path]]:
    """The input folders that are known, with their Chinese names."""
    named = [("记录目录", records_dir), ("模板目录", templates_dir)]
    return [(label, folder) for label, folder in named if folder is not None]


def output_refusal(out: Path, records_dir: Path, templates_dir: Path | None = None) -> str | None:
    """Why ``out`` may not become a build's output (in Chinese), or None when it may.

    Beyond ``protected_reason``: the folder must be missing, empty, or an earlier build's
    output (``is_build_output``).
    """
    reason = protected_reason(out, records_dir, templates_dir)
    if reason is not None:
        return reason
    path = out.expanduser().resolve()
    try:
        names = sorted(os.listdir(path), key=lambda name: (name.startswith("."), name))
    except (FileNotFoundError, NotADirectoryError):  # nothing there to lose; the build says why it cannot write
        return None
    except OSError as exc:
        return f"拒绝写入 {shown_path(path)}：无法读取这个目录（{exc.strerror or exc}），请换一个目录。"
    if not names or is_build_output(path):
        return None
    found = f"{shown_path(names[0])} 等 {len(names)} 个文件" if len(names) > 1 else shown_path(names[0])
    advice = "不是 reportgen 生成的输出目录。请换一个空目录，或删除后重试。"
    return f"拒绝写入 {shown_path(path)}：其中已有 {found}，{advice}"


def is_build_output(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier build's output.

    That is its marker beside a ``manifest.json`` (whose content may have been damaged: the
    build then treats it as absent and builds everything), or, for an output written before
    the marker existed, a manifest of the build's shape with at least one bulletin.
    """
    if os.path.isfile(folder / MARKER) and os.path.isfile(folder / MANIFEST):
        return True
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return bool(manifest_entries(data))


def manifest_entries(data: Any) -> list[dict[str, Any]] | None:
    """The entries of a parsed ``manifest.json`` when it has the shape the build writes, else None."""
    if not isinstance(data, list) or not all(isinstance(entry, dict) and _entry_ok(entry) for entry in data):
        return None
    return data


def _entry_ok(entry: dict[str, Any]) -> bool:
    """One manifest entry: text fields, an optional PDF path and the SHA-256 of each file."""
    shas = entry.get("sha256")
    return (
        all(isinstance(entry.get(name), str) for name in _MANIFEST_TEXT_FIELDS)
        and (entry.get("pdf") is None or isinstance(entry.get("pdf"), str))
        and isinstance(shas, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in shas.items())
    )
