"""Freed memory given back to the system, where the C library can (glibc's ``malloc_trim``).

Python's objects larger than 512 bytes (long texts, big lists and dicts' tables) come from
the C library's heap, which keeps what is freed for later use, scattered among what is still
held.  After the check of a 100,000-issue office about 60 MB are free there that the rest of
the build would not use; ``malloc_trim`` hands such free pages back.  Elsewhere (another C
library, another system) ``give_back`` does nothing: only the memory held differs, never a result.
``uncollected`` and ``paused_gc`` pause the cyclic garbage collector while many objects that stay are made;
``frozen`` keeps it away from every object made before, and collects the young ones less often.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable, Iterator

# How many ``frozen`` blocks are open: ``gc.get_freeze_count`` would tell too, but it counts the
# frozen objects one by one (~65 ms inside the site's frozen heap at 100,000 issues, per call).
_frozen_depth = 0
# Inside a frozen heap a young collection comes after this many new objects, not Python's 700.  The site makes
# millions, nearly all freed as soon as made; what outlives a page (the rows and keys kept for the next build) was
# walked again by each of ~2,500 young and ~240 older collections: at 100,000 issues 1.65 of the site's 19 s,
# 0.21 s with this (the peak memory the same).
FROZEN_YOUNG = 100_000


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` in this process, or None where there is none."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


# glibc's ``mallopt`` parameters (malloc.h) and the values ``keep_freed`` sets
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
TRIM_THRESHOLD = 256 * 1024 * 1024  # free memory at the heap's top kept up to this (glibc: 128 KiB, or adapted)
MMAP_THRESHOLD = 32 * 1024 * 1024  # blocks this large or more mapped apart (glibc's adaptive ceiling on 64 bits)


@functools.cache
def _mallopt() -> Callable[[int, int], int] | None:
    """glibc's ``mallopt`` in this process, or None where there is none."""
    try:
        setting: Callable[[int, int], int] = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return None
    return setting


def keep_freed() -> None:
    """Let the C library keep the memory freed in this process for its next allocations, from now on (nothing
    where there is no glibc).

    By default glibc maps large blocks apart (each freed block unmapped) and hands back the
    heap's free top at once: the next pages the process needs are then faulted in and zeroed
    again.  A build at 100,000 issues after one edit faulted ~130,000 pages (~0.04 s more than
    with these settings, asked before its check: ~121,000).  Asked by builds that change few files only: a cold build
    keeps glibc's ways, its peak is the one the targets count.  ``give_back`` still hands the
    free pages back (the preview does after each build).
    """
    setting = _mallopt()
    if setting is not None:
        setting(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        setting(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def give_back() -> None:
    """Return the free pages of the C library's heap to the system (nothing where that cannot be done)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def uncollected() -> Iterator[bool]:
    """No garbage collection meanwhile; yields whether it was on before (and is turned on again after).

    For loads that make hundreds of thousands of objects, none garbage: a collection every
    few hundred of them would walk them all again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield enabled
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (FINDINGS: 1.4–4× faster bulk parsing).

    The objects made meanwhile (millions at 100,000 issues, nearly all kept) then join the
    oldest generation at once: else the first collections after the pause would walk them
    all twice, young and middle-aged, to find next to nothing (~0.6 s at 100,000 issues).
    Cycles among them are still found by the next full collection.  Inside a frozen heap
    (the site's, ``gc.freeze``) they are frozen with it: thawing would put the whole heap
    back in the oldest generation, for every later full collection to walk again.
    """
    with uncollected() as enabled:
        yield
        if enabled:
            gc.freeze()  # every tracked object to the permanent generation …
            if not _frozen_depth:
                gc.unfreeze()  # … and back into the oldest one: no walk


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """The garbage collector leaves alone every object made before (``gc.freeze``), until the block ends.

    For work that makes millions of short-lived objects beside a large heap that stays (the
    site beside the records and the statistics): each full collection would walk that heap.
    Meanwhile the young objects are collected every ``FROZEN_YOUNG`` of them.
    """
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    thresholds = gc.get_threshold()
    gc.set_threshold(max(FROZEN_YOUNG, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        _frozen_depth -= 1
        if not _frozen_depth:
            gc.unfreeze()
