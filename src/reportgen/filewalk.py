"""Walking a folder fast: every file with its relative path, for stat-based change detection.

``os.scandir`` and plain strings rather than ``pathlib``: at 200,000 files this walk is all a
no-op build or a warm check does, and pathlib's objects were most of its cost.
"""

from __future__ import annotations

import os
from collections.abc import Iterator


def walk_files(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of every file below ``folder``, in no particular order.

    Hidden folders are skipped and links to folders are not followed (as ``os.walk`` does
    not); a folder that cannot be read is skipped.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                yield from walk_files(entry.path, f"{prefix}{entry.name}/")
        elif not entry.is_dir():
            yield prefix + entry.name, entry
