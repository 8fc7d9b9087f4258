"""Fixtures of the render tests: the office's records, rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.model import Records
from tests.render.fixture import load


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """The render fixture office (scenario + bulletin texts)."""
    return load(tmp_path_factory.mktemp("office") / "records")


@pytest.fixture
def fresh_root(tmp_path: Path) -> Path:
    """A folder for an office a test changes."""
    return tmp_path / "records"
