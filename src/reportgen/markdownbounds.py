"""How much Markdown can be rendered in linear time: nesting and markup beyond every real bulletin.

Python-Markdown takes quadratic time (or overflows the stack) on texts no office writes:
thousands of nested ``>`` or list levels, runs of unclosed ``[``, ``*_*_…``, ``<div>``
after ``<div>``.  ``excess`` finds such a text in one linear pass.  The renderer then shows
it as plain paragraphs (``render.markup``) and ``check`` says where (W640).  No import
beyond the standard library: the validator uses it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NESTING = 8  # quote, list and indentation levels on one line
MAX_LENGTH = 100_000  # characters of one Markdown text (about fifty printed pages)
MAX_BLOCKS = 5_000  # paragraphs (runs of lines between blank lines)
# markup characters × length of a paragraph: what the inline patterns' scans cost at worst
MAX_BLOCK_COST = 1_000_000  # in one paragraph (a real one of 3,000 characters has 300 to spare)
MAX_COST = 10_000_000  # in the whole text
_MARKUP_CHARACTERS = "[]()<>*_`!\\&"
# the containers a line opens: > quotes, list markers, and the blanks around them
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_MARKERS = re.compile(r">|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)")


@dataclass(frozen=True)
class Excess:
    """Where a Markdown text goes past what can be rendered in linear time, and what it is."""

    line: int  # 1-based, within the text
    column: int
    what: str  # Chinese: 引用或列表嵌套了 5000 层


def excess(text: str) -> Excess | None:
    """The first place ``text`` is nested or marked up beyond every real bulletin; None when it is not."""
    if len(text) > MAX_LENGTH:
        return Excess(1, 1, f"一段文字有 {len(text)} 个字符，超过 {MAX_LENGTH} 个")
    cost, blocks, start = 0, 0, 1
    block: list[str] = []
    for number, line in enumerate([*text.split("\n"), ""], 1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
            depth = _depth(line)
            if depth > MAX_NESTING:
                return Excess(number, 1, f"引用或列表嵌套了 {depth} 层，超过 {MAX_NESTING} 层")
            continue
        if block:
            blocks += 1
            block_cost = _cost("\n".join(block))
            cost += block_cost
            block = []
            if block_cost > MAX_BLOCK_COST or cost > MAX_COST:
                return Excess(start, 1, "这一段的格式符号（如 [ ] * _ < > `）过多或层层嵌套")
            if blocks > MAX_BLOCKS:
                return Excess(start, 1, f"段落超过 {MAX_BLOCKS} 个")
    return None


def _cost(block: str) -> int:
    """What the inline patterns may spend on a paragraph: its markup characters × its length."""
    return sum(block.count(ch) for ch in _MARKUP_CHARACTERS) * len(block)


def _depth(line: str) -> int:
    """Quote and list levels a line opens: its markers, plus its indentation in steps of four."""
    prefix = _PREFIX.match(line)
    opened = prefix.group() if prefix else ""
    markers = len(_MARKERS.findall(opened))
    blanks = opened.count(" ") + 4 * opened.count("\t")
    return markers + blanks // 4
