"""Counting the forks a build makes (the tests of its forked children)."""

from __future__ import annotations

import os
from types import ModuleType

import pytest


def counted_forks(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> list[int]:
    """The pids of the children ``module`` forks from now on."""
    forked: list[int] = []
    real = os.fork

    def counted() -> int:
        pid = real()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(module.os, "fork", counted)
    return forked
