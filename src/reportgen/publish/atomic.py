"""Writing an output folder all at once or not at all, and one build at a time.

The build writes into a staging folder beside the output and swaps it in with one
``renameat2(RENAME_EXCHANGE)`` call, so a reader (or a build killed at any point)
sees either the old folder or the new one, never a mixture.  Where the kernel or
file system cannot exchange, two renames are used and an interrupted swap is
repaired at the start of the next build.

The old output's files are removed after the swap, its folders kept in the build cache
(``.<name>.cache/folders``, emptied): the next build's staging folder is made of them.  At
100,000 issues a site has ~1,400 folders, and each ``mkdir`` and ``rmdir`` waits on the
file system's journal (~0.2 CPU s each way, seconds of wall time on a busy disk); a
folder the new build does not fill is removed before its swap.  A first output, swapped in
by a rename, has no old output to leave them: its folders are made spare as well
(``spare_ahead``), while the build waits for its leak search.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from reportgen.formatting import shown_path
from reportgen.lang import Pair, Said, os_phrase
from reportgen.publish.cache import cache_folder
from reportgen.publish.ownership import MARKER, MARKER_TEXT

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING_PREFIX = ".staging-"
_SPARE = "folders"  # in the build cache
_SPARE_FOLDERS: dict[str, list[str]] = {}  # staging folder → the spare folders it was made of, deepest first


# Why the output folder cannot be written, in the language of ``--lang``.
MESSAGES: dict[str, Pair] = {
    "no_staging": ("无法在 {folder} 中创建临时目录：{why}", "cannot make a temporary folder in {folder}: {why}"),
    "outside": ("拒绝写入输出目录之外的路径：{rel}", "refused to write outside the output folder: {rel}"),
}


class OutputError(Said):
    """The output folder cannot be written; the message is for the user, worded when printed."""


def _libc() -> ctypes.CDLL | None:
    """The C library as this process has it loaded (``find_library`` would run ``ldconfig``: ~20 ms a build)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no libc on this platform
        return None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False when the system cannot."""
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is None or not sys.platform.startswith("linux"):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _aside(out: Path) -> Path:
    return out.with_name(f".{out.name}.previous")


def _spare(out: Path) -> Path:
    """Where the last output's folders wait, emptied, for the next staging folder (in the build cache)."""
    return cache_folder(out) / _SPARE


