"""A part of a document laid out before its first page number is known (WeasyPrint's internals, kept here).

WeasyPrint lays out every page of a document (``make_all_pages``) before it makes any page's
margin boxes, where the page number is drawn.  A page's content does not depend on its
number, nor on its side when the left and right pages differ only in their margin boxes (as in
bulletin.css).  So a part of a long notice (附件1) can be laid out as if it began on page 1 and
be told its real first page only once its pages are made: each page's page counter is then
moved on, and each page's side turned when the first page is even.  ``render.pdf`` uses it for
the helper that makes 附件1 while the body is still being laid out.

Where that would not give the pages ``pdfjoin.numbered`` gives (another WeasyPrint, a blank
page, a page whose own style depends on its side, page-based counters in the text, a second
layout loop, a break to a left or right page), ``Unsupported`` is raised and the caller lays
the part out again, numbered from the start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Unsupported(RuntimeError):
    """The part cannot be numbered after its layout here: lay it out again with ``pdfjoin.numbered``."""


def available() -> bool:
    """Whether this WeasyPrint has the layout steps this module hooks into (70: ``make_all_pages``, ``PageType``)."""
    try:
        from weasyprint import layout
        from weasyprint.layout import page
    except ImportError:
        return False
    page_type = getattr(page, "PageType", None)
    return (
        callable(getattr(layout, "make_all_pages", None))
        and callable(getattr(page, "set_page_type_computed_styles", None))
        and "side" in getattr(page_type, "_fields", ())
    )


# A forced break to a page of one side (the 版记's to an even page): where it lands depends on the side
_SIDED_BREAKS = frozenset({"left", "right", "recto", "verso"})
# What makes a part's pages: from WeasyPrint's page generator, the layout context and the root box, the pages
# (each made in order, from the first), the number of the first page kept, and how many pages come before
# it (made only for what they carry onto the others, such as a fixed box: dropped after the layout).
PagesOf = Callable[[Iterator[Any], Any, Any], tuple[list[Any], int, int]]


@contextmanager
def kept_pages(pages_of: PagesOf) -> Iterator[None]:
    """Within: a document laid out (in this thread) has the pages ``pages_of`` keeps, numbered from the number it
    gives once they are made.

    The document must say nothing about its numbering (no ``pdfjoin.numbered``): it is laid out
    as if its first page were page 1, a right-hand page.  Raises ``Unsupported`` (here or from
    the layout) where the pages could differ from a part numbered beforehand.

    May be nested (``pagemeet`` lays out a second document while making the first one's pages):
    the innermost ``pages_of`` makes the pages of the documents laid out within it.
    """
    if not available():
        raise Unsupported("this WeasyPrint has no make_all_pages or PageType")
    from weasyprint import layout

    outer = layout.make_all_pages
    original = getattr(outer, "weasyprint_own", outer)

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> list[Any]:
        if pages:  # a second loop, for page-based counters: its pages would start from page 1 again
            raise Unsupported("the layout needs a second loop")
        made, first, dropped = pages_of(original(context, root_box, html, pages), context, root_box)
        _renumber(context, html, made, first - dropped)
        return made

    make_all_pages.weasyprint_own = original  # type: ignore[attr-defined]  # for a nested kept_pages
    layout.make_all_pages = make_all_pages
    try:
        yield
    finally:
        layout.make_all_pages = outer


def page_count(context: Any, made: list[Any]) -> int:
    """The page number WeasyPrint gave the last of the pages ``made`` (the page made ``len(made)``-th)."""
    values = context.page_maker[len(made)][3][1].get("page")
    if values is None or len(values) != 1:
        raise Unsupported("a page without its one page counter")
    return int(values[0])


def _renumber(context: Any, html: Any, pages: list[Any], first: int) -> None:
    """The laid-out ``pages`` moved to start at page ``first``, before any margin box.

    ``context.page_maker`` holds, after its first entry, the state after each of ``pages``.
    """
    if context.target_collector.counter_lookup_items:
        raise Unsupported("the text has counters resolved at layout")
    if not pages:
        return
    shift = first - page_count(context, pages[:1])
    if shift == 0:
        return
    for _resume_at, _next, _right, state, _remake in context.page_maker[1:]:
        counters = state[1]
        values = counters.get("page")
        if values is None or len(values) != 1:
            raise Unsupported("a page without its one page counter")
        counters["page"] = [values[0] + shift]
    if shift % 2:
        if any(next_page["break"] in _SIDED_BREAKS for _, next_page, *_ in context.page_maker):
            raise Unsupported("a break to a left or right page, which depends on the side")
        _turn_sides(context, html, pages)


def _turn_sides(context: Any, html: Any, pages: list[Any]) -> None:
    """Each page made a left-hand page where it was a right-hand one and the other way round.

    Only where the page's own style (margins, size) is the same on either side: the margin
    boxes, made afterwards, take the new side's styles.
    """
    from weasyprint.layout.page import set_page_type_computed_styles

    style_for = context.style_for
    cascaded = style_for.get_cascaded_styles()
    for page in pages:
        old = page.page_type
        if old.blank:
            raise Unsupported("a blank page, which depends on the side")
        new = old._replace(side="left" if old.side == "right" else "right")
        set_page_type_computed_styles(new, html, style_for)
        if cascaded.get((new, None), {}) != cascaded.get((old, None), {}):
            raise Unsupported("the page's style depends on its side")
        page.page_type = new
    context.page_maker[:] = [
        (resume_at, next_page, not right, state, remake)
        for resume_at, next_page, right, state, remake in context.page_maker
    ]
