"""Markdown from the records → safe HTML: rendered with ``markdown``, then cleaned by ``nh3``.

Records are data, never templates: their text reaches the page only through
``markdown_html`` (sanitised) or Jinja's autoescaping, so ``{{ … }}`` in a record is shown
as written and no script, event handler, ``javascript:``/``data:`` link or style survives.
"""

from __future__ import annotations

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
    html = md.markdown(str(text), extensions=["tables", "sane_lists"], output_format="html")
    for old, new in _HEADING_SHIFT.items():
        html = html.replace(old, new)
    return Markup(sanitize(html))


def markdown_inline(text: str | None) -> Markup:
    """A short Markdown value as inline HTML (its single paragraph unwrapped)."""
    html = str(markdown_html(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
