"""Room on the interpreter's frame stack for a deep computation, so that it does not map memory at every call.

CPython (3.11 on) keeps the frames of Python calls on a stack made of chunks of 16 KB.  When the
calls return below the start of the newest chunk, that chunk is unmapped at once, and the next
call that goes past the end of the one before maps a new one, whose pages the system then
faults in.  WeasyPrint lays out and draws each table cell some 60–100 calls deep, about where a
chunk ends: one render of a 10,000-issue notice mapped and unmapped 16 KB 216,000 times (strace),
1.7 s of system time in a 13 s render.  ``roomy`` makes the call from a frame that asks the
interpreter for a large value stack: its chunk is then 1 MB, of which about half is left for the
calls under it, so they stay in one chunk and none is mapped or unmapped (0.4 s of system time).
It changes no result: only where the frames are kept.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Words of value stack the calling frame asks for.  The interpreter gives a frame that needs N words
# a chunk of the first power of two times 16 KB that holds N + 1,000 words: 65,000 words (508 KB)
# → a chunk of 1 MB, ~66,000 words (~520 KB) free for the calls under it.
ROOM_WORDS = 65_000


def _call(function: Callable[[], T]) -> T:
    return function()


_roomy_call = types.FunctionType(_call.__code__.replace(co_stacksize=ROOM_WORDS), _call.__globals__, "roomy")


def roomy(function: Callable[[], T]) -> T:
    """``function()``, called with room on the frame stack for every call it makes (see the module)."""
    result: T = _roomy_call(function)
    return result
