"""The old output's folders kept, emptied, in the build cache: the next staging folder (``atomic._spare``).

A first output has no old output to leave them: its own folders are made spare (``spare_ahead``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reportgen.publish.atomic import StagingWriter, spare_ahead, staging_folder, swap_in
from reportgen.publish.ownership import MARKER
from tests.publish.test_build import make_office, retitled, run


def _built(out: Path, files: dict[str, bytes]) -> Path:
    """A staging folder with ``files`` written into it, swapped in as ``out``; the staging folder it was."""
    staging = staging_folder(out)
    writer = StagingWriter(staging)
    for rel, content in files.items():
        writer.write(rel, content)
    swap_in(staging, out)
    return staging


def _tree(folder: Path) -> tuple[list[str], list[str]]:
    """The folders and the files below ``folder`` (relative paths, sorted)."""
    entries = sorted(folder.rglob("*"))
    return (
        [p.relative_to(folder).as_posix() for p in entries if p.is_dir()],
        [p.relative_to(folder).as_posix() for p in entries if not p.is_dir()],
    )


def test_the_old_output_s_folders_make_the_next_staging_folder_and_those_left_empty_go(tmp_path: Path) -> None:
    out, spare = tmp_path / "output", tmp_path / ".output.cache" / "folders"
    _built(out, {"a/b/x.html": b"1", "c/y.html": b"2"})
    first = {rel: os.stat(out / rel).st_ino for rel in ("", "a", "a/b", "c")}
    assert not spare.exists()  # nothing was swapped out, and ``spare_ahead`` was not asked
    _built(out, {"a/b/x.html": b"1", "d/z.html": b"3"})
    assert _tree(spare) == (["a", "a/b", "c"], [])  # the first output, its files removed
    assert os.stat(spare / "a/b").st_ino == first["a/b"]
    (spare / "c" / "stray.html").write_bytes(b"not written by the build")
    staging = staging_folder(out)
    assert not spare.exists() and os.stat(staging).st_ino == first[""]
    assert _tree(staging) == (["a", "a/b", "c"], [MARKER])  # the stray file is gone
    writer = StagingWriter(staging)
    writer.write("a/b/x.html", b"4")
    writer.write("e/f/w.html", b"5")
    swap_in(staging, out)
    assert _tree(out) == (["a", "a/b", "e", "e/f"], [MARKER, "a/b/x.html", "e/f/w.html"])  # c, left empty, is gone
    assert (os.stat(out / "a/b").st_ino, (out / "a/b/x.html").read_bytes()) == (first["a/b"], b"4")
    assert _tree(spare) == (["a", "a/b", "d"], [])  # the second output's folders
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.cache", "output"]


def test_a_link_where_the_spare_folders_belong_is_not_followed(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    (elsewhere / "keep").mkdir(parents=True)
    (elsewhere / "keep" / "file.txt").write_bytes(b"kept")
    (tmp_path / ".output.cache").mkdir()
    (tmp_path / ".output.cache" / "folders").symlink_to(elsewhere, target_is_directory=True)
    staging = staging_folder(out)
    assert _tree(staging) == ([], [MARKER])
    assert (elsewhere / "keep" / "file.txt").read_bytes() == b"kept"


def test_a_second_old_output_is_removed_when_spare_folders_wait_already(tmp_path: Path) -> None:
    out, spare = tmp_path / "output", tmp_path / ".output.cache" / "folders"
    _built(out, {"a/x.html": b"1"})
    _built(out, {"b/y.html": b"2"})
    (spare / "kept").mkdir()  # the spare folders of the second build are not taken by the third
    staging = staging_folder(out)
    assert _tree(staging) == (["a", "kept"], [MARKER])
    spare.mkdir()  # another spare came meanwhile: the output swapped out is removed whole
    (spare / "other").mkdir()
    writer = StagingWriter(staging)
    writer.write("c/z.html", b"3")
    swap_in(staging, out)
    assert _tree(out) == (["c"], [MARKER, "c/z.html"])
    assert _tree(spare) == (["other"], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.cache", "output"]


def test_a_first_output_s_folders_are_made_spare_for_the_next_staging_folder(tmp_path: Path) -> None:
    out, spare = tmp_path / "output", tmp_path / ".output.cache" / "folders"
    staging = staging_folder(out)
    writer = StagingWriter(staging)
    for rel in ("a/b/x.html", "a/y.html", "c/z.html"):
        writer.write(rel, b"1")
    spare_ahead(staging, out)()
    swap_in(staging, out)
    assert _tree(spare) == (["a", "a/b", "c"], [])  # empty, and the output as it was written
    assert _tree(out) == (["a", "a/b", "c"], [MARKER, "a/b/x.html", "a/y.html", "c/z.html"])
    again = staging_folder(out)
    assert not spare.exists() and _tree(again) == (["a", "a/b", "c"], [MARKER])


def test_no_spare_is_made_beside_an_output_or_a_spare(tmp_path: Path) -> None:
    out, spare = tmp_path / "output", tmp_path / ".output.cache" / "folders"
    _built(out, {"a/x.html": b"1"})
    staging = staging_folder(out)
    StagingWriter(staging).write("b/y.html", b"2")
    spare_ahead(staging, out)()  # the swap leaves the old output's folders
    assert not spare.exists()
    swap_in(staging, out)
    assert _tree(spare) == (["a"], [])
    other = tmp_path / ".new.cache" / "folders" / "kept"
    other.mkdir(parents=True)
    spare_ahead(out, tmp_path / "new")()  # a first output whose spare is there already
    assert _tree(other.parent) == (["kept"], [])


def test_the_build_after_a_first_build_makes_none_of_its_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    assert run(records, out).ok
    folders = _tree(out)[0]
    assert len(folders) > 10 and _tree(tmp_path / ".output.cache" / "folders") == (folders, [])
    made: list[str] = []
    real = os.mkdir

    def counted(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        real(path, *args, **kwargs)
        made.append(os.path.relpath(path, tmp_path))  # made, not found there

    monkeypatch.setattr(os, "mkdir", counted)
    retitled(records)
    assert run(records, out).ok
    assert [path for path in made if path.startswith(".output.staging-")] == []  # every one was spare
    assert _tree(out)[0] == folders
