"""Reads decoded ahead (``readahead``): kept only under ``warm``, handed out once, while the file is as read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen import readahead


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    readahead.forget()
    yield
    readahead.forget()


class Reader:
    """A read of one file's text, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

        @readahead.read_ahead(lambda path: [path])
        def read(path: Path) -> list[str]:
            self.calls += 1
            return [path.read_text("utf-8")]

        self.read = read


def test_a_read_outside_warm_is_the_plain_read(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("one", "utf-8")
    reader = Reader()
    assert reader.read(tmp_path / "a") == ["one"]
    assert reader.read(tmp_path / "a") == ["one"]
    assert reader.calls == 2
    assert not readahead._kept


def test_what_warm_read_is_handed_out_once(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("one", "utf-8")
    reader = Reader()
    seen: list[list[str]] = []
    readahead.warm(lambda: seen.append(reader.read(tmp_path / "a")))
    assert reader.calls == 1
    first = reader.read(tmp_path / "a")
    assert first is seen[0]  # the object decoded ahead, not read again
    assert reader.calls == 1
    again = reader.read(tmp_path / "a")  # handed out already: read anew, a list of its own
    assert again == first and again is not first
    assert reader.calls == 2


def test_a_file_changed_after_warm_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_text("one", "utf-8")
    reader = Reader()
    readahead.warm(lambda: reader.read(path))
    path.with_name("b").write_text("two", "utf-8")
    path.with_name("b").replace(path)  # as the caches are written: beside, then renamed in
    assert reader.read(path) == ["two"]
    assert reader.calls == 2
    assert not readahead._kept


def test_a_file_gone_after_warm_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_text("one", "utf-8")
    reader = Reader()
    readahead.warm(lambda: reader.read(path))
    path.unlink()
    with pytest.raises(FileNotFoundError):
        reader.read(path)


def test_a_file_written_while_it_is_read_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_text("one", "utf-8")

    @readahead.read_ahead(lambda path: [path])
    def read(path: Path) -> str:
        text = path.read_text("utf-8")
        with open(path, "a", encoding="utf-8") as handle:  # another writer, meanwhile
            handle.write(" more")
        return text

    readahead.warm(lambda: read(path))
    assert not readahead._kept


def test_reads_are_kept_by_their_arguments(tmp_path: Path) -> None:
    for name in "ab":
        (tmp_path / name).write_text(name, "utf-8")
    reader = Reader()

    def reads() -> None:
        reader.read(tmp_path / "a")
        reader.read(tmp_path / "b")

    readahead.warm(reads)
    assert reader.read(tmp_path / "b") == ["b"]
    assert reader.read(tmp_path / "a") == ["a"]
    assert reader.calls == 2


def test_warm_lets_go_of_what_was_not_asked_for(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a", "utf-8")
    (tmp_path / "b").write_text("b", "utf-8")
    reader = Reader()
    readahead.warm(lambda: reader.read(tmp_path / "a"))
    readahead.warm(lambda: reader.read(tmp_path / "b"))
    assert [key[1] for key in readahead._kept] == [(tmp_path / "b",)]


def test_a_missing_file_is_part_of_what_was_read(tmp_path: Path) -> None:
    """A read that found no file (an empty cache) is kept as that, until the file appears."""
    calls: list[int] = []

    @readahead.read_ahead(lambda path: [path])
    def read(path: Path) -> bool:
        calls.append(1)
        return os.path.exists(path)

    readahead.warm(lambda: read(tmp_path / "a"))
    (tmp_path / "a").write_text("now", "utf-8")
    assert read(tmp_path / "a") is True
    assert len(calls) == 2
