"""The typing slips a clerk makes in a record file, found where a YAML syntax error points.

A Chinese input method types the full-width colon "：" and the full-width space "　"; an
editor's Tab key types a tab.  YAML refuses all three, and its scanner only notices at the
next token, usually the line below.  Given the error's line, this looks at that line and
the line of content before it, names the character, and writes the corrected line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.problems import Words

FULL_WIDTH_SPACE = "\u3000"
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_LEAD = r"^(?P<indent>[ \t\u3000]*)(?P<dash>(?:-[ \t\u3000]+)*)"
_FULL_WIDTH_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY})[ \u3000]*(?P<slip>：)[ \t\u3000]*(?P<rest>.*)$")
_SPACE_AFTER_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY}):[ \t]*(?P<slip>\u3000)[ \t\u3000]*(?P<rest>.*)$")
_NO_SPACE_AFTER_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY})(?P<slip>:)(?P<rest>[^\s:/].*)$")
_INDENT = re.compile(r"^[ \t\u3000]*")
_BAD_INDENT = re.compile("[\t\u3000]")
_CHARACTER = {"\t": "制表符（Tab）", FULL_WIDTH_SPACE: "全角空格"}
_CHARACTER_EN = {"\t": "tab", FULL_WIDTH_SPACE: "full-width space (U+3000)"}


@dataclass(frozen=True)
class Slip:
    """One slip: its problem code, 1-based line and column, and the parameters of its message."""

    code: str  # E112 full-width colon, E113 full-width space after a colon, E114 indentation, E115 no space
    line: int
    column: int
    fixed: str  # the whole line as it should be written
    char: str = ""  # the indentation's character, named (E114)
    char_en: str = ""
    spaces: int = 0  # how many spaces the corrected indentation has (E114)

    @property
    def params(self) -> dict[str, object]:
        """The message parameters: the corrected line, quoted, and what the indentation held."""
        return {
            "fixed": Words(f"“{self.fixed}”", f"'{self.fixed}'"),
            "char": Words(self.char, self.char_en),
            "char_en": self.char_en,
            "indent": indentation_words(self.spaces),
        }


def indentation_words(spaces: int) -> Words:
    """How a line should be indented instead: "改用 4 个半角空格缩进", or not at all."""
    if spaces == 0:
        return Words("这一行不缩进", "the line is not indented")
    return Words(f"改用 {spaces} 个半角空格缩进", f"indent it with {spaces} spaces")


def find_slip(lines: list[str], error_line: int) -> Slip | None:
    """The slip behind a syntax error at 0-based ``error_line``: on the line of content before it, or on it."""
    before = _previous_content(lines, min(error_line, len(lines)))
    for index in (before, error_line):
        if index is not None and 0 <= index < len(lines):
            slip = _slip_on(lines, index)
            if slip is not None:
                return slip
    return None


def _slip_on(lines: list[str], index: int) -> Slip | None:
    """The slip on line ``index``: a wrong indentation first, then the colon and what follows it."""
    line = lines[index]
    indent = _INDENT.match(line)
    assert indent is not None
    wrong = _BAD_INDENT.search(indent.group())
    if wrong is not None:
        width = _indentation_for(lines, index)
        char = wrong.group()
        fixed = " " * width + line[indent.end() :]
        return Slip("E114", index + 1, wrong.start() + 1, fixed, _CHARACTER[char], _CHARACTER_EN[char], width)
    for code, pattern in (("E112", _FULL_WIDTH_COLON), ("E113", _SPACE_AFTER_COLON), ("E115", _NO_SPACE_AFTER_COLON)):
        found = pattern.match(line)
        if found is not None:
            rest = found.group("rest").rstrip()
            fixed = f"{found.group('indent')}{found.group('dash')}{found.group('key')}:" + (f" {rest}" if rest else "")
            return Slip(code, index + 1, found.start("slip") + 1, fixed)
    return None


def _previous_content(lines: list[str], index: int) -> int | None:
    """The nearest line before ``index`` that is neither blank nor a comment."""
    for earlier in range(index - 1, -1, -1):
        text = lines[earlier].strip(" \t\u3000")
        if text and not text.startswith("#"):
            return earlier
    return None


def _indentation_for(lines: list[str], index: int) -> int:
    """How many spaces line ``index`` should be indented, judged from the line of content above it.

    Below ``key:`` it is that key's child; below ``- key: value`` it is a sibling of that
    key; a list item lines up with the list item above it; else it is the sibling of the line above.
    """
    line = lines[index].lstrip(" \t\u3000")
    above = _previous_content(lines, index)
    if above is None:
        return 0
    text = lines[above]
    indent = _width(_INDENT.match(text).group())  # type: ignore[union-attr]
    body = text.lstrip(" \t\u3000")
    key_column = indent
    while body.startswith("- "):
        key_column += 2
        body = body[2:].lstrip(" ")
    item = _list_item_indent(lines, index) if line.startswith("- ") else None
    if item is not None:
        return item
    if body.split(" #", 1)[0].rstrip().endswith(":"):
        return key_column + 2
    return key_column


def _list_item_indent(lines: list[str], index: int) -> int | None:
    """A ``- `` line lines up with the nearest list item above it."""
    for earlier in range(index - 1, -1, -1):
        text = lines[earlier]
        body = text.lstrip(" \t\u3000")
        if body.startswith("- "):
            return _width(text[: len(text) - len(body)])
        if body and not body.startswith("#") and len(text) == len(body):
            break  # a top-level key: the list, if any, starts below it
    return None


def _width(indent: str) -> int:
    """Columns of an indentation, a tab or a full-width space counted as two."""
    return sum(1 if char == " " else 2 for char in indent)
