"""The old output's folders kept, emptied, in the build cache: the next staging folder (``atomic._spare``)."""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.publish.atomic import StagingWriter, staging_folder, swap_in
from reportgen.publish.ownership import MARKER


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
    assert not spare.exists()  # nothing was swapped out
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
