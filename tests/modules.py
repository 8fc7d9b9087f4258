"""Test-support modules loaded by their path: the bench's generator, and corpora kept beside other tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_module(name: str, path: Path) -> ModuleType:
    """The module in ``path``, loaded once under ``name``."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def bench_synth() -> ModuleType:
    """``bench/synth.py``: the generator of synthetic offices at any scale."""
    return load_module("bench_synth", BENCH / "synth.py")
