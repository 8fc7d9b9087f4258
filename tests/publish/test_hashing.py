"""The SHA-256 of many input files: forked or not, the same digests in the same order."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import NoReturn

import pytest

from reportgen.publish import hashing
from tests.publish.forks import counted_forks


def _files(folder: Path, count: int) -> list[str]:
    """``count`` files of different bytes, and a path of no file (the 4th)."""
    paths = []
    for i in range(count):
        path = folder / f"{i}.yaml"
        if i != 3:
            path.write_bytes(f"id: Q{i:04d}\n".encode() * (i + 1))
        paths.append(str(path))
    return paths


def _expected(paths: list[str]) -> list[str]:
    return [hashlib.sha256(Path(p).read_bytes()).hexdigest() if os.path.exists(p) else "" for p in paths]


def test_few_files_are_hashed_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked = counted_forks(monkeypatch, hashing)
    paths = _files(tmp_path, 5)
    assert hashing.digests(paths) == _expected(paths)
    assert hashing.digests(paths)[3] == ""
    assert hashing.digests([]) == []
    assert forked == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
@pytest.mark.parametrize("count", [7, 8])
def test_a_forked_child_hashes_every_other_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(hashing, "FORK_FROM", 2)
    monkeypatch.setattr(hashing, "_two_cores", lambda: True)
    forked = counted_forks(monkeypatch, hashing)
    paths = _files(tmp_path, count)
    assert hashing.digests(paths) == _expected(paths)
    assert len(forked) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_failed_child_s_files_are_hashed_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(paths: list[str], write: int) -> NoReturn:
        os._exit(3)

    monkeypatch.setattr(hashing, "FORK_FROM", 2)
    monkeypatch.setattr(hashing, "_two_cores", lambda: True)
    monkeypatch.setattr(hashing, "_child", fails)
    paths = _files(tmp_path, 6)
    assert hashing.digests(paths) == _expected(paths)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_no_fork_beside_another_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hashing, "FORK_FROM", 2)
    forked = counted_forks(monkeypatch, hashing)
    paths = _files(tmp_path, 6)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert hashing.digests(paths) == _expected(paths)
    finally:
        release.set()
        other.join()
    assert forked == []
