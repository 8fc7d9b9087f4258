"""Telling the preview (``reportgen serve``) cheaply whether an input may have changed.

The preview compares the build's fingerprint of every input file's stat facts
(``publish.cache``).  At 100,000 issues (187,459 files) one listing costs ~0.7 CPU s, and
the preview asked for it every second: most of a core, all the time it was open.  On
Linux the kernel says when anything in a watched folder is written, created, removed,
renamed or has its facts changed (inotify); the preview lists the inputs only then, and
a poll with nothing to report is one system call.  When all it reported is files by name
(``edits``) and each was edited in place, saved over, or came and went, the preview does not walk
the inputs at all: it makes those files' lines of the last listing again (``serve.relisted``).

A change the kernel cannot report here (a link's target outside the folders, a folder
of inputs created where none was watched, more events than its queue holds) is still
seen: the preview compares the fingerprint every ``FULL_EVERY`` seconds whatever it was
told.  Where there is no inotify (another system, too many folders for the user's
limit) every poll compares it, as before.
"""

from __future__ import annotations

import ctypes
import errno
import os
import select
import struct
import sys
from collections.abc import Iterable

FULL_EVERY = 30.0  # seconds between fingerprints compared whatever the kernel said (~2% of a core at 100k)

# inotify's event bits (linux/inotify.h)
_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE, _DELETE_SELF, _MOVE_SELF = 0x40, 0x80, 0x100, 0x200, 0x400, 0x800
_OVERFLOW, _IGNORED, _ISDIR, _DONT_FOLLOW = 0x4000, 0x8000, 0x40000000, 0x02000000
_OF_A_FILE = _MODIFY | _ATTRIB | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE  # a file's, by its name
_WATCHED = _OF_A_FILE | _DELETE_SELF | _MOVE_SELF
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


class FolderWatch:
    """The kernel's watch on every non-hidden folder below some folders (``start``)."""

    def __init__(self, fd: int, libc: ctypes.CDLL) -> None:
        self._fd = fd
        self._libc = libc
        self._folders: dict[int, str] = {}  # watch descriptor → its folder
        self._edited: set[str] | None = set()  # ``edits``: the files events named (None: anything else too)

    @classmethod
    def start(cls, folders: Iterable[str]) -> FolderWatch | None:
        """A watch on ``folders`` and every non-hidden folder below them; None where the system cannot."""
        libc = _libc()
        init = getattr(libc, "inotify_init1", None) if libc is not None else None
        if libc is None or init is None:
            return None
        fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            return None
        watch = cls(fd, libc)
        if not all(watch._add_tree(folder, top=True) for folder in folders):  # e.g. the user's limit of watches
            watch.close()
            return None
        return watch

    def _add_tree(self, folder: str, top: bool = False) -> bool:
        """Watch ``folder`` and its non-hidden folders (a top folder missing is no folder to watch); False: cannot.

        Links to folders are not followed below the top, as the build's listing does not follow them.
        """
        if top and not os.path.isdir(folder):
            return True
        for path, names, _ in os.walk(folder):
            names[:] = [name for name in names if not name.startswith(".")]
            flags = _WATCHED if top and path == folder else _WATCHED | _DONT_FOLLOW
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), flags)
            if wd < 0:
                if ctypes.get_errno() in (errno.ENOENT, errno.ENOTDIR):  # gone meanwhile, which an event says
                    continue
                return False
            self._folders[wd] = path
        return True

    def changed(self) -> bool:
        """Whether the kernel reported anything since last asked, but for hidden files (never inputs).

        A folder created (or moved in) is watched from now on, with the folders inside it.
        """
        changed = False
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                return changed
            for wd, mask, name in _events(data):
                if mask & (_OVERFLOW | _IGNORED):  # events were lost, or a folder is gone (its watch with it)
                    changed = changed or bool(mask & _OVERFLOW)
                    self._folders.pop(wd, None)
                    self._edited = None
                    continue
                if name.startswith(b".") or (not name and not mask & (_DELETE_SELF | _MOVE_SELF)):
                    continue  # a hidden file (an editor's swap file), or a folder's own facts
                changed = True
                folder = self._folders.get(wd)
                if mask & _ISDIR and mask & (_CREATE | _MOVED_TO) and folder is not None:
                    self._add_tree(os.path.join(folder, os.fsdecode(name)))
                self._note(folder, name, mask)

    def _note(self, folder: str | None, name: bytes, mask: int) -> None:
        """Remember a file named by an event for ``edits``; anything else reported makes it None until then."""
        if folder is None or not name or mask & ~_OF_A_FILE or mask & _ISDIR:
            self._edited = None
        elif self._edited is not None:
            self._edited.add(os.path.join(folder, os.fsdecode(name)))

    def edits(self) -> frozenset[str] | None:
        """The files (their paths) that ``changed`` was told were written, created, removed or renamed since this
        was last asked; None when it was told of anything else too (a folder's change, events lost).

        Which of them were edited in place, or saved over (written beside and renamed in, as most
        editors save), and which came and went is for the listing to tell (``TreeListing.patched``).
        """
        edited, self._edited = self._edited, set()
        return frozenset(edited) if edited is not None else None

    def wait(self, timeout: float) -> bool:
        """Wait until the kernel has something to report, or ``timeout`` seconds; whether it has.

        What it has is read by ``changed``.
        """
        readable, _, _ = select.select([self._fd], [], [], timeout)
        return bool(readable)

    def close(self) -> None:
        """Stop watching."""
        os.close(self._fd)


def _events(data: bytes) -> Iterable[tuple[int, int, bytes]]:
    """The (watch descriptor, mask, name) of each event in what one read of the watch gave."""
    at = 0
    while at + _EVENT.size <= len(data):
        wd, mask, _, length = _EVENT.unpack_from(data, at)
        at += _EVENT.size
        yield wd, mask, data[at : at + length].rstrip(b"\0")
        at += length


def _libc() -> ctypes.CDLL | None:
    """The C library as this process has it loaded, on Linux (where inotify is)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no libc loaded
        return None
