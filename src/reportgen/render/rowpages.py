"""Where the pages of a long ledger table will start, guessed from its rows' text without laying them out.

``pagemeet`` starts a second layout of 附件1 halfway down its ledger; the two layouts give the
same pages only from where they meet, a row that starts a page in both.  Started at a row the
first layout will really start a page at, they meet at once.  This module guesses that row: the
page's room for rows and each row's height by its number of lines are measured on a page the
first layout has made, and the lines of every later row are counted from its cells' text (a
Chinese character is one em wide and may end a line anywhere, except before a closing or after
an opening mark; other text a little over half an em, broken at spaces).  A guess is only a
starting point: a wrong one costs a later meeting or none, never a wrong page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

# Marks that may not start a line (closing) or end one (opening), as line breaking keeps them.
_CLOSING = set("）》」』】〕〉，。、：；！？”’…%")
_OPENING = set("（《「『【〔〈“‘")
# Width in em of a character that is not wide (digits and Latin letters of the CJK faces).
_NARROW = 0.55
_SPACE = 0.3


def _wide(char: str) -> bool:
    """Whether ``char`` is a wide (Chinese) character: ambiguous ones too (quotes such as “), which the
    Chinese faces draw one em wide."""
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


def _width(char: str) -> float:
    """A character's advance in em: wide and full-width characters one em."""
    if char == " ":
        return _SPACE
    return 1.0 if _wide(char) else _NARROW


def _pieces(text: str) -> Iterator[float]:
    """The widths in em of ``text``'s pieces that a line may not end inside (a space is a piece of its own)."""
    piece, previous = 0.0, " "
    for char in text:
        if char == " ":
            if piece:
                yield piece
            yield _SPACE
            piece, previous = 0.0, char
            continue
        joins = previous != " " and (char in _CLOSING or previous in _OPENING or not (_wide(char) or _wide(previous)))
        if piece and not joins:
            yield piece
            piece = 0.0
        piece += _width(char)
        previous = char
    if piece:
        yield piece


def lines(text: str, room: float) -> int:
    """The lines ``text`` takes in a column ``room`` em wide (a newline ends a line)."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for width in _pieces(" ".join(paragraph.split())):
            if used and used + width > room + 1e-6:
                count += 1
                used = 0.0 if width == _SPACE else width
            else:
                used += width
    return count


def _text(box: Any) -> str:
    """The text of a box, its blocks' and line breaks' ends as newlines."""
    if hasattr(box, "text"):
        return str(box.text)
    parts = [_text(child) for child in getattr(box, "children", ())]
    block = type(box).__name__ == "BlockBox"
    return "".join(parts) + ("\n" if block else "")


def _rows(box: Any) -> Iterator[Any]:
    """The laid-out body rows (no header or footer) in ``box``, in order."""
    if type(box).__name__ == "TableRowGroupBox" and (box.is_header or box.is_footer):
        return
    if type(box).__name__ == "TableRowBox":
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _rows(child)


class _Measure:
    """What a laid-out page of the table tells: each column's room, the height of a row of n lines, the page's room."""

    def __init__(self, page: Any) -> None:
        rows = list(_rows(page))
        if not rows:
            raise ValueError("no table rows on the page")
        cells = rows[0].children
        self.rooms = [cell.width / cell.style["font_size"] for cell in cells]
        line = max(child.height for cell in cells for child in cell.children if hasattr(child, "height"))
        self.line = float(line)
        heights = [row.height - self.line * self._lines(row) for row in rows]
        self.base = max(heights)
        top = rows[0].position_y
        self.room = page.content_box_y() + page.height - top

    @staticmethod
    def _lines(row: Any) -> int:
        return max(len(cell.children) for cell in row.children)

    def height(self, row: Any) -> float:
        """The guessed height of a row not laid out yet."""
        if len(row.children) != len(self.rooms):
            raise ValueError("a row of other cells")
        count = max(lines(_text(cell).strip("\n"), room) for cell, room in zip(row.children, self.rooms, strict=True))
        return float(self.base + self.line * count)


def guess(page: Any, group: Any, start: int, target: int) -> int | None:
    """The row at or after ``target`` that a page of ``group``'s rows would start at, pages filled from row
    ``start`` as ``page`` (a laid-out page of the table) was; None when the page tells too little."""
    try:
        measure = _Measure(page)
        rows = group.children
        first, row, used = start, start, 0.0
        while row < len(rows):
            height = measure.height(rows[row])
            if used and used + height > measure.room + 1e-6:
                row = _allowed_break(rows, first, row)
                if row >= target:
                    return row
                first, used = row, 0.0
                continue
            used += height
            row += 1
    except (AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return None


def _allowed_break(rows: list[Any], first: int, row: int) -> int:
    """The break before ``row`` moved up while the rows forbid it (``tr:last-child { break-before: avoid }``)."""
    while row > first + 1 and "avoid" in (rows[row].style["break_before"], rows[row - 1].style["break_after"]):
        row -= 1
    return row
