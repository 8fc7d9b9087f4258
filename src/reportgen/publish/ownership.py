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
from reportgen.lang import Pair, os_reason, pick
from reportgen.schema.kinds import CONFIG_FILE, KINDS_BY_FOLDER

MANIFEST = "manifest.json"
MARKER = ".reportgen-output"
MARKER_TEXT = "此目录由 reportgen 生成，下次构建会整体替换其中的全部内容，请不要在这里存放其他文件。\n"
_MANIFEST_TEXT_FIELDS = ("id", "kind", "period", "title", "html")

# Why a folder is refused, in the command's language (``--lang``): a pair each.
MESSAGES: dict[str, Pair] = {
    "refused": ("拒绝写入 {path}：{why}，{tail}", "refused to write into {path}: {why}; {tail}"),
    "tail": ("reportgen 只写入它自己建立的输出目录。", "reportgen writes only into an output folder it made itself."),
    "link": ("这是一个符号链接（指向 {target}）", "it is a symbolic link (to {target})"),
    "file": ("这是一个已有的文件，不是目录", "it is an existing file, not a folder"),
    "root": ("这是文件系统的根目录", "it is the filesystem's root"),
    "home": ("这是当前用户的主目录", "it is the current user's home folder"),
    "holds_home": ("这个目录包含当前用户的主目录 {home}", "it holds the current user's home folder {home}"),
    "records": ("记录目录", "the records folder"),
    "templates": ("模板目录", "the templates folder"),
    "is_input": ("这就是{label}", "it is {label}"),
    "in_input": ("这个目录在{label} {folder} 之内", "it is inside {label} {folder}"),
    "holds_input": ("这个目录包含{label} {folder}", "it holds {label} {folder}"),
    "records_repo": (
        "这是记录目录所在的 git 仓库根目录（含 .git）",
        "it is the root of the records folder's git repository (it holds .git)",
    ),
    "a_repo": ("这是一个 git 仓库根目录（含 .git）", "it is the root of a git repository (it holds .git)"),
    "unreadable": (
        "拒绝写入 {path}：无法读取这个目录（{reason}），请换一个目录。",
        "refused to write into {path}: the folder cannot be read ({reason}); choose another folder.",
    ),
    "files": ("{name} 等 {count} 个文件", "{name} and {more} other files"),
    "cwd": (
        "拒绝写入 {path}：{why}。构建会用新目录整体替换它，终端会停留在被换下的旧目录里（看起来是空的）。"
        "请先 cd {parent}，再把输出目录写成 {name}。",
        "refused to write into {path}: {why}. A build replaces it whole with a new folder, and the terminal "
        "would stay in the old one (which looks empty). cd {parent} first, and give the output folder as {name}.",
    ),
    "is_cwd": ("这是当前所在的目录", "it is the current folder"),
    "holds_cwd": ("当前所在的目录 {cwd} 在它里面", "the current folder {cwd} is inside it"),
    "not_output": (
        "拒绝写入 {path}：其中已有 {found}，不是 reportgen 生成的输出目录。请换一个空目录，或删除后重试。",
        "refused to write into {path}: it holds {found} and is no output folder of reportgen. "
        "Choose an empty folder, or delete it and try again.",
    ),
}


def _say(key: str, lang: str, **params: object) -> str:
    return pick(MESSAGES[key], lang, **params)


def protected_reason(
    folder: Path, records_dir: Path | None = None, templates_dir: Path | None = None, lang: str = "zh"
) -> str | None:
    """Why ``folder`` must never be replaced or filled by reportgen (in ``lang``), or None when it may be."""
    given = Path(os.path.abspath(folder.expanduser()))  # os.path's tests: a folder we may not read is no traceback
    path, why = given, None
    if os.path.islink(given):
        why = _say("link", lang, target=shown_path(os.readlink(given), lang))
    elif os.path.exists(given) and not os.path.isdir(given):
        why = _say("file", lang)
    else:
        path = given.resolve()
        why = _system_reason(path, lang) or _input_reason(path, records_dir, templates_dir, lang)
    if why is None:
        return None
    return _say("refused", lang, path=shown_path(path, lang), why=why, tail=_say("tail", lang))


