"""Freed memory given back to the system after the check (``heap.give_back``)."""

from __future__ import annotations

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