def repair(out: Path) -> None:
    """Undo a two-rename swap that was interrupted, and remove stale staging folders."""
    aside = _aside(out)
    if aside.exists() and not out.exists():
        aside.rename(out)
    elif aside.exists():
        shutil.rmtree(aside, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}{_STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def staging_folder(out: Path) -> Path:
    """A new folder beside ``out`` (same file system, so the swap is a rename), holding only the output marker.

    It gets the usual permissions (0777 less the umask, as ``mkdir`` gives), not ``mkdtemp``'s
    0700: a published copy of it must stay readable by the web server.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = _spare_folders(out) or _new_folder(out.parent, f".{out.name}{_STAGING_PREFIX}")
        (folder / MARKER).write_text(MARKER_TEXT, "utf-8")
    except OSError as exc:
        raise OutputError(MESSAGES["no_staging"], folder=shown_path(out.parent), why=os_phrase(exc)) from exc
    return folder


def _spare_folders(out: Path) -> Path | None:
    """The spare folders (``_spare``) under a new staging name, any file in them removed; None when there are none.

    Only a real folder is taken (not a link); its sub-folders are remembered, deepest first,
    so that ``swap_in`` removes those the build left empty.
    """
    spare = _spare(out)
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode):
            return None
        folder = _new_name(out.parent, f".{out.name}{_STAGING_PREFIX}")
        spare.rename(folder)
    except OSError:
        return None
    base = os.fspath(folder)
    _SPARE_FOLDERS[base] = [f"{base}/{rel}" for rel in _emptied(base)]
    return folder


def _emptied(folder: str) -> list[str]:
    """Remove every file below ``folder`` (links are not followed); its sub-folders (relative paths), deepest first."""
    folders: list[str] = []
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        if entry.is_dir(follow_symlinks=False):
            folders.extend(f"{entry.name}/{rel}" for rel in _emptied(entry.path))
            folders.append(entry.name)
        else:
            os.unlink(entry.path)
    return folders


def _sweep(staging: Path) -> None:
    """Remove the spare folders the build left empty (deepest first: a folder's sub-folders go before it)."""
    for folder in _SPARE_FOLDERS.pop(os.fspath(staging), []):
        try:
            os.rmdir(folder)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise


def _new_folder(parent: Path, prefix: str) -> Path:
    """A folder of a new random name in ``parent``, created with the umask's permissions."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _new_name(parent: Path, prefix: str) -> Path:
    """A path of a new random name in ``parent`` that nothing has."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(6)}"
        if not os.path.lexists(path):
            return path


def swap_in(staging: Path, out: Path) -> None:
    """Make ``staging`` the new ``out``; the old output's files are removed afterwards, its folders kept spare."""
    _sweep(staging)
    if out.exists() and exchange(staging, out):
        _keep_folders(staging, out)  # staging now holds the old output
        return
    if out.exists():
        aside = _aside(out)
        out.rename(aside)
        staging.rename(out)
        _keep_folders(aside, out)
    else:
        staging.rename(out)


def _keep_folders(old: Path, out: Path) -> None:
    """Empty the old output ``old`` of its files and keep its folders spare for the next build (``_spare``).

    Removed whole instead when it has no sub-folder (an empty folder given as the output), a
    spare is there already, or it cannot be emptied.
    """
    try:
        if not os.path.lexists(_spare(out)) and _emptied(os.fspath(old)):
            _spare(out).parent.mkdir(exist_ok=True)
            old.rename(_spare(out))
            return
    except OSError:
        pass
    shutil.rmtree(old, ignore_errors=True)


def spare_ahead(staging: Path, out: Path) -> Callable[[], None]:
    """Start making spare folders shaped as ``staging``'s when its swap will leave none; the wait for them.

    A first output (no ``out`` yet) is swapped in by a rename: without this, the build after
    it made each of its folders again before linking its kept files into them (at 100,000
    issues 1,389 folders: 0.54 s of ``mkdir`` in a profile of the title edit after a cold
    build, ~0.2 s of its 2 s).  Made by a thread while the build waits for its leak search
    (``mkdir`` waits on the file system's journal).
    """
    spare = _spare(out)
    if os.path.lexists(out) or os.path.lexists(spare):
        return lambda: None
    worker = threading.Thread(target=_make_spare, args=(os.fspath(staging), spare), daemon=True)
    worker.start()
    return worker.join


def _make_spare(staging: str, spare: Path) -> None:
    """Make ``spare`` with the sub-folders ``staging`` has, empty; where one cannot be made, stop (a part of the
    folders is spare: the next build makes the others)."""
    folders = [os.path.relpath(f"{top}/{name}", staging) for top, names, _ in os.walk(staging) for name in names]
    with contextlib.suppress(OSError):
        spare.parent.mkdir(exist_ok=True)
        spare.mkdir()
        for rel in folders:  # parents before their sub-folders (``os.walk`` goes top down)
            os.mkdir(spare / rel)


def file_stamp(st: os.stat_result) -> str:
    """A file's inode, size and modification time: another file (or an edit) gives another stamp.

    Two files that exist at the same time never share an inode, so a file written anew is
    never taken for the one it replaces, whatever its size and time.
    """
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns}"


class StagingWriter:
    """Writes files into a staging folder one at a time, as they are rendered.

    A build streams its pages through this instead of holding the whole site in memory.
    ``on_write`` sees every file written (the privacy scan reads each one then); ``written``
    lists the paths in the order they came, ``stamps`` each one's ``file_stamp``.  A file
    the last build made from the same inputs is given to the folder by ``reuse`` instead.
    """

    def __init__(self, root: Path, on_write: Callable[[str, bytes], None] | None = None) -> None:
        self.root = root
        self.on_write = on_write
        self.written: list[str] = []
        self.stamps: dict[str, str] = {}
        self._base = os.fspath(root)
        self._folders: set[str] = set()  # folders made or found (paths as text: thousands of files per build)

    def write(self, rel: str, content: bytes) -> None:
        """Write one file; a path may not climb out of the folder nor be written twice."""
        path = self._claim(rel)
        with open(path, "xb") as handle:  # "x": two renderers claiming one path is a defect, not an overwrite
            handle.write(content)
            handle.flush()
            self.stamps[rel] = file_stamp(os.fstat(handle.fileno()))
        self.written.append(rel)
        if self.on_write is not None:
            self.on_write(rel, content)

    def reuse(self, rel: str, previous: str | Path, stamp: str | None = None) -> str:
        """Give the folder the file ``previous`` (the last build's) at ``rel``, unread; where it now is (as text).

        A hard link (the staging folder and the output are siblings, on one file system); a
        copy where the file system refuses links.  ``on_write`` does not see it.  As ``write``,
        a path claimed twice is refused (``FileExistsError``): a link or a copy never replaces a file.
        ``stamp``: ``previous``'s as the caller just read it, the link's own (the same inode, size
        and time), so it is not read again (4,300 kept files after one edit at 100,000 issues).
        Were ``previous`` changed in between, the stamp kept is the older one: the next build
        finds another and makes the file again.
        """
        path = self._claim(rel)
        try:
            os.link(previous, path)
        except FileExistsError:
            raise
        except OSError:
            with open(previous, "rb") as source, open(path, "xb") as copy:
                shutil.copyfileobj(source, copy)
            stamp = None  # a copy is another file
        self.stamps[rel] = stamp if stamp is not None else file_stamp(os.stat(path))
        self.written.append(rel)
        return path  # text, not a ``Path``: as ``_claim``, thousands of kept files after one edit

    def _claim(self, rel: str) -> str:
        """Where ``rel`` goes, its folder made; a path out of the folder is refused.

        Plain text, not ``Path``s: a kept file costs a link and a stat (~15 µs), and the path
        objects cost ~20 µs more (4,300 kept files after one edit at 100,000 issues).
        """
        if rel.startswith("/") or ".." in rel.split("/"):
            raise OutputError(MESSAGES["outside"], rel=rel)
        path = f"{self._base}/{rel}"
        self._make_folder(path.rpartition("/")[0])
        return path

    def _make_folder(self, folder: str) -> None:
        """Make ``folder`` and its missing parents, once each: a ``mkdir`` where ``os.makedirs``
        looks at every parent first (1,400 folders of kept files after one edit at 100,000 issues)."""
        if folder in self._folders:
            return
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            self._make_folder(folder.rpartition("/")[0])
            os.mkdir(folder)
        except FileExistsError:
            pass  # the staging folder itself, or a folder made before this writer kept count
        self._folders.add(folder)


@contextlib.contextmanager
def build_lock(out: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock for building ``out``; a second build waits for the first.

    A POSIX record lock (``lockf``), not ``flock``: it belongs to this process alone, so
    the PDF workers it forks do not share it, and a build killed while one of them lives
    on does not leave its successors waiting forever.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.with_name(f".{out.name}.lock")
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            if on_wait:
                on_wait()
            fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
