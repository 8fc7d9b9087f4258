"""Justify the laid-out lines of Chinese body text to the 28-character grid (GB/T 9704: 156 mm).

WeasyPrint justifies by widening spaces only, and Chinese has none: its lines end ragged,
up to a few characters short of the text block's edge (a digit is half a character wide, a
closing mark may not start a line, "30%、" may not be split).  ``justify_pages`` runs between layout and drawing:
every full line of a paragraph gets the letter spacing that makes its last character end
at the right edge, and the boxes after each text run move along.  The last line of a
paragraph stays as it is.  Drawing re-reads each text box's style, so the PDF shows the
new spacing; the text and its tagging do not change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_JUSTIFIED_BLOCKS = frozenset({"p", "li"})
_ALIGNED = frozenset({"start", "left", "justify"})
_MOST_SHORT = 4  # characters: the widest gap a full line leaves


def justify_pages(pages: list[Any]) -> None:
    """Spread each full line of the body paragraphs of WeasyPrint's laid-out ``pages`` to its block's width."""
    lines = [(block, line) for page in pages for block, line in _body_lines(page._page_box)]
    last: dict[int, Any] = {}
    for block, line in lines:
        last[id(block.element)] = line
    for block, line in lines:
        if last[id(block.element)] is not line:
            _justify(block, line)


def _body_lines(box: Any, in_table: bool = False) -> Iterator[tuple[Any, Any]]:
    """(block, line) for every line of a left-aligned paragraph outside tables, in document order."""
    in_table = in_table or box.element_tag in ("table", "td", "th")
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "LineBox":
            if not in_table and box.element_tag in _JUSTIFIED_BLOCKS and box.style["text_align_all"] in _ALIGNED:
                yield box, child
        elif child.is_in_normal_flow():
            yield from _body_lines(child, in_table)


def _justify(block: Any, line: Any) -> None:
    """Give ``line`` the letter spacing that brings its last character to the block's right edge."""
    texts = list(_text_boxes(line))
    count = sum(len(t.text) for t in texts)
    if count < 2 or not line.children:
        return
    right = max(child.position_x + child.margin_width() for child in line.children)
    gap = block.content_box_x() + block.width - right
    # A line is short of the edge by up to a few characters when the next run may not be split
    # ("30%、", "2021年") or may not start a line (、。）); a wider gap is a line the text ends early.
    if not 0 < gap < _MOST_SHORT * block.style["font_size"]:
        return
    _spread(line, gap / (count - 1), 0.0)


def _text_boxes(box: Any) -> Iterator[Any]:
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", ()):
        if child.is_in_normal_flow():
            yield from _text_boxes(child)


def _spread(box: Any, spacing: float, advance: float) -> float:
    """Add ``spacing`` after every character under ``box``, moving it by ``advance``; the new advance."""
    kind = type(box).__name__
    if kind == "TextBox":
        box.position_x += advance
        style = box.style.copy()
        letter = style["letter_spacing"]
        style["letter_spacing"] = (0 if letter == "normal" else letter) + spacing
        box.style = style
        added = spacing * len(box.text)
        box.width += added
        return advance + added
    if kind in ("LineBox", "InlineBox"):
        box.position_x += advance
        start = advance
        for child in box.children:
            if child.is_in_normal_flow():
                advance = _spread(child, spacing, advance)
        box.width += advance - start
        return advance
    box.translate(advance, 0)
    return advance
