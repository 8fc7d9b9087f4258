"""Freed memory given back to the system after the check (``heap.give_back``)."""

from __future__ import annotations

import gc
import platform

import pytest

from reportgen import heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_s_malloc_trim_is_found() -> None:
    assert heap._malloc_trim() is not None


def test_every_free_page_is_asked_back_none_kept_as_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(heap, "_malloc_trim", lambda: lambda pad: asked.append(pad) or 1)
    heap.give_back()
    assert asked == [0]


def test_without_malloc_trim_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_malloc_trim", lambda: None)
    assert heap.give_back() is None


def test_a_pause_leaves_what_it_made_in_the_oldest_generation_and_nothing_frozen() -> None:
    assert gc.get_freeze_count() == 0
    with heap.paused_gc():
        assert not gc.isenabled()
        made = [[index] for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < len(made)  # not left young, for the next collections to walk


def test_a_pause_inside_a_frozen_heap_keeps_the_heap_frozen() -> None:
    with heap.frozen():
        frozen = gc.get_freeze_count()
        with heap.paused_gc():
            made = [[index] for index in range(1000)]
        assert gc.get_freeze_count() >= frozen + len(made)  # the heap not thawed, what was made frozen with it
    assert gc.get_freeze_count() == 0


def test_a_frozen_heap_collects_its_young_objects_less_often_and_then_as_before() -> None:
    before = gc.get_threshold()
    with heap.frozen():
        assert gc.get_threshold() == (heap.FROZEN_YOUNG, *before[1:])
        with heap.frozen():
            assert gc.get_threshold()[0] == heap.FROZEN_YOUNG
        assert gc.get_threshold()[0] == heap.FROZEN_YOUNG
    assert gc.get_threshold() == before


def test_frozen_blocks_nest_and_the_outermost_thaws() -> None:
    with heap.frozen():
        with heap.frozen():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_pause_inside_a_pause_turns_nothing_back_on() -> None:
    with heap.uncollected() as outer:
        with heap.paused_gc():
            pass
        assert not gc.isenabled()
    assert outer and gc.isenabled()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_s_mallopt_is_found() -> None:
    assert heap._mallopt() is not None


def test_freed_memory_is_kept_for_the_next_allocations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large blocks from the heap (not mapped apart and unmapped when freed), its free top kept."""
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(heap, "_mallopt", lambda: lambda param, value: asked.append((param, value)) or 1)
    heap.keep_freed()
    assert asked == [(-3, 32 * 1024 * 1024), (-1, 256 * 1024 * 1024)]


def test_without_mallopt_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_mallopt", lambda: None)
    assert heap.keep_freed() is None
