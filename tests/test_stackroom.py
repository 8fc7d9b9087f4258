"""The frame stack's room for deep calls (``stackroom``): no memory mapped at each deep call, results unchanged."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable

import pytest

from reportgen.stackroom import roomy


def _bounce(depth: int) -> int:
    """``depth`` calls deep and back."""
    return 0 if depth == 0 else _bounce(depth - 1) + 1


def _faults(call: Callable[[], object]) -> int:
    """The page faults this process takes during ``call()``."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _bounces() -> list[int]:
    """3,000 times 300 calls deep and back: each time past the end of a 16 KB chunk of frames."""
    return [_bounce(300) for _ in range(3000)]


@pytest.mark.skipif(sys.implementation.name != "cpython" or sys.version_info < (3, 11), reason="CPython's frame chunks")
def test_deep_calls_map_no_memory_in_room() -> None:
    plain = _faults(_bounces)
    in_room = _faults(lambda: roomy(_bounces))
    # Plain, each bounce maps a new chunk and faults its first page in; in room, the one 1 MB chunk's pages once.
    assert plain >= 3000
    assert in_room < 300


def test_the_result_and_errors_are_the_call_s() -> None:
    assert roomy(lambda: _bounce(500)) == 500

    def fails() -> int:
        raise ValueError("raised inside")

    with pytest.raises(ValueError, match="raised inside"):
        roomy(fails)
