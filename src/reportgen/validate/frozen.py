"""The figures of issued bulletins (``records/frozen/<id>.json``) read back, or a located E511.

The build writes these files and the office commits them; a hand edit, a bad merge or a
copied file can leave one that is not JSON, not UTF-8, of another shape or about another
bulletin.  Such a file is a record problem: ``check`` and ``build`` stop on it, naming
the file, the line and what is wrong, and the build never writes over it (its figures are
what the bulletin was issued with).
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from reportgen.echo import shown
from reportgen.load import MAX_GENERATED_BYTES, UnreadableFile, read_regular
from reportgen.problems import Problem

FROZEN_FOLDER = "frozen"
SUFFIX = ".json"
_KINDS = {list: "列表", str: "文字", bool: "真假值", int: "数字", float: "数字", dict: "一组内容", type(None): "空值"}


class FrozenFileError(Exception):
    """What is wrong with a frozen figures file, and where (line and column of the file)."""

    def __init__(self, detail: str, line: int = 1, column: int = 1) -> None:
        super().__init__(detail)
        self.detail, self.line, self.column = detail, line, column


def frozen_display(root: Path, name: str) -> str:
    """The file as problems name it: ``records/frozen/2021-09-monthly.json``."""
    shown = str(root)
    rel = f"{FROZEN_FOLDER}/{name}" if name else FROZEN_FOLDER
    return rel if shown in ("", ".") else f"{shown.rstrip('/')}/{rel}"


def load_frozen(path: Path, bulletin_id: str) -> dict[str, Any]:
    """The document in ``path``, checked for the shape its readers rely on; FrozenFileError when it is not."""
    if path.is_symlink():
        raise FrozenFileError("这是一个链接，不是普通文件")
    try:
        data = read_regular(path, MAX_GENERATED_BYTES)
    except UnreadableFile as exc:
        raise FrozenFileError(exc.detail) from None
    text = _text(data)
    return _checked(_parse(text), text, bulletin_id)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise FrozenFileError("文件不是 UTF-8 编码", line, column) from None


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FrozenFileError(
            "内容不是有效的 JSON：这里附近多了或少了逗号、引号或括号", exc.lineno, exc.colno
        ) from None
    except RecursionError:
        raise FrozenFileError("括号嵌套过深") from None
    except ValueError:  # an integer of thousands of digits
        raise FrozenFileError("数字过长") from None


def _no_constant(name: str) -> Any:
    raise FrozenFileError(f"{name} 不是数字")


def _checked(document: Any, text: str, bulletin_id: str) -> dict[str, Any]:
    """The document, once it is known to have the shape the build wrote."""
    if not isinstance(document, dict):
        raise FrozenFileError(f"内容应当是用 {{ }} 括起来的一组内容，实际是{_kind(document)}")
    named = document.get("bulletin", bulletin_id)
    if named != bulletin_id:
        line, column = _where(text, "bulletin")
        raise FrozenFileError(
            f"文件记录的是通报 {_short(named)} 的数字，与文件名 {bulletin_id}{SUFFIX} 不符", line, column
        )
    revision = document.get("source_revision")
    if revision is not None and not isinstance(revision, str):
        raise FrozenFileError(f"数据版本应当是文字，实际是{_kind(revision)}", *_where(text, "source_revision"))
    if "figures" not in document:
        raise FrozenFileError("缺少印发时的各项数字")
    _check_figures(document["figures"], text)
    return document


def _check_figures(figures: Any, text: str) -> None:
    """Figures as the build writes them: a mapping of numbers, and the overdue list of issue ids."""
    if not isinstance(figures, dict):
        raise FrozenFileError(f"印发时的各项数字应当是一组内容，实际是{_kind(figures)}", *_where(text, "figures"))
    for key, value in figures.items():
        if not _figure_ok(key, value):
            expected = "问题编号的列表" if key == "overdue" else "数字"
            raise FrozenFileError(f"这一项应当是{expected}，实际是{_kind(value)} {_short(value)}", *_where(text, key))


def _figure_ok(key: str, value: Any) -> bool:
    """The types the build writes: numbers (or null) for figures, a list of issue ids for the overdue list."""
    if key == "overdue":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), "其他内容")


def _short(value: Any) -> str:
    return shown(json.dumps(value, ensure_ascii=False))


def _where(text: str, key: str) -> tuple[int, int]:
    """Line and column of ``"key":`` in the file (1, 1 when it cannot be found)."""
    for quoted in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
        index = text.find(quoted + ":")
        if index < 0:
            index = text.find(quoted)
        if index >= 0:
            line_start = text.rfind("\n", 0, index) + 1
            return text.count("\n", 0, index) + 1, index - line_start + 1
    return 1, 1


def check_frozen_files(root: Path) -> list[Problem]:
    """E511 for every frozen figures file that cannot be read back as the build wrote it."""
    folder = root / FROZEN_FOLDER
    try:
        status = os.lstat(folder)
    except OSError:
        return []  # nothing frozen yet
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISDIR(status.st_mode):
        what = "这是一个链接" if stat.S_ISLNK(status.st_mode) else "这是一个文件"
        return [Problem(frozen_display(root, ""), 1, 1, "E511", {"detail": f"{what}，应当是存放印发数字的文件夹"})]
    problems: list[Problem] = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        try:
            load_frozen(folder / name, name[: -len(SUFFIX)])
        except FrozenFileError as exc:
            problems.append(Problem(frozen_display(root, name), exc.line, exc.column, "E511", {"detail": exc.detail}))
    return problems
