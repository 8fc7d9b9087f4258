"""Characters no record may carry: invisible, yet they make ids, names and file names differ.

One table for every text value, key, bulletin body and file name, each kind with the
name a clerk would use.  Tab and newline are the only controls allowed, and only in free
text; line and paragraph separators are left to YAML (E101) and to the Markdown body.
"""

from __future__ import annotations

import re

from reportgen.problems import Words

_KINDS = (
    ("\x00-\x08\x0b-\x1f\x7f-\x9f", "控制字符", "control character"),
    ("\u00ad", "软连字符", "soft hyphen"),
    ("\u200b-\u200d\u2060\ufeff\u180e", "零宽字符", "zero-width character"),
    ("\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069", "方向控制字符", "direction control character"),
    ("\u2061-\u2064\u206a-\u206f\ufff9-\ufffb", "格式控制字符", "format control character"),
)
INVISIBLE = re.compile("[" + "".join(chars for chars, _, _ in _KINDS) + "]")
INVISIBLE_OR_TAB = re.compile("[\t" + "".join(chars for chars, _, _ in _KINDS) + "]")
IN_FILE_NAMES = re.compile(
    "[\t\n" + "".join(chars for chars, _, _ in _KINDS) + "]"
)  # a newline would forge report lines


def invisible_name(char: str) -> Words:
    """How a message names a refused character: its kind and its code point."""
    if char == "\t":
        return Words("Tab（制表符，这里只能写一行文字）", "tab (only one line of text belongs here)")
    if char == "\n":
        return Words("换行符（U+000A）", "line break (U+000A)")
    zh, en = next((zh, en) for chars, zh, en in _KINDS if re.match(f"[{chars}]", char))
    return Words(f"{zh}（U+{ord(char):04X}）", f"{en} (U+{ord(char):04X})")


def visible(text: str) -> str:
    """``text`` with every refused character written as ⟨U+XXXX⟩, so a message cannot hide or forge anything."""
    if not INVISIBLE_OR_TAB.search(text):
        return text
    return INVISIBLE_OR_TAB.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
