"""Markdown from the records → safe HTML: rendered with ``markdown``, then cleaned by ``nh3``.

Records are data, never templates: their text reaches the page only through
``markdown_html`` (sanitised) or Jinja's autoescaping, so ``{{ … }}`` in a record is shown
as written and no script, event handler, ``javascript:``/``data:`` link or style survives.

Python-Markdown takes quadratic time (or overflows the stack) on some texts no office
writes: thousands of nested ``>`` or list levels, runs of unclosed ``[``, ``*_*_…``,
``<div>`` after ``<div>``.  ``markdownbounds.excess`` finds such a text in one linear
pass, by bounds far above any real bulletin; it is then shown as plain paragraphs
(escaped, every line kept), so rendering one text takes a second or two at worst.
"""

from __future__ import annotations

import re
from html import escape

import nh3
from markupsafe import Markup

from reportgen.markdownbounds import excess

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
    import markdown  # here: ~23 ms to import, and a build after one edit seldom renders a bulletin's text

    try:
        rendered = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
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
