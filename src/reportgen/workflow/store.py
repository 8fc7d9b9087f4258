"""Where records live on disk: their ids, their paths, reading one quickly, writing a new one safely."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from reportgen.echo import shown
from reportgen.lang import Pair, Said
from reportgen.load import read_regular
from reportgen.load.yamlnodes import MAX_BYTES
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Kind

# kinds filed in a YYYY-MM folder, and the field whose date decides which
DATED_FOLDERS: dict[str, str] = {"visit": "date", "issue": "raised", "legal": "date"}
_NUMBERED = re.compile(r"^([A-Z]+)([0-9]+)$")


# Why no record can be written, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "not_numbered": (
        "{label}的编号不是按顺序编的，请用 --id 给出",
        "{label_en} ids are not numbered in order: give one with --id",
    ),
    "used_up": (
        "{label}编号已用到 {prefix}{highest}，没有可用的下一个编号",
        "{label_en} ids are used up to {prefix}{highest}; there is no next one",
    ),
    "not_an_id": (
        "编号“{id}”不是{label}的编号（形如 {example}），没有写入文件",
        "'{id}' is no {label_en} id (like {example}); nothing was written",
    ),
    "outside": (
        "{path} 不在记录目录 {records} 之内（途中的文件夹是指向别处的链接），没有写入文件；请把链接换成普通文件夹",
        "{path} is not inside the records folder {records} (a folder on the way links elsewhere); "
        "nothing was written: replace the link with a plain folder",
    ),
}


class StoreError(Said):
    """No record can be written there; for the user, in the language of ``--lang``."""


def record_files(records: Path, kind: Kind) -> Iterator[Path]:
    """Every file of ``kind`` under its folder, hidden files (such as half-written ones) excluded."""
    base = records / kind.folder
    if not base.is_dir():
        return
    for path in sorted(base.rglob(f"*{kind.suffix}")):
        if not any(part.startswith(".") for part in path.relative_to(base).parts) and path.is_file():
            yield path


def stem(path: Path, kind: Kind) -> str:
    """The file name without the kind's suffix: the record's id."""
    return path.name[: -len(kind.suffix)]


def existing_ids(records: Path, kind: Kind) -> dict[str, Path]:
    """Id → file for every record of ``kind`` whose file name is a valid id."""
    pattern = re.compile(kind.id_pattern)
    return {stem(p, kind): p for p in record_files(records, kind) if pattern.match(stem(p, kind))}


def next_id(kind: Kind, taken: set[str] | dict[str, Path]) -> str:
    """The id after the highest one in use (E083 → E084), as wide as the ids already written."""
    match = _NUMBERED.match(kind.id_example)
    if match is None:
        raise StoreError(MESSAGES["not_numbered"], label=kind.label, label_en=kind.label_en)
    prefix, digits = match.groups()
    width, highest = len(digits), 0
    for taken_id in taken:
        found = _NUMBERED.match(taken_id)
        if found and found.group(1) == prefix:
            width = max(width, len(found.group(2)))
            highest = max(highest, int(found.group(2)))
    new = f"{prefix}{highest + 1:0{width}d}"
    if not re.match(kind.id_pattern, new):
        raise StoreError(MESSAGES["used_up"], label=kind.label, label_en=kind.label_en, prefix=prefix, highest=highest)
    return new


def record_path(records: Path, kind: Kind, record_id: str, data: dict[str, Any], today: dt.date) -> Path:
    """Where a record goes: ``visits/2021-09/V0001.yaml`` for dated kinds, ``enterprises/E001.yaml`` else.

    The id names the file, so it must be an id of the kind (no ``/`` or ``..``), and the
    path, links followed, must stay inside the records folder; a StoreError otherwise.
    """
    if not re.fullmatch(kind.id_pattern, record_id):
        params = {"label": kind.label, "label_en": kind.label_en, "example": kind.id_example}
        raise StoreError(MESSAGES["not_an_id"], id=shown(record_id), **params)
    folder = records / kind.folder
    date_field = DATED_FOLDERS.get(kind.name)
    if date_field:
        day = data.get(date_field)
        day = day if isinstance(day, dt.date) else today
        folder = folder / f"{day.year:04d}-{day.month:02d}"
    path = folder / f"{record_id}{kind.suffix}"
    _require_inside(path, records)
    return path


def _require_inside(path: Path, records: Path) -> None:
    """A StoreError unless ``path``, every link on the way followed, lies inside ``records``."""
    try:
        inside = path.resolve().is_relative_to(records.resolve())
    except (OSError, RuntimeError):  # a link loop
        inside = False
    if not inside:
        raise StoreError(MESSAGES["outside"], path=path, records=records)


def read_record(records: Path, kind_name: str, record_id: str) -> dict[str, Any] | None:
    """The values of one record as text (no validation), or None when it is missing or unreadable."""
    kind = KINDS_BY_NAME[kind_name]
    path = existing_ids(records, kind).get(record_id)
    if path is None:
        return None
    return read_values(path)


def read_values(path: Path) -> dict[str, Any] | None:
    """A YAML file's top-level values, every scalar as text; None when it cannot be read."""
    try:
        data = yaml.load(read_regular(path, MAX_BYTES).decode("utf-8"), Loader=yaml.BaseLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):  # a pipe is refused, never waited on
        return None
    return data if isinstance(data, dict) else None


def list_records(
    records: Path, kind_name: str, keep: Callable[[dict[str, Any]], bool] | None = None, limit: int = 30
) -> list[tuple[str, str]]:
    """(id, name) of the records of a kind, for a hint in a comment; at most ``limit``."""
    found: list[tuple[str, str]] = []
    for record_id, path in sorted(existing_ids(records, KINDS_BY_NAME[kind_name]).items()):
        values = read_values(path) or {}
        if keep is not None and not keep(values):
            continue
        name = values.get("short_name") or values.get("name") or ""
        found.append((record_id, str(name)))
        if len(found) >= limit:
            break
    return found


# -- writing -------------------------------------------------------------------------------


def write_new_file(path: Path, content: str) -> None:
    """Write ``content`` to ``path``, which must not exist yet.

    The text goes to a hidden temporary file in the same folder first and is then linked
    into place, which fails when the name is taken: an interrupted write leaves no
    half-written record, and an existing file is never replaced (FileExistsError).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".reportgen-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        _link_exclusive(Path(temp), path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    _sync_folder(path.parent)


def _link_exclusive(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links: reserve the name, then replace it
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(temp, path)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
