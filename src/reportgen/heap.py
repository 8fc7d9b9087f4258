"""Freed memory given back to the system, where the C library can (glibc's ``malloc_trim``).

Python's objects larger than 512 bytes (long texts, big lists and dicts' tables) come from
the C library's heap, which keeps what is freed for later use, scattered among what is still
held.  After the check of a 100,000-issue office about 60 MB are free there that the rest of
the build would not use; ``malloc_trim`` hands such free pages back.  Elsewhere (another C
library, another system) ``give_back`` does nothing: only the memory held differs, never a result.
``uncollected`` pauses the cyclic garbage collector while many objects that stay are made.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable, Iterator


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` in this process, or None where there is none."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


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