def _system_reason(path: Path, lang: str) -> str | None:
    """The filesystem root, the home folder, or a folder that holds the home folder."""
    if path == Path(path.anchor):
        return _say("root", lang)
    home = Path.home().resolve()
    if path == home:
        return _say("home", lang)
    if home.is_relative_to(path):
        return _say("holds_home", lang, home=shown_path(home, lang))
    return None


def _input_reason(path: Path, records_dir: Path | None, templates_dir: Path | None, lang: str) -> str | None:
    """The records or templates folder, a folder inside or around them, or a repository root."""
    inputs = [(key, folder.expanduser().resolve()) for key, folder in _inputs(records_dir, templates_dir)]
    for key, folder in inputs:
        label = _say(key, lang)
        if path == folder:
            return _say("is_input", lang, label=label)
        if path.is_relative_to(folder):
            return _say("in_input", lang, label=label, folder=shown_path(folder, lang))
    if os.path.lexists(path / ".git"):
        inside = any(folder.is_relative_to(path) for key, folder in inputs if key == "records")
        return _say("records_repo" if inside else "a_repo", lang)
    for key, folder in inputs:
        if folder.is_relative_to(path):
            return _say("holds_input", lang, label=_say(key, lang), folder=shown_path(folder, lang))
    return None


def records_around(folder: Path) -> Path | None:
    """The office's records folder that ``folder`` is or lies inside, when a command is not told it (``schema``,
    ``docs``, ``init``): the nearest folder at or above it holding config.yaml and a folder of records."""
    path = Path(os.path.abspath(folder.expanduser()))
    for candidate in (path, *path.parents):
        if os.path.isfile(candidate / CONFIG_FILE) and any(os.path.isdir(candidate / name) for name in KINDS_BY_FOLDER):
            return candidate
    return None


def _inputs(records_dir: Path | None, templates_dir: Path | None) -> list[tuple[str, Path]]:
    """The input folders that are known, each with the key of its name in ``MESSAGES``."""
    named = [("records", records_dir), ("templates", templates_dir)]
    return [(key, folder) for key, folder in named if folder is not None]


def output_refusal(out: Path, records_dir: Path, templates_dir: Path | None = None, lang: str = "zh") -> str | None:
    """Why ``out`` may not become a build's output (in ``lang``), or None when it may.

    Beyond ``protected_reason``: the folder must be missing, empty, or an earlier build's
    output (``is_build_output``), and not the folder the command runs in nor one holding it.
    """
    reason = protected_reason(out, records_dir, templates_dir, lang)
    if reason is not None:
        return reason
    path = out.expanduser().resolve()
    reason = _cwd_reason(path, lang)
    if reason is not None:
        return reason
    try:
        names = sorted(os.listdir(path), key=lambda name: (name.startswith("."), name))
    except (FileNotFoundError, NotADirectoryError):  # nothing there to lose; the build says why it cannot write
        return None
    except OSError as exc:
        return _say("unreadable", lang, path=shown_path(path, lang), reason=os_reason(exc, lang))
    if not names or is_build_output(path):
        return None
    name = shown_path(names[0], lang)
    found = _say("files", lang, name=name, count=len(names), more=len(names) - 1) if len(names) > 1 else name
    return _say("not_output", lang, path=shown_path(path, lang), found=found)


def _cwd_reason(path: Path, lang: str) -> str | None:
    """Why ``path`` may not be swapped out when it is the current folder or holds it (None: it is neither).

    The swap moves the old folder away: a terminal inside it would stay there, in a folder
    emptied or removed, and the new output would look lost.
    """
    try:
        cwd = Path.cwd().resolve()
    except OSError:  # the current folder is gone: it is inside no output
        return None
    if not cwd.is_relative_to(path):
        return None
    why = _say("is_cwd", lang) if cwd == path else _say("holds_cwd", lang, cwd=shown_path(cwd, lang))
    parent, name = shown_path(path.parent, lang), shown_path(path.name, lang)
    return _say("cwd", lang, path=shown_path(path, lang), why=why, parent=parent, name=name)


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
