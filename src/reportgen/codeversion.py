"""A fingerprint of the installed reportgen itself: new code invalidates every cache."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import reportgen


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's own files (code, templates, assets): name, size and mtime of each."""
    root = Path(reportgen.__file__).parent
    digest = hashlib.sha256(reportgen.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()
