"""Characters no record may carry: invisible, yet they make ids, names and file names differ.

One table for every text value, key, bulletin body and file name, each kind with the
name a clerk would use.  Tab and newline are the only controls allowed, and only in free
text; line and paragraph separators are left to YAML (E101) and to the Markdown body.
"""

from __future__ import annotations

import re

_KINDS = (
    ("\x00-\x08\x0b-\x1f\x7f-\x9f", "控制字符"),
    ("\u00ad", "软连字符"),
    ("\u200b-\u200d\u2060\ufeff\u180e", "零宽字符"),
    ("\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069", "方向控制字符"),
    ("\u2061-\u2064\u206a-\u206f\ufff9-\ufffb", "格式控制字符"),
)
INVISIBLE = re.compile("[" + "".join(chars for chars, _ in _KINDS) + "]")
INVISIBLE_OR_TAB = re.compile("[\t" + "".join(chars for chars, _ in _KINDS) + "]")
IN_FILE_NAMES = re.compile("[\t\n" + "".join(chars for chars, _ in _KINDS) + "]")  # a newline would forge report lines


def invisible_name(char: str) -> str:
    """How a message names a refused character: its kind in Chinese and its code point."""
    if char == "\t":
        return "Tab（制表符，这里只能写一行文字）"
    if char == "\n":
        return "换行符（U+000A）"
    label = next(zh for chars, zh in _KINDS if re.match(f"[{chars}]", char))
    return f"{label}（U+{ord(char):04X}）"


def visible(text: str) -> str:
    """``text`` with every refused character written as ⟨U+XXXX⟩, so a message cannot hide or forge anything."""
    if not INVISIBLE_OR_TAB.search(text):
        return text
    return INVISIBLE_OR_TAB.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
