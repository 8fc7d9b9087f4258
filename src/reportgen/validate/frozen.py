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
from reportgen.load import FROZEN_FOLDER, MAX_GENERATED_BYTES, UnreadableFile, read_regular
from reportgen.problems import Problem, Words

SUFFIX = ".json"
_NUMBER = ("数字", "a number")
_KINDS = {
    list: ("列表", "a list"),
    str: ("文字", "text"),
    bool: ("真假值", "true or false"),
    int: _NUMBER,
    float: _NUMBER,
    dict: ("一组内容", "a mapping"),
    type(None): ("空值", "null"),
}
_OTHER = ("其他内容", "something else")


class FrozenFileError(Exception):
    """What is wrong with a frozen figures file, and where (line and column of the file)."""

    def __init__(self, detail: Words, line: int = 1, column: int = 1) -> None:
        super().__init__(detail.zh)
        self.detail, self.line, self.column = detail, line, column


def frozen_display(root: Path, name: str) -> str:
    """The file as problems name it: ``records/frozen/2021-09-monthly.json``."""
    shown = str(root)
    rel = f"{FROZEN_FOLDER}/{name}" if name else FROZEN_FOLDER
    return rel if shown in ("", ".") else f"{shown.rstrip('/')}/{rel}"


def load_frozen(path: Path, bulletin_id: str) -> dict[str, Any]:
    """The document in ``path``, checked for the shape its readers rely on; FrozenFileError when it is not."""
    if path.is_symlink():
        raise FrozenFileError(Words("这是一个链接，不是普通文件", "a link, not a regular file"))
    try:
        data = read_regular(path, MAX_GENERATED_BYTES)
    except UnreadableFile as exc:
        raise FrozenFileError(exc.words) from None
    text = _text(data)
    return _checked(_parse(text), text, bulletin_id)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise FrozenFileError(Words("文件不是 UTF-8 编码", "the file is not UTF-8"), line, column) from None


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FrozenFileError(
            Words(
                "内容不是有效的 JSON：这里附近多了或少了逗号、引号或括号",
                "not valid JSON: a comma, quote or bracket near here is extra or missing",
            ),
            exc.lineno,
            exc.colno,
        ) from None
    except RecursionError:
        raise FrozenFileError(Words("括号嵌套过深", "brackets nested too deeply")) from None
    except ValueError:  # an integer of thousands of digits
        raise FrozenFileError(Words("数字过长", "a number too long")) from None


def _no_constant(name: str) -> Any:
    raise FrozenFileError(Words(f"{name} 不是数字", f"{name} is not a number"))


def _checked(document: Any, text: str, bulletin_id: str) -> dict[str, Any]:
    """The document, once it is known to have the shape the build wrote."""
    if not isinstance(document, dict):
        raise FrozenFileError(
            Words(
                f"内容应当是用 {{ }} 括起来的一组内容，实际是{_kind(document)[0]}",
                f"the content should be a mapping in {{ }}, found {_kind(document)[1]}",
            )
        )
    named = document.get("bulletin", bulletin_id)
    if named != bulletin_id:
        line, column = _where(text, "bulletin")
        raise FrozenFileError(
            Words(
                f"文件记录的是通报 {_short(named)} 的数字，与文件名 {bulletin_id}{SUFFIX} 不符",
                f"the file holds the figures of bulletin {_short(named)}, not of its name {bulletin_id}{SUFFIX}",
            ),
            line,
            column,
        )
    revision = document.get("source_revision")
    if revision is not None and not isinstance(revision, str):
        said = Words(
            f"数据版本应当是文字，实际是{_kind(revision)[0]}",
            f"the data version should be text, found {_kind(revision)[1]}",
        )
        raise FrozenFileError(said, *_where(text, "source_revision"))
    if "figures" not in document:
        raise FrozenFileError(Words("缺少印发时的各项数字", "the figures as issued are missing"))
    _check_figures(document["figures"], text)
    return document


def _check_figures(figures: Any, text: str) -> None:
    """Figures as the build writes them: a mapping of numbers, and the overdue list of issue ids."""
    if not isinstance(figures, dict):
        zh, en = _kind(figures)
        said = Words(
            f"印发时的各项数字应当是一组内容，实际是{zh}", f"the figures as issued should be a mapping, found {en}"
        )
        raise FrozenFileError(said, *_where(text, "figures"))
    for key, value in figures.items():
        if not _figure_ok(key, value):
            expected = ("问题编号的列表", "a list of issue ids") if key == "overdue" else _NUMBER
            zh, en = _kind(value)
            said = Words(
                f"这一项应当是{expected[0]}，实际是{zh} {_short(value)}",
                f"this item should be {expected[1]}, found {en} {_short(value)}",
            )
            raise FrozenFileError(said, *_where(text, key))


def _figure_ok(key: str, value: Any) -> bool:
    """The types the build writes: numbers (or null) for figures, a list of issue ids for the overdue list."""
    if key == "overdue":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _kind(value: Any) -> tuple[str, str]:
    """What a JSON value is, in Chinese and in English."""
    return _KINDS.get(type(value), _OTHER)


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
        zh, en = ("这是一个链接", "a link") if stat.S_ISLNK(status.st_mode) else ("这是一个文件", "a file")
        detail = Words(f"{zh}，应当是存放印发数字的文件夹", f"{en}, where the folder of issued figures belongs")
        return [Problem(frozen_display(root, ""), 1, 1, "E511", {"detail": detail})]
    problems: list[Problem] = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        try:
            load_frozen(folder / name, name[: -len(SUFFIX)])
        except FrozenFileError as exc:
            problems.append(Problem(frozen_display(root, name), exc.line, exc.column, "E511", {"detail": exc.detail}))
    return problems
