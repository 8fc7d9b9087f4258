"""The code's fingerprint: every cache is keyed by it, so each change of a file must change it, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.codeversion import tree_version


def _package(root: Path) -> Path:
    (root / "render" / "__pycache__").mkdir(parents=True)
    (root / "__init__.py").write_text("x = 1\n")
    (root / "render" / "page.html").write_text("<p>\n")
    (root / "render" / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"\0")
    return root


def test_each_file_s_name_size_and_time_count_and_compiled_files_do_not(tmp_path: Path) -> None:
    root = _package(tmp_path / "reportgen")
    first = tree_version(root)
    assert tree_version(root) == first
    (root / "render" / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"\0\0")  # compiling changes nothing
    (root / "render" / "__pycache__" / "new.cpython-311.pyc").write_bytes(b"\0")
    assert tree_version(root) == first
    (root / "render" / "dangling.css").symlink_to(root / "gone.css")  # a link to nothing is no file
    assert tree_version(root) == first
    page = root / "render" / "page.html"
    seen = {first}
    for change in (
        lambda: page.write_text("<p>…</p>\n"),  # its size
        lambda: os.utime(page, ns=(1, 1)),  # its time
        lambda: page.rename(root / "render" / "page2.html"),  # its name
        lambda: (root / "static.css").write_text(""),  # one more file
    ):
        change()
        seen.add(tree_version(root))
    assert len(seen) == 5


def test_the_same_files_give_the_same_version_wherever_the_package_is(tmp_path: Path) -> None:
    one, two = _package(tmp_path / "a" / "reportgen"), _package(tmp_path / "b" / "reportgen")
    for root in (one, two):
        for path in root.rglob("*"):
            os.utime(path, ns=(7, 7), follow_symlinks=False)
    assert tree_version(one) == tree_version(two)
