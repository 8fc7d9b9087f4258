"""Text a user typed, echoed back in a message: visible, on one line, and short.

A value from the command line may hold escape sequences that would repaint the terminal,
line breaks that would forge a second message, or 100,000 characters. Messages quote it
through ``shown``: control and invisible characters are written as ``\\x1b``-style escapes
and a long value is cut, with its length said.
"""

from __future__ import annotations

import unicodedata

LIMIT = 40  # characters of a value shown before it is cut


def shown(text: str, limit: int = LIMIT) -> str:
    """``text`` with control and invisible characters escaped, cut after ``limit`` characters."""
    visible = "".join(_visible(ch) for ch in text[:limit])
    if len(text) > limit:
        return f"{visible}…（共 {len(text)} 个字符）"
    return visible


def _visible(ch: str) -> str:
    """One character as it can be printed: itself, or an escape for controls and format characters."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return ch
