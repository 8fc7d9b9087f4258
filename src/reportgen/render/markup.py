"""Markdown from the records → safe HTML: rendered with ``markdown``, then cleaned by ``nh3``.

Records are data, never templates: their text reaches the page only through
``markdown_html`` (sanitised) or Jinja's autoescaping, so ``{{ … }}`` in a record is shown
as written and no script, event handler, ``javascript:``/``data:`` link or style survives.

Python-Markdown takes quadratic time (or overflows the stack) on some texts no office
writes: thousands of nested ``>`` or list levels, runs of unclosed ``[``, ``*_*_…``,
``<div>`` after ``<div>``.  ``excess`` finds such a text in one linear pass, by bounds
far above any real bulletin; it is then shown as plain paragraphs (escaped, every line
kept), so rendering one text takes a second or two at worst, never minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "b", "i", "u", "s", "del", "sub", "sup", "code", "pre", "blockquote",
        "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "hr",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Markdown headings inside a section sit below the section's own heading (h2).
_HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h3>", "</h2>": "</h3>"}

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


def plain_html(text: str) -> str:
    """The text as plain paragraphs: escaped, blank lines between paragraphs, line breaks kept."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    return "\n".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())


def sanitize(html: str) -> str:
    """Only harmless markup: an allow-list of tags and attributes, no scripts, styles or unsafe links."""
    return str(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=set(URL_SCHEMES),
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )


def markdown_html(text: str | None) -> Markup:
    """A record's Markdown as sanitised HTML, ready to insert into a template."""
    if not text:
        return Markup("")
    source = str(text)
    if excess(source) is not None:
        return Markup(sanitize(plain_html(source)))
    try:
        rendered = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    except RecursionError:  # nesting the bounds above did not foresee: shown plain, never a traceback
        return Markup(sanitize(plain_html(source)))
    for old, new in _HEADING_SHIFT.items():
        rendered = rendered.replace(old, new)
    return Markup(sanitize(rendered))


def markdown_inline(text: str | None) -> Markup:
    """A short Markdown value as inline HTML (its single paragraph unwrapped)."""
    rendered = str(markdown_html(text)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)
