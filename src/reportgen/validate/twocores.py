"""Two parts of a large check's work at once: a forked child does one while the check does the other.

An auditor can skip this module: what is found is what the two parts find when run one
after the other (``both`` runs them so on a small office or one core).  A cold check of
100,000 issues runs its rules across records for ~14 s on one core while the other idles
(``incremental.check_all``): the per-record rules and the privacy search of every text
are independent, so the child runs the first and hands back its findings, pickled through
a pipe, while the check runs the second.

A child that fails, or ends without handing back (killed by the system), hands back
nothing: its part then runs here, after the check's own, and meets what a serial check meets.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

from reportgen import heap
from reportgen.forked import alone, cores, reap

# below this many files one process does both parts (together ~0.5 CPU s at 10,000 files, ~9 s at 187,000)
FORK_FROM = 10_000

A = TypeVar("A")
B = TypeVar("B")


def forks(files: int) -> bool:
    """Whether a check of ``files`` files does its two parts at once: it may run on two cores or more, and it
    is this process's only thread (a lock another thread holds, as ``serve``'s web server may, would stay
    held in the child for good).
    """
    return alone() and cores() >= 2 and files >= FORK_FROM


def both(aside: Callable[[], A], here: Callable[[], B], files: int) -> tuple[A, B]:
    """``aside()`` and ``here()``: at once when ``forks(files)`` (``aside`` in a forked child), else in that order."""
    if not forks(files):
        return aside(), here()
    heap.give_back()  # a forked child's size starts at its parent's
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare: one after the other
        os.close(read)
        os.close(write)
        return aside(), here()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read)
        _child(aside, os.fdopen(write, "wb"))
    os.close(write)
    with os.fdopen(read, "rb") as source:
        try:
            mine = here()
            handed = _received(source)
        finally:
            reap(pid, wait=False)
    return (handed[0] if handed is not None else aside()), mine


def _received(source: BinaryIO) -> tuple[Any] | None:
    """What the child handed back, as a one-item tuple (None: it failed, or ended without a word)."""
    try:
        handed = pickle.load(source)
    except (EOFError, pickle.UnpicklingError, OSError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return handed if isinstance(handed, tuple) and len(handed) == 1 else None


def _child(aside: Callable[[], A], sink: BinaryIO) -> None:  # pragma: no cover - runs in the forked child
    """Run ``aside`` and hand back its result as a one-item tuple, or None after a failure; then end."""
    code = 1
    gc.disable()  # the check's objects stay shared: a collection would write to every page of them
    try:
        try:
            handed: tuple[A] | None = (aside(),)
        except Exception:  # the check runs it again and meets it there
            handed = None
        pickle.dump(handed, sink, pickle.HIGHEST_PROTOCOL)
        sink.flush()
        code = 0
    finally:
        os._exit(code)  # not the check's exit handlers, nor its buffered output
