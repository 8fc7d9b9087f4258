"""Stage 1 — load: find the record files and parse each into a node tree with positions.

Nothing here interprets values; that is ``validate``'s job.  Every fault a file can
have (unreadable, not UTF-8, bad YAML, empty, several documents) becomes a problem.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from reportgen.load.yamlnodes import MAX_BYTES, compose, decode, split_front_matter
from reportgen.problems import Problem
from reportgen.schema.kinds import CONFIG, KINDS_BY_FOLDER
from reportgen.schema.types import Kind

CONFIG_FILE = "config.yaml"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store", "Thumbs.db", "README.md", "desktop.ini"})


@dataclass(frozen=True)
class SourceFile:
    """A record file found in the repository."""

    path: Path  # where to read it
    display: str  # how problems name it: the records folder as given, then the relative path
    kind: Kind

    @cached_property
    def stem(self) -> str:
        """File name without its suffix: the id a record in it should carry."""
        return self.path.name[: -len(self.kind.suffix)] if self.path.name.endswith(self.kind.suffix) else self.path.stem


@dataclass
class LoadedFile:
    """A parsed file: its node tree (None when it could not be parsed) and any problems."""

    source: SourceFile
    node: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)
    body: str = ""  # Markdown body of a bulletin text
    body_line: int = 1


def discover(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every record file under ``root``, in a stable order, with problems for strays."""
    problems: list[Problem] = []
    found: list[SourceFile] = []
    shown = str(root)
    real_root = root.resolve()
    config = root / CONFIG_FILE
    if config.is_file():
        found.append(SourceFile(config, _join(shown, CONFIG_FILE), CONFIG))
    folders: dict[str, Path] = {}
    for folder, kind in sorted(KINDS_BY_FOLDER.items()):
        base = root / folder
        if not base.is_dir():
            continue
        for rel, entry in _walk_in_order(os.fspath(base), f"{folder}/"):
            name = entry.name
            display = _join(shown, rel)
            if name in _IGNORED_NAMES or name.startswith("."):
                continue
            if _CONTROL.search(rel):  # a newline in a name would forge lines of the report
                display = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", display)
                detail = "含有换行等控制字符"
                problems.append(Problem(display, 1, 1, "E110", {"name": display.rsplit("/", 1)[-1], "detail": detail}))
                continue
            if not name.endswith(kind.suffix):
                problems.append(Problem(display, 1, 1, "W604", {"detail": name}))
                continue
            folder_path = folders.get(rel_folder := rel.rpartition("/")[0])
            if folder_path is None:  # one Path per folder; joining a name is cheaper than parsing a path
                folder_path = folders[rel_folder] = root / rel_folder
            path = folder_path / name
            if entry.is_symlink() and not _inside(path, real_root):
                problems.append(Problem(display, 1, 1, "E109", {"detail": "链接指向 records 目录之外"}))
                continue
            found.append(SourceFile(path, display, kind))
    return found, problems


def _walk_in_order(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of every non-folder below ``folder``, in ``os.walk``'s sorted order.

    A folder's files come first, then its sub-folders, each sorted by name; hidden folders
    and links to folders are not entered.  Scandir entries (and strings, not pathlib) keep
    this cheap at 200,000 files: no stat for files, no ``relative_to``.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:  # a link loop: a file to report, as os.walk treats it
            is_folder = False
        if is_folder:
            folders.append(entry)
        else:
            yield prefix + entry.name, entry
    for entry in folders:
        if not entry.name.startswith(".") and not entry.is_symlink():
            yield from _walk_in_order(entry.path, f"{prefix}{entry.name}/")


def _join(shown: str, rel: str) -> str:
    return rel if shown in ("", ".") else f"{shown.rstrip('/')}/{rel}"


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def load_file(source: SourceFile) -> LoadedFile:
    """Read and parse one file; never raises for anything the file contains."""
    try:
        # one stat and one read: at 190,000 files pathlib's is_file/stat/read_bytes cost more than the parse
        status = os.stat(source.path)
        if not stat.S_ISREG(status.st_mode):
            return LoadedFile(source, None, [Problem(source.display, 1, 1, "E109", {"detail": "不是普通文件"})])
        if status.st_size > MAX_BYTES:
            detail = f"{status.st_size / 1024 / 1024:.1f} MB，上限 {MAX_BYTES // 1024 // 1024} MB"
            return LoadedFile(source, None, [Problem(source.display, 1, 1, "E108", {"detail": detail})])
        with open(source.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return LoadedFile(
            source,
            None,
            [Problem(source.display, 1, 1, "E109", {"detail": exc.strerror or str(exc)})],
        )
    text, problems = decode(data, source.display)
    if text is None:
        return LoadedFile(source, None, problems)
    if source.kind.suffix == ".md":
        return _load_markdown(source, text)
    node, problems = compose(text, source.display)
    return LoadedFile(source, node, problems)


def _load_markdown(source: SourceFile, text: str) -> LoadedFile:
    parts = split_front_matter(text)
    if parts is None:
        return LoadedFile(source, None, [Problem(source.display, 1, 1, "E111")])
    front, body, body_line = parts
    node, problems = compose(front, source.display, line_offset=1)
    return LoadedFile(source, node, problems, body, body_line)


@dataclass
class Loaded:
    """Every parsed file of a repository, plus problems found while looking for them."""

    root: Path
    files: list[LoadedFile]
    problems: list[Problem]


def load_repository(root: Path) -> Loaded:
    """Discover and parse every file under ``root``."""
    sources, problems = discover(root)
    return Loaded(root, [load_file(s) for s in sources], problems)
