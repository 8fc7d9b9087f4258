"""Stage 1 — load: find the record files and parse each into a node tree with positions.

Nothing here interprets values; that is ``validate``'s job.  Every fault a file can
have (unreadable, not UTF-8, bad YAML, empty, several documents) becomes a problem.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import yaml

from reportgen import filewalk
from reportgen.lang import os_reason
from reportgen.load.characters import IN_FILE_NAMES, invisible_name
from reportgen.load.yamlnodes import MAX_BYTES, compose, decode, split_front_matter
from reportgen.problems import Problem, Words
from reportgen.schema.kinds import CONFIG, CONFIG_FILE, KINDS_BY_FOLDER
from reportgen.schema.types import Kind

FROZEN_FOLDER = "frozen"  # the issued bulletins' figures (``validate.frozen``): beside the records, not one
MAX_GENERATED_BYTES = 64 * 1024 * 1024  # a file the build writes into the records (frozen figures)
_CONTROL_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f]")
_IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store", "Thumbs.db", "README.md", "desktop.ini"})
_NAME = attrgetter("name")  # a folder entry's name (in C: sorting 100,000 entries)


class SourceFile(NamedTuple):
    """A record file found in the repository (a tuple: one per file, made in bulk from a kept discovery)."""

    where: str | Path  # where to read it (discovery gives the walk's own string: no Path per file)
    display: str  # how problems name it: the records folder as given, then the relative path
    kind: Kind

    @property
    def path(self) -> Path:
        """Where to read it, as a path."""
        return self.where if isinstance(self.where, Path) else Path(self.where)

    @property
    def name(self) -> str:
        """The file's name."""
        where = self.where
        return where.rpartition("/")[2] if isinstance(where, str) else where.name

    @property
    def stem(self) -> str:
        """File name without its suffix: the id a record in it should carry."""
        name, suffix = self.name, self.kind.suffix
        return name[: -len(suffix)] if name.endswith(suffix) else PurePosixPath(name).stem


source_file = functools.partial(tuple.__new__, SourceFile)  # a SourceFile from a tuple of its values, made in C


@dataclass
class LoadedFile:
    """A parsed file: its node tree (None when it could not be parsed) and any problems."""

    source: SourceFile
    node: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)
    body: str = ""  # Markdown body of a bulletin text
    body_line: int = 1


UNSURE = "unsure"  # a folder's facts when it changed just before it was read: read again next time


@dataclass
class Walked:
    """The folders a discovery read, each with its facts when read (``folder_facts``); whether they can be trusted.

    A folder's entries change only with its facts (an entry added, removed or renamed moves
    its mtime and ctime), so a later discovery that finds every folder's facts unchanged
    would find the same files.  Not so when a link was met (its target may change unseen):
    then ``trusted`` is False.  A folder changed just before it was read (a second change
    within the clock's granularity could keep its facts) is noted ``UNSURE``, and a later
    discovery reads that folder again: the others stay trusted (a folder tree just copied
    or cloned has a few such folders, the last written).
    """

    started_ns: int
    folders: list[tuple[str, str]] = field(default_factory=list)
    trusted: bool = True

    def read(self, folder: str) -> None:
        """Note ``folder``'s facts, about to be read."""
        try:
            st = os.stat(folder)
        except OSError:
            self.trusted = False
            return
        racy = max(st.st_mtime_ns, st.st_ctime_ns) >= self.started_ns - filewalk.RACY_NS
        self.folders.append((folder, UNSURE if racy else folder_facts(st)))


def folder_facts(st: os.stat_result) -> str:
    """A folder's facts as ``Walked`` keeps them: mtime, ctime, inode and device."""
    return f"{st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_dev}"


