"""Walking a folder fast: every file with its stat facts, for "did anything change?" decisions.

A no-op build and a warm check do nothing but this walk, so it is the whole of their time.
At 190,000 files a Python walk (``os.scandir`` plus a stat and a tuple per file) takes
~1.4 s and hashing its tuples another 0.7 s; GNU ``find -printf``, one process per core
so both cores walk, lists the same facts in ~0.4 s as one byte string that is hashed
whole.  Where ``find`` is missing or not GNU, the Python walk produces the
same format.
Whether a file changed too shortly before the walk to be trusted (``TreeListing.racy``) is
decided during the walk, by ``find -newerct`` or the Python walk's stat: reading every
line's ctime back afterwards cost ~0.08 CPU s at 190,000 files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, filterfalse
from operator import itemgetter, ne
from typing import IO

from reportgen.textspans import middles

RACY_NS = 2_000_000_000  # a file changed this close to a walk may change again unseen (git's "racy" files)

# type, size, mtime, ctime, inode, path — the path last, as it may contain spaces
_FIND_FORMAT = "%y %s %T@ %C@ %i %p\\0"
_FACTS = itemgetter(slice(2, None))  # a line's facts without its type ("f " or "l ")


def walk_files(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of every file below ``folder``, in no particular order.

    Hidden folders are skipped and links to folders are not followed (as ``os.walk`` does
    not); a folder that cannot be read is skipped.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                yield from walk_files(entry.path, f"{prefix}{entry.name}/")
        elif not _links_to_folder(entry):
            yield prefix + entry.name, entry


def _links_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: a file that validation reports, not a folder
        return False


@dataclass(frozen=True)
class TreeListing:
    """Every non-hidden file below a folder with its size, mtime, ctime and inode, as bytes.

    Records are ``"<type> <size> <mtime> <ctime> <inode> ./<relative path>\\0"`` (times in
    seconds with a fraction).  A link is followed: its line carries the target's facts.
    ctime cannot be set back by a program, so an edit that restores a file's old mtime
    still changes its line.
    """

    data: bytes
    taken_ns: int  # the clock when the walk started
    fresh: bool  # whether a file's ctime (a link's target's) is RACY_NS or less before ``taken_ns``, or after it

    def digest(self) -> str:
        """A hash of the whole listing (worked out once: a build asks it when it starts and when it ends)."""
        return self._digest

    @cached_property
    def _digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def stamps(self) -> Mapping[str, str]:
        """Each file's facts ("size mtime ctime inode"), by its path relative to the folder.

        Parsed once: the build's change detection without a kept listing (``moved_since``) and the check share it.
        """
        return self._stamps

    def stamps_unkept(self) -> Mapping[str, str]:
        """``stamps()``, not kept with the listing when not parsed yet (a check reads them once: ~200 bytes a file)."""
        kept: dict[str, str] | None = self.__dict__.get("_stamps")
        return kept if kept is not None else self._parsed()

    def forget_stamps(self) -> None:
        """Let the kept ``stamps()`` go (parsed again if asked): a build reads them only up to its check."""
        self.__dict__.pop("_stamps", None)

    @cached_property
    def _stamps(self) -> dict[str, str]:
        return self._parsed()

    def _parsed(self) -> dict[str, str]:
        """The stamps by path, split in C where every line's path is the one " ./" in it (as good as always).

        Each line is "<type> <facts> ./<path>": " ./" replaced by a NUL makes the listing
        facts and paths in turn, one ``split`` (100,000 issues: 0.25 → 0.17 CPU s, the check and
        the build's change detection share it).  A path holding " ./" itself is split line by line.
        """
        text = self.data.decode("utf-8", "surrogateescape")
        parts = text.replace(" ./", "\0").split("\0")  # a last "" after the last line's NUL
        # every line holds " ./": once each when there are two parts a line (and the last ""), no " ./" counted apart
        if len(parts) == 2 * text.count("\0") + 1 and "\0\0" not in text and text[:1] != "\0":
            return dict(zip(parts[1::2], map(_FACTS, parts[0:-1:2]), strict=True))
        return _facts(self.data.split(b"\0"))

    def moved_since(self, before: bytes) -> tuple[dict[str, str], dict[str, str]]:
        """The facts of each path whose line is not the same in ``before`` (an earlier listing's ``data``, of
        the same folder): as ``before`` lists them, and as this listing does, in its order (a path in one
        of the two only is gone, or new).

        The lines the two share at their start and at their end are passed over (``textspans.middles``);
        the others are compared in bulk, in C: place by place when there are as many (a walk lists
        a folder in the order the last one did, where no file was added or removed), else as two
        sets; only the lines that differ are parsed.  100,000 issues: ~0.03 CPU s, where parsing
        every line (``stamps``) took ~0.2.
        """
        _, was_middle, now_middle = middles(before, self.data, b"\0")
        old, now = was_middle.split(b"\0"), now_middle.split(b"\0")
        if len(old) == len(now):
            differ = list(compress(range(len(now)), map(ne, old, now)))
            old, now = list(map(old.__getitem__, differ)), list(map(now.__getitem__, differ))
        was, found = set(old), set(now)
        return _facts(filterfalse(found.__contains__, old)), _facts(filterfalse(was.__contains__, now))

    def racy(self) -> bool:
        """Whether a file changed so shortly before the walk that a later edit might keep its line."""
        return self.fresh

    def patched(self, folder: str, edited: Iterable[str]) -> TreeListing | None:
        """This listing of ``folder`` with the lines of the files ``edited`` since (paths relative to it) made from
        their facts now; None where a walk is needed instead.

        For files edited in place or saved over under their own name (written beside and renamed
        in, as most editors save; removed and made again, as ``git checkout`` does), as the
        preview's watch names them: each keeps its name, and so its place in a walk of the
        folder (ext4 lists a folder in the order of its names' hashes; where a file system orders
        it otherwise, the next full walk finds the same facts in another order), and this is the
        listing a walk would give now, without the walk (~0.4 s at 100,000 issues).  A path neither listed
        nor there now (an editor's file that came and went) is passed over.  A path there now but
        not listed (a new file), listed not once as a regular file, or no longer one, is None; so
        is a listing with a link (an edited file may be its target, whose facts its line carries).
        The clock is the walk's: every edited file is fresh then.
        """
        data, fresh = self.data, self.fresh
        if data.startswith(b"l ") or b"\0l " in data:
            return None
        for rel in edited:
            tail = f" ./{rel}\0".encode("utf-8", "surrogateescape")
            at = data.find(tail)
            if at < 0 and not os.path.lexists(os.path.join(folder, rel)):
                continue
            start = data.rfind(b"\0", 0, at) + 1
            # its line's facts before the path: "f size mtime ctime inode", not part of another's path
            if at < 0 or data.find(tail, at + 1) >= 0 or not data.startswith(b"f ", start):
                return None
            if data.count(b" ", start, at) != 4:
                return None
            try:
                st = os.stat(os.path.join(folder, rel), follow_symlinks=False)
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode):
                return None
            fresh = fresh or st.st_ctime_ns >= self.taken_ns - RACY_NS
            data = b"%sf %s%s" % (data[:start], stamp_of(st).encode("ascii"), data[at:])
        return TreeListing(data, self.taken_ns, fresh)


def _facts(lines: Iterable[bytes]) -> dict[str, str]:
    """The facts ("size mtime ctime inode") of the listing's ``lines`` by path, in their order."""
    found: dict[str, str] = {}
    for line in lines:
        if line:  # the "" after the last line's NUL
            _, size, mtime, ctime, inode, path = line.decode("utf-8", "surrogateescape").split(" ", 5)
            found[path[2:]] = f"{size} {mtime} {ctime} {inode}"  # every path starts with "./"
    return found


def list_tree(folder: str) -> TreeListing:
    """The listing of ``folder`` (empty when it does not exist)."""
    with PendingListing(folder) as pending:
        return pending.result()


class PendingListing:
    """The listing of a folder under way: its finds walk it from here while the caller does other work.

    ``result`` waits for them; leaving the ``with`` block stops those still running (the
    caller failed before it asked).  The clock is read before any find starts, as ``list_tree``
    reads it.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.taken_ns = time.time_ns()  # the clock when the walk started
        self.exists = os.path.isdir(folder)
        starts = _starting_points(folder) if self.exists else []
        find = shutil.which("find") if self.exists else None
        self._finds = _Finds(find, folder, starts, self.taken_ns - RACY_NS) if find else None

    def __enter__(self) -> PendingListing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the finds if still running, and remove their files."""
        if self._finds is not None:
            self._finds.close()

    def result(self) -> TreeListing:
        """The listing, once the finds have ended (by a Python walk where they could not do it)."""
        if not self.exists:
            return TreeListing(b"", self.taken_ns, False)
        since = self.taken_ns - RACY_NS  # a file whose ctime is this or later is fresh
        found = self._finds.result() if self._finds is not None else None
        data, fresh = found if found is not None else _python_listing(self.folder, since)
        data, fresh_link = _follow_links(self.folder, data, since)
        return TreeListing(data, self.taken_ns, fresh or fresh_link)


class _Finds:
    """GNU find's listing, the folder split among one find per core (started when made), and whether a regular
    file's ctime is ``since_ns`` or later.

    The starting points (``_starting_points``; None: find cannot do it) are dealt out in turn, so each process gets a
    share of the big folders; ``%p`` prints each path as ``./`` plus its path relative to
    the folder, whatever the starting point.  Each find writes a byte to a file of its own
    for every fresh file it lists (``-newerct``, to the nanosecond; links: ``_follow_links``).
    """

    def __init__(self, find: str, folder: str, starts: list[str] | None, since_ns: int) -> None:
        self._stack = contextlib.ExitStack()
        self._procs: list[subprocess.Popen[bytes]] = []
        self._outputs: list[IO[bytes]] = []
        self._marks: list[str] = []
        self._failed = False
        self._stop: Callable[[], object] | None = None  # ``_stopped`` of the finds, once started
        if starts is None:
            self._failed = True
        elif starts:
            self._start(find, folder, starts, since_ns)

    def _start(self, find: str, folder: str, starts: list[str], since_ns: int) -> None:
        """Start one find per core (at most four) on its share of ``starts``."""
        after = since_ns - 1  # -newerct is "later than"
        newer = f"@{after // 1_000_000_000}.{after % 1_000_000_000:09d}"
        workers = max(1, min(len(starts), os.cpu_count() or 1, 4))
        # regular files and links only: a pipe, socket or device is never an input (reading one would block)
        expression = [
            *("(", "-name", ".*", "-prune", ")", "-o"),
            *("(", "-type", "f", "-o", "-type", "l", ")", "-printf", _FIND_FORMAT),
            *("-type", "f", "-newerct", newer, "-fprintf"),
        ]
        # each find writes to its own unnamed file: reading pipes one after the other would leave
        # the other finds blocked on a full pipe, one core idle (closed by the stack: ``close``)
        self._outputs = [self._stack.enter_context(tempfile.TemporaryFile()) for _ in range(workers)]  # noqa: SIM115
        marked = self._stack.enter_context(tempfile.TemporaryDirectory())  # each find's marks of fresh files
        self._marks = [os.path.join(marked, str(i)) for i in range(workers)]
        # made after the folder's own: at the interpreter's exit the finds stop before it is removed (a listing a
        # thread never ended, as ``serve``'s watcher at Ctrl+C: a find still writing there made its removal fail)
        self._stop = weakref.finalize(self, _stopped, self._procs)
        try:
            for i, out in enumerate(self._outputs):
                args = [find, *starts[i::workers], *expression, self._marks[i], "."]
                self._procs.append(subprocess.Popen(args, cwd=folder, stdout=out, stderr=subprocess.DEVNULL))
        except OSError:  # find could not be started after all
            self._failed = True
            self.close()

    def result(self) -> tuple[bytes, bool] | None:
        """The listing and whether a file is fresh, once every find has ended; None when find could not do it."""
        try:
            if self._failed or any(proc.wait() != 0 for proc in self._procs):
                return None  # not GNU find, or a folder vanished mid-walk: the Python walk decides
            parts = []
            for out in self._outputs:
                out.seek(0)
                parts.append(out.read())
            return b"".join(parts), any(os.path.getsize(mark) for mark in self._marks)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the finds still running and remove their files (again: nothing)."""
        if self._stop is not None:
            self._stop()
        self._stack.close()


def _stopped(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the finds of ``procs`` still running."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


MAX_STARTING_POINTS = 500  # keeps find's command line far below the system's limit


def _starting_points(folder: str) -> list[str] | None:
    """Where the finds start: ``./name`` paths that together cover every visible file once.

    A top-level folder with sub-folders (``issues/2021-09``…) is split into them (and its
    own files); one without (``enterprises/``) is one starting point however many files it
    holds.  Too many pieces: the top-level entries themselves.
    """
    try:
        top = sorted((e for e in os.scandir(folder) if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return None
    starts = []
    for entry in top:
        if not entry.is_dir(follow_symlinks=False) or _no_sub_folders(entry):
            starts.append(f"./{entry.name}")
            continue
        try:
            inner = sorted((e for e in os.scandir(entry.path) if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:
            return None
        if any(e.is_dir(follow_symlinks=False) for e in inner):
            starts.extend(f"./{entry.name}/{e.name}" for e in inner)
        else:
            starts.append(f"./{entry.name}")
    if len(starts) > MAX_STARTING_POINTS:
        return [f"./{e.name}" for e in top]
    return starts


def _no_sub_folders(entry: os.DirEntry[str]) -> bool:
    """Whether the folder ``entry`` surely holds no folder: its link count is 2 (its name and its own ".").

    Where a file system counts a folder's links so (ext4, XFS, tmpfs), this spares reading
    every name in it (10,000 enterprises at 100,000 issues); elsewhere (1, or more) it is read.
    A folder taken for one without sub-folders is still walked whole: only the finds' shares differ.
    """
    try:
        return entry.stat(follow_symlinks=False).st_nlink == 2
    except OSError:
        return False


def _python_listing(folder: str, since_ns: int) -> tuple[bytes, bool]:
    """The same listing by a Python walk (no GNU find), sorted, and whether a regular file's ctime is
    ``since_ns`` or later.
    """
    lines, fresh = [], False
    for rel, entry in sorted(walk_files(folder), key=lambda item: item[0]):
        if entry.name.startswith("."):  # as find's -prune: hidden files are never inputs
            continue
        kind = "l" if entry.is_symlink() else "f"
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if kind == "f" and not stat.S_ISREG(st.st_mode):  # as find's -type f: no pipes, sockets or devices
            continue
        fresh = fresh or (kind == "f" and st.st_ctime_ns >= since_ns)
        lines.append(f"{kind} {stamp_of(st)} ./{rel}\0")
    return "".join(lines).encode("utf-8", "surrogateescape"), fresh


def _follow_links(folder: str, data: bytes, since_ns: int) -> tuple[bytes, bool]:
    """Give every link's line its target's facts (rare; a changed target is a changed file), and whether a
    target's ctime is ``since_ns`` or later.

    A link to a pipe, socket or device is dropped, as find drops those files themselves:
    nothing may open it.
    """
    if not data.startswith(b"l ") and b"\0l " not in data:
        return data, False
    out, fresh = [], False
    for line in data.split(b"\0"):
        if line.startswith(b"l "):
            rel = line.split(b" ", 5)[5]
            try:
                target = os.stat(os.path.join(os.fsencode(folder), rel))
            except OSError:
                target = None  # dangling: validation says so
            if target is not None and not (stat.S_ISREG(target.st_mode) or stat.S_ISDIR(target.st_mode)):
                continue
            fresh = fresh or (target is not None and target.st_ctime_ns >= since_ns)
            facts = stamp_of(target) if target is not None else "-1 0 0 0"
            line = b"l " + facts.encode() + b" " + rel
        out.append(line)
    return b"\0".join(out), fresh


def stamp_of(st: os.stat_result) -> str:
    """A file's facts as a listing writes them: "size mtime ctime inode"."""
    return f"{st.st_size} {_fraction(st.st_mtime_ns)} {_fraction(st.st_ctime_ns)} {st.st_ino}"


def _fraction(ns: int) -> str:
    return f"{ns // 1_000_000_000}.{ns % 1_000_000_000:09d}0"


def seconds_ns(text: str) -> int:
    """Nanoseconds from a listing's time ("seconds.fraction")."""
    whole, _, fraction = text.partition(".")
    return int(whole) * 1_000_000_000 + int((fraction[:9] or "0").ljust(9, "0"))
