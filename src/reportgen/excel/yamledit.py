"""Changing one top-level field of a record file in place, keeping every comment and other line.

A field's block is its ``key:`` line and the indented (or ``- ``) lines under it; the
comment lines above a field belong to it and stay.  A new field goes at the end.
"""

from __future__ import annotations

import re
from typing import Any

from reportgen.workflow import yamlwrite

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _block(lines: list[str], name: str) -> tuple[int, int] | None:
    """The first and past-the-last line of ``name``'s block, or None when the file lacks it."""
    for start, line in enumerate(lines):
        found = _KEY.match(line)
        if found and found.group(1) == name:
            end = start + 1
            while end < len(lines) and (lines[end][:1] in (" ", "\t", "-") or not lines[end].strip()):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            return start, end
    return None


def set_field(text: str, name: str, value: Any) -> str:
    """``text`` with the field ``name`` written as ``value`` (None: the field removed)."""
    lines = text.splitlines()
    block = _block(lines, name)
    new = [] if value is None else yamlwrite.entry(name, value)
    if block is None:
        lines += new
    else:
        lines[block[0] : block[1]] = new
    return "\n".join(lines) + "\n"