def discover(root: Path, walked: Walked | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """Every record file under ``root``, in a stable order, with problems for strays.

    ``walked``, when given, is told every folder read (``Walked``).
    """
    problems: list[Problem] = []
    found: list[SourceFile] = []
    shown = str(root)
    prefix = _join(shown, "")  # a file's display name is this and its path below the folder
    real_root = _resolved(root)
    if walked is not None:
        walked.read(os.fspath(root))
    config = root / CONFIG_FILE
    if os.path.lexists(config):  # a folder or a pipe of that name is read, and refused, as the config
        found.append(SourceFile(config, _join(shown, CONFIG_FILE), CONFIG))
    for folder, kind in sorted(KINDS_BY_FOLDER.items()):
        base = root / folder
        if walked is not None and os.path.islink(base):
            walked.trusted = False
        if not base.is_dir():
            if os.path.lexists(base):  # a file, a pipe or a link loop where a folder belongs
                problems.append(Problem(_join(shown, folder), 1, 1, "E109", {"detail": _not_a_folder(base)}))
            continue
        look_alikes: list[str] = []
        for rel, entry in _walk_in_order(os.fspath(base), f"{folder}/", kind.suffix, look_alikes, walked):
            name = entry.name
            display = prefix + rel
            if name in _IGNORED_NAMES or name.startswith("."):
                continue
            hidden = None if rel.isprintable() else _refused_in_name(rel, name.endswith(kind.suffix))
            if hidden:
                name_words = invisible_name(hidden.group())
                detail = Words(f"含有看不见的{name_words.zh}", f"it holds an invisible {name_words.en}")
                display = IN_FILE_NAMES.sub(_escape, display)
                problems.append(Problem(display, 1, 1, "E110", {"name": display.rsplit("/", 1)[-1], "detail": detail}))
                continue
            if not name.endswith(kind.suffix):
                problems.append(Problem(display, 1, 1, "W604", {"detail": name}))
                continue
            if entry.is_symlink() and not _inside(Path(entry.path), real_root):
                problems.append(Problem(display, 1, 1, "E109", {"detail": _OUTSIDE}))
                continue
            where = entry.path  # the walk's own string: no Path per file …
            found.append(SourceFile(display if where == display else where, display, kind))  # … and one string, not two
        problems.extend(
            Problem(_join(shown, rel), 1, 1, "W620", {"name": rel.rsplit("/", 1)[-1]}) for rel in look_alikes
        )
    if os.path.lexists(config):  # no config: not a records folder at all (E118), its folders no kind's strays
        problems.extend(_strays_at_top(root, shown))
    return found, problems


_TEXTS = (".yaml", ".yml", ".md")  # what a record or a bulletin text is written in


def _strays(root: Path) -> list[tuple[str, str | None]]:
    """What sits at the top of ``root`` where a kind's folder or the config belongs but is none of them: a folder
    spelt like a kind's (isues/, with the folder meant), or a record or bulletin file (``README.md`` aside).

    Told by the names alone, so that a root whose entries did not change holds the same strays (``root_holds``):
    a folder of another name (an office's fonts/) is the office's own.
    """
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    known = {CONFIG_FILE, FROZEN_FOLDER, *KINDS_BY_FOLDER, *_IGNORED_NAMES}
    found: list[tuple[str, str | None]] = []
    for name in names:
        if name.startswith(".") or name in known:
            continue
        if os.path.isdir(root / name):
            meant = difflib.get_close_matches(name, list(KINDS_BY_FOLDER), n=1)
            found += [(f"{name}/", meant[0])] if meant else []
        elif name.endswith(_TEXTS):
            found.append((name, None))
    return found


def _strays_at_top(root: Path, shown: str) -> list[Problem]:
    """W608 for each of ``_strays``: what is in them is read by nothing, so it must not pass unseen."""
    folders = Words(
        "、".join(f"{name}/（{kind.label}）" for name, kind in KINDS_BY_FOLDER.items()),
        ", ".join(f"{name}/ ({kind.label_en})" for name, kind in KINDS_BY_FOLDER.items()),
    )
    problems = []
    for name, meant in _strays(root):
        nearest = Words(f"是否指 {meant}/？", f"Did you mean {meant}/?") if meant else Words("", "")
        params = {"name": name, "folders": folders, "nearest": nearest}
        problems.append(Problem(_join(shown, name.rstrip("/")), 1, 1, "W608", params))
    return problems


_OUTSIDE = Words("链接指向 records 目录之外", "the link points outside the records folder")


def relisted(root: Path, folder: str) -> tuple[list[SourceFile], list[str]] | None:
    """The record files directly in ``folder`` as ``discover(root)`` finds them, and its sub-folders it enters.

    ``folder`` is a folder ``discover`` read below a record folder (as ``Walked`` names it).
    None, and ``discover`` decides, for ``root`` itself, for anything it would report
    (a stray, a refused name, a folder named like a record) and for a link.
    """
    place = _record_folder(root, folder)
    if place is None:
        return None
    rel, kind = place
    try:
        entries = sorted(os.scandir(folder), key=_NAME)
    except OSError:
        return None
    prefix = _join(str(root), rel)
    files, folders = [], []
    for entry in entries:
        name = entry.name
        try:
            if entry.is_symlink() or not (rel + name).isprintable():
                return None
            is_folder = entry.is_dir()
        except OSError:
            return None
        if is_folder and name.endswith(kind.suffix) and not name.startswith("."):
            return None  # a look-alike (W620)
        if is_folder or name in _IGNORED_NAMES or name.startswith("."):
            if is_folder and not name.startswith("."):
                folders.append(entry.path)
            continue
        if not name.endswith(kind.suffix):
            return None  # a stray (W604)
        display, where = prefix + name, entry.path
        files.append(SourceFile(display if where == display else where, display, kind))
    return files, folders


def root_holds(root: Path, config: bool, folders: Iterable[str], problem_files: Iterable[str]) -> bool:
    """Whether ``discover`` would read of ``root`` itself what it read before: the config file there or not
    (``config``), the record folders it walked among ``folders`` (those it read), nothing to report directly
    in it (``problem_files``: the files of its problems), and no stray there now (``_strays``).  A link or
    anything but a folder where a record folder belongs: False, and discovery decides.
    """
    bases = []
    for name in sorted(KINDS_BY_FOLDER):
        base = root / name
        if os.path.islink(base):
            return False
        if base.is_dir():
            bases.append(os.fspath(base))
        elif os.path.lexists(base):
            return False
    here = _join(str(root), "")
    read = {os.fspath(root / name) for name in KINDS_BY_FOLDER}
    was = [folder for folder in folders if folder in read]
    directly = any(directly_in(here, file) for file in problem_files)
    strays = config and bool(_strays(root))  # one added since (W608): discovery says so
    return not directly and not strays and os.path.lexists(root / CONFIG_FILE) == config and was == bases


def directly_in(prefix: str, path: str) -> bool:
    """Whether ``path`` is directly in the folder ``prefix`` names (ending in "/"), not in a folder below it."""
    return path.startswith(prefix) and "/" not in path[len(prefix) :]


def shown_prefix(root: Path, folder: str) -> str | None:
    """What the display names of the record files directly in ``folder`` begin with (None: not a record folder)."""
    place = _record_folder(root, folder)
    return _join(str(root), place[0]) if place is not None else None


def _record_folder(root: Path, folder: str) -> tuple[str, Kind] | None:
    """``folder``'s path below ``root`` (ending in "/") and the kind of records it holds (None: not a record folder)."""
    for name, kind in KINDS_BY_FOLDER.items():
        base = os.fspath(root / name)
        if folder == base:
            return f"{name}/", kind
        if folder.startswith(f"{base}/"):
            return f"{name}/{folder[len(base) + 1 :]}/", kind
    return None


def _not_a_folder(path: Path) -> Words:
    """Why a record folder cannot be walked."""
    try:
        os.stat(path)
    except OSError as exc:
        words = _unreadable(exc).words
        return Words(f"这里应当是一个文件夹：{words.zh}", f"a folder belongs here: {words.en}")
    return Words("这里应当是一个文件夹，实际是一个文件", "a folder belongs here, not a file")


def _refused_in_name(rel: str, record: bool) -> re.Match[str] | None:
    """The first character a file name may not hold.

    A control character anywhere (a newline would forge lines of the report); any invisible
    character in a record's name (it would differ from the id it looks like).  A stray file
    with one is only skipped (W604), its name shown escaped.
    """
    return (IN_FILE_NAMES if record else _CONTROL_IN_NAMES).search(rel)


def _escape(match: re.Match[str]) -> str:
    """A refused character of a file name as an escape: \\x0a, \\u200b."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _resolved(root: Path) -> Path:
    """``root`` with every link resolved (as given when that fails: a link loop has no inside)."""
    try:
        return root.resolve()
    except (OSError, RuntimeError):
        return root


def _walk_in_order(
    folder: str, prefix: str, suffix: str, look_alikes: list[str], walked: Walked | None = None
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of every non-folder below ``folder``, in ``os.walk``'s sorted order.

    A folder's files come first, then its sub-folders, each sorted by name; hidden folders
    and links to folders are not entered.  Scandir entries (and strings, not pathlib) keep
    this cheap at 200,000 files: no stat for files, no ``relative_to``.  Folders named like
    a record file (``D03.yaml/``) are added to ``look_alikes``: a clerk would take them for one.
    ``walked`` is told every folder read, and of any link met.
    """
    if walked is not None:
        walked.read(folder)
    try:
        entries = sorted(os.scandir(folder), key=_NAME)
    except OSError:
        return
    folders = []
    for entry in entries:
        if walked is not None and entry.is_symlink():
            walked.trusted = False
        try:
            is_folder = entry.is_dir()
        except OSError:  # a link loop: a file to report, as os.walk treats it
            is_folder = False
        if is_folder:
            folders.append(entry)
            if entry.name.endswith(suffix) and not entry.name.startswith("."):
                look_alikes.append(prefix + entry.name)
        else:
            yield prefix + entry.name, entry
    for entry in folders:
        if not entry.name.startswith(".") and not entry.is_symlink():
            yield from _walk_in_order(entry.path, f"{prefix}{entry.name}/", suffix, look_alikes, walked)


def _join(shown: str, rel: str) -> str:
    return rel if shown in ("", ".") else f"{shown.rstrip('/')}/{rel}"


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def load_file(source: SourceFile) -> LoadedFile:
    """Read and parse one file; never raises for anything the file contains, never blocks."""
    try:
        data = read_regular(source.where, MAX_BYTES)
    except UnreadableFile as exc:
        return LoadedFile(source, None, [Problem(source.display, 1, 1, exc.code, {"detail": exc.words})])
    text, problems = decode(data, source.display)
    if text is None:
        return LoadedFile(source, None, problems)
    if source.kind.suffix == ".md":
        return _load_markdown(source, text)
    node, problems = compose(text, source.display)
    return LoadedFile(source, node, problems)


class UnreadableFile(OSError):
    """A file that cannot be read as a record: ``code`` (E108 or E109), a Chinese ``detail`` and its ``words``."""

    def __init__(self, code: str, detail: str, en: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.words = Words(detail, en or detail)  # the system's reason has English words too


# what a path is when it is not a regular file: named pipes and devices would block a read
_DEVICE = ("这是设备文件，不是普通文件；请删除它", "a device file, not a regular file; delete it")
_SPECIAL = (
    (stat.S_ISDIR, ("这是一个文件夹，不是文件", "a folder, not a file")),
    (
        stat.S_ISFIFO,
        ("这是命名管道（FIFO），不是普通文件；请删除它", "a named pipe (FIFO), not a regular file; delete it"),
    ),
    (stat.S_ISSOCK, ("这是套接字文件，不是普通文件；请删除它", "a socket, not a regular file; delete it")),
    (stat.S_ISCHR, _DEVICE),
    (stat.S_ISBLK, _DEVICE),
)
_NOT_REGULAR = ("不是普通文件；请删除它", "not a regular file; delete it")
_CHANGED = (
    "读取时文件正在被修改；请等保存完成后再检查",
    "the file changed while it was read; check again once it is saved",
)


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; raises ``UnreadableFile`` for anything else.

    Never blocks: the file is opened without blocking (a named pipe with no writer, a
    device) and refused unless the open file is a regular one.  A file over ``limit``
    bytes is E108; one whose size or time changes while it is read is E109, as its text
    may be torn.  One open, two fstats and one read: this runs for every record.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        before = os.fstat(fd)
        _require_regular(before)
        _require_size(before.st_size, limit)
        data = os.read(fd, before.st_size + 1)  # one byte more than expected: growth shows
        after = os.fstat(fd)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
    _require_size(after.st_size, limit)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != before.st_size:
        raise UnreadableFile("E109", *_CHANGED)
    return data


def _require_regular(status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    zh, en = next((pair for test, pair in _SPECIAL if test(status.st_mode)), _NOT_REGULAR)
    raise UnreadableFile("E109", zh, en)


def _require_size(size: int, limit: int) -> None:
    if size > limit:
        shown, most = f"{size / 1024 / 1024:.1f} MB", f"{limit // 1024 // 1024} MB"
        raise UnreadableFile("E108", f"{shown}，上限 {most}", f"{shown}, at most {most}")


def _unreadable(exc: OSError) -> UnreadableFile:
    if isinstance(exc, UnreadableFile):
        return exc
    return UnreadableFile("E109", os_reason(exc, "zh"), os_reason(exc, "en"))


def _load_markdown(source: SourceFile, text: str) -> LoadedFile:
    parts = split_front_matter(text)
    if parts is None:
        return LoadedFile(source, None, [Problem(source.display, 1, 1, "E111")])
    front, body, body_line = parts
    node, problems = compose(front, source.display, line_offset=1)
    return LoadedFile(source, node, problems, body, body_line)
