"""What the next build reads first, decoded ahead while the preview waits for a save: a speed-up of ``serve`` only.

After one edit at 100,000 issues, a rebuild in the preview spent ~0.45 of its ~1.9 s decoding
what the last build left: the check's cache and rules' state, the build's file states.  The
preview waits seconds between saves with nothing to do, so after each build it decodes them
(``warm``), and the next build's read of each gets the object decoded then instead of
decoding the file again.  Only a read wrapped here (``read_ahead``) is kept, and only when
every file it read is, when the build asks, the file it was then (same device, inode, size,
modification and change times: another command's check, or a build's append, is read anew).
Each kept object is handed out once: no two builds share one, so what a build changes in
place stays its own.  Outside ``warm`` nothing is kept, and a read is the plain function.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")

Stamp = tuple[int, int, int, int, int] | None  # a file's device, inode, size, mtime and ctime; None: not there
_Key = tuple[str, tuple[Hashable, ...]]

_kept: dict[_Key, tuple[tuple[Stamp, ...], object]] = {}
_warming = threading.local()  # ``on`` while ``warm`` runs in this thread


def read_ahead(files: Callable[P, Sequence[Path]]) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Make a read that ``warm`` can do ahead: ``files(*args)`` are the files it reads (all it depends on).

    The read's arguments must be hashable: they and its name are what its result is kept under.
    """

    def wrap(read: Callable[P, T]) -> Callable[P, T]:
        name = f"{read.__module__}.{read.__qualname__}"

        @functools.wraps(read)
        def reading(*args: P.args, **kwargs: P.kwargs) -> T:
            warming = getattr(_warming, "on", False)
            if not warming and not _kept:  # a build outside the preview: the plain read, no file looked at
                return read(*args, **kwargs)
            key: _Key = (name, (*args, *sorted(kwargs.items())))
            paths = files(*args, **kwargs)
            if warming:
                before = _stamps(paths)
                value = read(*args, **kwargs)
                if _stamps(paths) == before:  # not written meanwhile
                    _kept[key] = (before, value)
                return value
            found = _kept.pop(key, None)
            if found is not None and found[0] == _stamps(paths):
                return cast(T, found[1])
            return read(*args, **kwargs)

        return reading

    return wrap


def warm(reads: Callable[[], object]) -> None:
    """Call ``reads`` (the next build's first reads), keeping what each ``read_ahead`` read decodes for it.

    What was kept before and not asked for is let go first.
    """
    forget()
    _warming.on = True
    try:
        reads()
    finally:
        _warming.on = False


def forget() -> None:
    """Let go of everything kept (the preview ends, or warms again)."""
    _kept.clear()


def _stamps(paths: Sequence[Path]) -> tuple[Stamp, ...]:
    return tuple(map(_stamp, paths))


def _stamp(path: Path) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
