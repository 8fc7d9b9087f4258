"""The clerks' web forms: Decap CMS configured from the one schema (``schema/kinds.py``)."""

from __future__ import annotations

from pathlib import Path

ADMIN = "admin"  # the editor's folder: in the repository beside the records folder, and on the site


def editor_folder(records_dir: Path) -> Path:
    """The repository's ``admin/`` folder, beside the records folder (an input of the build, kept light to import)."""
    return records_dir.resolve().parent / ADMIN
