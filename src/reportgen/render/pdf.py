"""HTML → print-ready PDF with WeasyPrint: fonts pinned, no network, byte-stable output.

The PDF's dates come from the HTML's ``dcterms.created``/``dcterms.modified`` (the
bulletin's date, never the clock), its title, author and subject from the HTML's
metadata; WeasyPrint derives the file identifier from the content, so the same HTML
gives the same bytes.  The ``url_fetcher`` reads only files inside the package, the
records folder and the office's configured font files, and never the network.
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import multiprocessing
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlparse

from reportgen.forked import alone, child_errors, die_with_parent, end_with
from reportgen.model import Records
from reportgen.problems import Problem, Words
from reportgen.render import BulletinInfo, latenumbers, pagemeet, uasheet, weasyload
from reportgen.render.cjk import chinese_text
from reportgen.render.fonts import FontSet
from reportgen.render.justify import justify_pages
from reportgen.render.pdfcheck import LayoutFault, banji_move, layout_faults
from reportgen.render.pdfjoin import join, long_rest, numbered, split_parts, worth_splitting
from reportgen.stackroom import roomy

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PDF_CSS = PACKAGE_DIR / "templates" / "bulletin" / "pdf.css"
BULLETIN_CSS = PACKAGE_DIR / "templates" / "bulletin" / "bulletin.css"
_NOTDEF = re.compile(r"notdef|No glyph", re.IGNORECASE)


class FetchRefused(ValueError):
    """A resource outside the allowed folders (or on the network) was requested."""


def restricted_fetcher(allowed: Iterable[Path]) -> Any:
    """A WeasyPrint url_fetcher that serves only ``file:`` URLs inside ``allowed`` paths.

    WeasyPrint (≥ 68) expects a ``URLFetcher`` whose ``fetch`` returns a ``URLFetcherResponse``;
    a refused URL raises ``FetchRefused``, which WeasyPrint reports as a warning and skips.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(p.resolve() for p in allowed)

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
                raise FetchRefused(f"refused to fetch {url!r}: only local files are allowed")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path == root or root in path.parents for root in roots):
                raise FetchRefused(f"refused to fetch {url!r}: outside the allowed folders")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return RestrictedFetcher()


class _GlyphWatch(logging.Handler):
    """Collects WeasyPrint's warnings about glyphs it could not draw."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _NOTDEF.search(message):
            self.messages.append(message)


@contextmanager
def _watch_glyphs() -> Iterator[_GlyphWatch]:
    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)


class MissingGlyphs(RuntimeError):
    """WeasyPrint drew a .notdef glyph (tofu) although the font check passed."""

    def detail(self) -> Words:
        """The characters without a glyph, in words for the E703 message."""
        codepoints = sorted(set(_CODEPOINT.findall(str(self))))
        if not codepoints:
            return Words(f"没有可用的中文字体（{self}）", f"no Chinese font is available ({self})")
        return Words(
            "这些字符在字体中没有字形：" + "、".join(codepoints), "no glyph in the fonts for: " + ", ".join(codepoints)
        )


_CODEPOINT = re.compile(r"U\+[0-9A-F]{4,6}")
# Characters that draw nothing but that WeasyPrint would draw as tofu: C0 and C1 controls other
# than tab and line ends, and the Unicode line and paragraph separators.  The glyph check skips
# them (``fonts._INVISIBLE``), so the PDF leaves them out: a line separator becomes a line end.
_UNDRAWN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile("[\u2028\u2029]")


def drawable(html: str) -> str:
    """``html`` without the characters that draw nothing (see ``_UNDRAWN``)."""
    return _SEPARATORS.sub("\n", _UNDRAWN.sub("", html))


@dataclass(frozen=True)
class _Styling:
    """The parsed PDF stylesheet and the font configuration it registered its fonts in."""

    key: tuple[str, tuple[Path, ...]]
    font_config: Any  # weasyprint.text.fonts.FontConfiguration
    stylesheet: Any  # weasyprint.CSS
    lean_sheet: Any  # uasheet.lean_sheet: the user-agent stylesheet, or None for WeasyPrint's own


# One per process: the build's forked workers each render many PDFs with the same fonts.
_STYLING: list[_Styling] = []


def _styling(fonts: FontSet) -> _Styling:
    """The font configuration and parsed stylesheet for ``fonts``, made once per process.

    A fresh ``FontConfiguration`` per render made Pango re-open and re-measure the CJK
    fonts (20–27 MB collections) every time, and the stylesheet was parsed again; both
    depend only on the font set and pdf.css, so a worker keeps them.  The PDF's bytes do
    not depend on it (tests compare a first render with later ones).
    """
    weasyload.load_weasyprint()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css = fonts.css() + PDF_CSS.read_text(encoding="utf-8")
    key = (css, fonts.files)
    if _STYLING and _STYLING[0].key == key:
        return _STYLING[0]
    font_config = FontConfiguration()
    # Only the office's font files (and the package) may be read by @font-face rules.
    fetcher = restricted_fetcher([PACKAGE_DIR, *fonts.files])
    stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher)
    styling = _Styling(key, font_config, stylesheet, uasheet.lean_sheet(css))
    _STYLING[:] = [styling]
    return styling


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic garbage collection inside; one full collection when done, or in a PDF worker before its next render.

    A render allocates ~150,000 objects in reference cycles (boxes, styles, Pango
    wrappers); the automatic collector kept re-scanning them during layout (about a
    quarter of a first render's time).  The one collection afterwards frees them all
    (a worker otherwise grows to ~650 MB over 30 documents, FINDINGS).  A worker, whose
    collector stays off (``_start_worker``), makes it as its next render starts: its PDF
    goes back to the build at once (the 100k notice: 1.3 s sooner; 10k: 0.24 s), and a
    worker ends (``os._exit``) without walking its last render's garbage.
    """
    if _WORKER_CLOCK:
        if _LEFT_GARBAGE:
            gc.collect()
        _LEFT_GARBAGE[:] = [True]
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


class BadLayout(RuntimeError):
    """The laid-out bulletin cannot be issued (``pdfcheck``): the first fault becomes its problem."""

    def __init__(self, faults: list[LayoutFault]) -> None:
        super().__init__("; ".join(f"p{f.page} {f.code} {f.detail}" for f in faults))
        self.faults = faults


# Tagged PDF (PDF/UA-1): headings, paragraphs, tables and figures with their alt text.
PDF_VARIANT = "pdf/ua-1"
# A 1–2 character last line ("名。") is avoided by keeping a paragraph's last 3 characters together, with the
# start of a number they begin in (满意率96.8%。: a line may end before the span, "96." was left above "8%。").
_PARAGRAPH_END = re.compile(r"((?:[0-9.,]{1,12}(?=\d))?(?:[^<>&\s]|&#?\w+;){3})</p>")
# The second layout pass, when the signature would stand alone: the last body section starts a
# page, so its lines move to the signature's page (GB/T 9704 7.3.5.1 allows moving lines).
_KEEP_TAIL = "keep-tail"
_BODY = '<body class="'


def _with_class(source: str, name: str) -> str:
    """``source`` with the class ``name`` on its body (which has a class attribute: ``_BODY``)."""
    return source.replace(_BODY, f"{_BODY}{name} ", 1)


def _typeset(html: str) -> str:
    """``html`` for print: characters that draw nothing dropped, full-width brackets and no stray spaces in
    Chinese (``cjk``), each paragraph's last 3 characters kept together."""
    return _PARAGRAPH_END.sub(r'<span class="tail">\1</span></p>', chinese_text(drawable(html)))


def html_to_pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool = False, helper: bool = True) -> bytes:
    """The bulletin's PDF.  Raises ``MissingGlyphs`` rather than return a PDF with tofu, unless ``tofu_allowed``.

    ``tofu_allowed`` is the office's ``missing_glyphs: warning``: ``check`` has warned (W701) about
    each such character, and the office chose to print the boxes rather than stop.  Raises
    ``BadLayout`` when the laid-out pages fail ``pdfcheck`` after a second pass that moves the
    last body lines to the signature's page.  A notice with a long ledger (``pdfjoin``) is
    rendered in parts and joined: the same pages.  ``helper`` lets 附件1 be made in a second
    process meanwhile (the caller knows whether a core is free for it); the bytes are the same
    without it.
    """
    if not fonts.fallbacks:
        # WeasyPrint crashes without any font; never start a render that cannot succeed.
        raise MissingGlyphs("no CJK font is installed (fonts-noto-cjk)")
    # Laid out and drawn with room on the frame stack: without, a 10k notice mapped and unmapped 16 KB of it
    # ~216,000 times (``stackroom``), a tenth of the render's time.
    return roomy(functools.partial(_pdf, html, fonts, base_dir, tofu_allowed, helper))


def _pdf(html: str, fonts: FontSet, base_dir: Path, tofu_allowed: bool, helper: bool) -> bytes:
    """``html_to_pdf``'s PDF."""
    source = _typeset(html)
    parts = split_parts(source)
    # A process's first render loads the faces (Pango, HarfBuzz); the helper is forked before that, so
    # both load them at once instead of the helper waiting for this process to (10k notice: ~0.3 s sooner).
    helper = helper and worth_splitting(parts) and _can_fork()
    with _collector_paused(), _watch_glyphs() as watch:
        render = _Renderer(fonts, base_dir)
        if worth_splitting(parts):
            pdf, faults = _joined(parts, render, watch, helper)
        else:
            document, faults = render.layout(source)
            pdf = render.write(document)
    if watch.messages and not tofu_allowed:
        raise MissingGlyphs("; ".join(sorted(set(watch.messages))))
    if faults:
        raise BadLayout(faults)
    return pdf


class _Renderer:
    """Lays out and writes documents with the process's styling for ``fonts``, reading only allowed files."""

    def __init__(self, fonts: FontSet, base_dir: Path) -> None:
        self.styling = _styling(fonts)
        self.base_url = str(base_dir.resolve()) + "/"
        self.fetcher = restricted_fetcher([PACKAGE_DIR, base_dir, *fonts.files])

    def _pages(self, text: str) -> Any:
        page = uasheet.html(text, self.styling.lean_sheet, base_url=self.base_url, url_fetcher=self.fetcher)
        options = {"font_config": self.styling.font_config, "pdf_variant": PDF_VARIANT}
        return page.render(stylesheets=[self.styling.stylesheet], **options)

    def layout(self, source: str, dropped: Callable[[], int] = int) -> tuple[Any, list[LayoutFault]]:
        """The laid-out, justified document and its ``pdfcheck`` faults (after the second pass when it helps),
        laid out once more when its 版记 must move to an even page (``pdfcheck.banji_move``).

        Its first ``dropped()`` pages, asked once laid out, are left out (``pagemeet``).
        """
        document, faults = self._laid(source, dropped)
        if any(f.code == "E711" for f in faults) and _BODY in source:
            source = _with_class(source, _KEEP_TAIL)
            document, faults = self._laid(source, dropped)
        move = banji_move(document.pages)
        if move is not None and _BODY in source:  # a last pass: the 版记 to an even page
            document, faults = self._laid(_with_class(source, move), dropped)
        justify_pages(document.pages)
        return document, faults

    def _laid(self, source: str, dropped: Callable[[], int]) -> tuple[Any, list[LayoutFault]]:
        """``source`` laid out, its first ``dropped()`` pages left out, and its faults."""
        document = self._pages(source)
        del document.pages[: dropped()]
        return document, layout_faults(document.pages)

    def write(self, document: Any) -> bytes:
        """The laid-out document's PDF."""
        pdf: bytes = document.write_pdf(uncompressed_pdf=False, pdf_variant=PDF_VARIANT)
        return pdf


def _can_fork() -> bool:
    """Whether this process may fork a helper: POSIX, and no other thread that could hold a lock."""
    return alone()


def _joined(parts: list[str], render: _Renderer, watch: _GlyphWatch, fork: bool) -> tuple[bytes, list[LayoutFault]]:
    """The joined PDF of the three ``parts`` (the body, 附件1, the rest) and their faults.

    Here: the body, then the rest (laid out meanwhile, numbered once 附件1's page count is known:
    ``_rest_meanwhile``); 附件1 from the page after the body's in a forked helper when ``fork``
    (this process can fork).  Without one, or when it fails (an exception, a crash), 附件1 is
    made here, then the rest: the same bytes either way, so the PDF depends on the HTML alone.
    The helper is forked before the body is laid out (the fewer pages of memory the two processes
    share, the fewer are copied when either writes to them: about 2 s of a 10k notice) and lays
    out 附件1 at once; it needs its first page number only for the page numbers, drawn last
    (``_layout_from``).  A long ledger is laid out
    twice at once from two rows (``pagemeet``): where the two layouts meet, 附件1 is two PDFs, made
    by two processes or one, as the document decides.  A long rest (``pdfjoin.long_rest``: 附件2 of a
    large office's notice) is made as 附件1 is, by a helper of its own from the start (``_long_rest``).
    """
    long = long_rest(parts)
    helper = _Helper(parts[1], render, watch) if fork else None
    rest_helper = _Helper(parts[2], render, watch) if fork and long else None
    try:
        body, faults = render.layout(parts[0])
        first = len(body.pages) + 1
        if helper:
            helper.start(first)
        pdfs = [render.write(body)]
        rest_faults: list[LayoutFault] = []
        if long:
            made = _long_rest(parts, render, first, helper, rest_helper)
        else:
            made, rest_pdf, rest_faults = _rest_here(parts, render, first, helper)
            pdfs.append(rest_pdf)
    finally:
        for one_helper in (helper, rest_helper):
            if one_helper:
                one_helper.close()
    for one in made:
        watch.messages += one.messages
        faults += [replace(f, page=f.page + first - 1) for f in one.faults]
        first += one.pages
    faults += [replace(f, page=f.page + first - 1) for f in rest_faults]
    joined = join([pdfs[0], *(one.pdf for one in made), *pdfs[1:]])
    return joined, sorted(faults, key=lambda f: (f.page, f.code, f.detail.zh))


def _rest_here(
    parts: list[str], render: _Renderer, first: int, helper: _Helper | None
) -> tuple[list[_Made], bytes, list[LayoutFault]]:
    """附件1's pieces (from ``helper``, or made here), and the rest made here: its PDF and faults.

    The rest is laid out while the helper still makes 附件1 (``_rest_meanwhile``); without a
    helper, or when it fails, 附件1 is made here first, then the rest.
    """
    here = None
    laid_out = _rest_meanwhile(parts[2], render, helper.pages, first) if helper else None
    if laid_out is None:
        here = _Made.here(parts[1], render, first)
        laid_out = render.layout(numbered(parts[2], first + sum(one.pages for one in here)))
    rest, rest_faults = laid_out
    rest_pdf = render.write(rest)
    made = here or (helper.made() if helper else None) or _Made.here(parts[1], render, first)
    return made, rest_pdf, rest_faults


def _long_rest(
    parts: list[str], render: _Renderer, first: int, helper: _Helper | None, rest_helper: _Helper | None
) -> list[_Made]:
    """附件1's pieces then the long rest's, each from its helper (told its first page) or, without one, made here."""
    ledger = _made_by(helper, parts[1], render, first)
    rest_first = first + sum(one.pages for one in ledger)
    if rest_helper:
        rest_helper.start(rest_first)
    return [*ledger, *_made_by(rest_helper, parts[2], render, rest_first)]


def _made_by(helper: _Helper | None, part: str, render: _Renderer, first: int) -> list[_Made]:
    """The part's pieces from its ``helper``, or made here from page ``first`` when there is none or it failed."""
    made = helper.made() if helper and helper.pages() is not None else None
    return made or _Made.here(part, render, first)


class _HelperGone(Exception):
    """The helper failed before it sent 附件1's page count: 附件1 is made here first."""


def _rest_meanwhile(
    part: str, render: _Renderer, helper_pages: Callable[[], int | None], first: int
) -> tuple[Any, list[LayoutFault]] | None:
    """The last part (附件2 on) laid out while the helper still makes 附件1, numbered from the page after it.

    Laid out at once and numbered once its pages are made (``latenumbers``), when 附件1's page
    count (``helper_pages``, asked once) is there: so this process's layout of the part overlaps
    the helper's work instead of following it, and only its numbering and writing wait.  Where
    that is not allowed, laid out once the count is known (``pdfjoin.numbered``): the same pages
    and bytes.  None when there is no count (no helper, or it failed): 附件1 is made here first.
    """

    @functools.cache
    def first_page() -> int:
        pages = helper_pages()
        if pages is None:
            raise _HelperGone
        return first + pages

    try:
        with (
            suppress(latenumbers.Unsupported),
            latenumbers.kept_pages(lambda made, _c, _r: (list(made), first_page(), 0)),
        ):
            return render.layout(part)
        return render.layout(numbered(part, first_page()))
    except _HelperGone:
        return None


@dataclass(frozen=True)
class _Made:
    """One PDF of a part, its page count, its faults and (from a helper) its glyph warnings."""

    pdf: bytes
    pages: int
    faults: list[LayoutFault]
    messages: list[str]

    @classmethod
    def here(cls, part: str, render: _Renderer, first: int) -> list[_Made]:
        """The part made in this process from page ``first`` (its glyph warnings are already in this process's
        watch): one PDF, or two where its two layouts meet (``pagemeet``), as a helper makes it."""
        meeting = pagemeet.Meeting(lambda: first, functools.partial(_probe_second, part, render))
        document, faults = _layout_from(part, render, meeting)
        if not meeting.split:
            return [cls(render.write(document), len(document.pages), faults, [])]
        pieces = [document.pages[: meeting.split], document.pages[meeting.split :]]
        return [cls(render.write(document.copy(pages)), len(pages), layout_faults(pages), []) for pages in pieces]


def _probe_second(part: str, render: _Renderer, pages_of: latenumbers.PagesOf) -> None:
    """``part`` laid out with the page maker ``pages_of``, which ends the layout (``pagemeet``)."""
    with latenumbers.kept_pages(pages_of):
        render.layout(part)


class _Helper:
    """A forked process making one part, numbered from the page it is told (``start``): it sends the part's
    page count as soon as it is laid out, then the ``_Made``; the second process it may fork for the
    part's later pages (``pagemeet``) sends the same on a pipe of its own."""

    def __init__(self, part: str, render: _Renderer, watch: _GlyphWatch) -> None:
        reading, replying = os.pipe()
        told, telling = os.pipe()
        second, seconding = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: it never returns
            os.close(reading)
            os.close(telling)
            os.close(second)
            _help(part, render, watch, told, replying, seconding)
        os.close(replying)
        os.close(told)
        os.close(seconding)
        self.replies = os.fdopen(reading, "rb")
        self.orders = os.fdopen(telling, "wb")
        self.seconds = os.fdopen(second, "rb")
        self.with_second = False
        self.finished = False  # every result received: the helper ends of itself once its second process has

    def start(self, first: int) -> None:
        """Make the part from page ``first`` on (a helper already gone is found out by ``pages``)."""
        with suppress(BrokenPipeError), self.orders:
            pickle.dump(first, self.orders)

    def pages(self) -> int | None:
        """The part's page count, the second process's pages included; None once either failed."""
        reply = self._receive(self.replies)
        if reply is None:
            return None
        pages, self.with_second = reply
        if not self.with_second:
            return int(pages)
        second = self._receive(self.seconds)
        return None if second is None else int(pages) + int(second[0])

    def made(self) -> list[_Made] | None:
        """The part's ``_Made`` (two with a second process); None once either failed."""
        made = [self._receive(self.replies)]
        if self.with_second:
            made.append(self._receive(self.seconds))
        if None in made:
            return None
        self.finished = True
        return made

    def _receive(self, pipe: Any) -> Any:
        """The next message on ``pipe``; None once the helper or its second process failed (both are then ended)."""
        try:
            return pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError, ValueError):
            self.close()
            return None

    def close(self) -> None:
        """End the helper (when still at work, and so its second process) and reap it."""
        if not self.replies.closed:
            self.orders.close()
            self.replies.close()
            self.seconds.close()
            if not self.finished:
                with suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _help(part: str, render: _Renderer, watch: _GlyphWatch, told: int, replying: int, second: int) -> NoReturn:
    """In the forked helper: lay out ``part`` from the first page number it is told (``_layout_from``), its
    later pages by a second process when the two layouts meet (``pagemeet``); send its page count and
    whether the second process has the later pages, then its ``_Made``; wait for the second process;
    exit.  The second process runs on here from its layout, its replies going to ``second``."""
    status = 1
    try:
        die_with_parent()
        with os.fdopen(told, "rb") as orders, os.fdopen(replying, "wb") as replies:
            fork = (replying, second, die_with_parent)
            meeting = pagemeet.Meeting(lambda: int(pickle.load(orders)), fork=fork)
            document, faults = _layout_from(part, render, meeting)
            pickle.dump((len(document.pages), meeting.child is not None), replies)
            replies.flush()
            pickle.dump(_Made(render.write(document), len(document.pages), faults, watch.messages), replies)
        if meeting.child is not None:
            os.waitpid(meeting.child, 0)
        status = 0
    finally:
        os._exit(status)


def _layout_from(part: str, render: _Renderer, meeting: pagemeet.Meeting) -> tuple[Any, list[LayoutFault]]:
    """``part`` laid out and numbered from page ``meeting.first_page()`` (asked once), its later pages by
    ``meeting``'s second layout where they meet.

    Laid out at once and numbered once its pages are made (``latenumbers``: the helper does not
    wait for the body's layout), or, where WeasyPrint does not allow that, laid out once the
    number is known (``pdfjoin.numbered``), alone: the same pages and bytes either way.
    """
    first = functools.cache(meeting.first_page)
    meeting.first_page = first
    with suppress(latenumbers.Unsupported), latenumbers.kept_pages(meeting):
        return render.layout(part, lambda: meeting.dropped)
    meeting.alone()
    return render.layout(numbered(part, first()))


# Text in every role, a table and a chart label: what a bulletin's first page and ledger use.
_WARM_UP_BODY = (
    '<h1 class="f-xbs">关于2021年11月份活动开展情况的通报</h1><h2>一、总体情况</h2><h3>（一）问题解决</h3>'
    '<p>截至2021年11月30日，梳理企业反映问题94件，解决率83.0%。</p><p class="f-song">— 1 —</p>'
    '<table class="ledger"><thead><tr><th>编号</th><th>企业</th></tr></thead>'
    '<tbody><tr><td>Q0001</td><td class="text">周口市某某科技有限公司</td></tr>'
    '<tr><td class="num">12</td><td class="text">已销号</td></tr></tbody></table>'
    '<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" width="100" height="20">'
    '<title>图</title><text x="0" y="12" font-size="11">件 50%</text></svg></figure>'
)


def warm_up(fonts: FontSet) -> None:
    """Render a small bulletin-like page once, so that the next render in this process is a warm one.

    The first render of a process pays for WeasyPrint's first use of each font face
    (Pango and HarfBuzz load them), cffi's parsing of C types and the parsed stylesheet.
    Called in a parent before it forks PDF workers, every worker starts warm instead of
    each paying this again.
    """
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="dcterms.created" content="2021-11-30T00:00:00+08:00">'
        f"<style>{BULLETIN_CSS.read_text(encoding='utf-8')}</style></head><body>{_WARM_UP_BODY}</body></html>"
    )
    html_to_pdf(html, fonts, PACKAGE_DIR)


# -- many PDFs, in worker processes; a failure is a result, never an exception ------------------


@dataclass(frozen=True)
class PdfFailure:
    """Why one PDF could not be made, in words for the E703 message (or a layout fault, E711–E715)."""

    detail: Words
    fault: LayoutFault | None = None


PdfJob = tuple[str, str]  # (path of the PDF in the output, its HTML)
_WORKER_STATE: dict[str, Any] = {}
_WORKER_DIED = Words(
    "生成 PDF 的进程意外退出（可能是字体文件损坏或内存不足）",
    "the process making the PDF ended unexpectedly (a damaged font file, or memory ran out?)",
)
# No single PDF may take longer than this (seconds): a pathological template or text must not hang
# the build.  The worker is killed and the bulletin gets E703.  The environment variable overrides it.
TIME_LIMIT_VARIABLE = "REPORTGEN_PDF_TIME_LIMIT"
DEFAULT_TIME_LIMIT = 600.0


def time_limit() -> float:
    """Seconds one PDF may take: ``REPORTGEN_PDF_TIME_LIMIT`` when it is a positive number, else 10 minutes."""
    try:
        seconds = float(os.environ.get(TIME_LIMIT_VARIABLE, ""))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return seconds if 0 < seconds < math.inf else DEFAULT_TIME_LIMIT


def timeout_detail(seconds: float) -> Words:
    """The E703 detail of a render stopped at the limit: in minutes when whole, else in seconds."""
    if seconds >= 60 and seconds % 60 == 0:
        return Words(f"生成超过{seconds / 60:g}分钟未完成，已停止", f"not done after {seconds / 60:g} minutes: stopped")
    return Words(f"生成超过{seconds:g}秒未完成，已停止", f"not done after {seconds:g} seconds: stopped")


def failure_detail(exc: Exception) -> Words:
    """One line about ``exc``: missing glyphs in words, anything else by its type and first 200 characters."""
    if isinstance(exc, MissingGlyphs):
        return exc.detail()
    text = " ".join(str(exc).split())
    said = f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
    return Words(said, said)


class _Clock:
    """When each job of one pool started and which worker runs it, in memory the forked workers share.

    ``started`` holds ``time.monotonic()`` (one clock for every process) from the moment a
    worker takes the job until it is done (0 before, -1 after, or once the parent stopped it).
    """

    def __init__(self, context: Any, jobs: int) -> None:
        self.started = context.Array("d", jobs, lock=False)
        self.pids = context.Array("i", jobs, lock=False)

    def start(self, index: int) -> None:
        """In the worker: job ``index`` runs here from now."""
        self.pids[index] = os.getpid()
        self.started[index] = time.monotonic()

    def stop(self, index: int) -> None:
        """In the worker: job ``index`` is done."""
        self.started[index] = -1.0

    def kill_overdue(self, limit: float) -> set[int]:
        """In the parent: kill the worker of every job running for more than ``limit`` seconds; their indexes."""
        now = time.monotonic()
        late = {i for i, started in enumerate(self.started) if started > 0 and now - started > limit}
        for index in late:
            self.started[index] = -1.0
            with suppress(ProcessLookupError):
                os.kill(self.pids[index], signal.SIGKILL)
        return late


_WORKER_CLOCK: list[_Clock] = []  # in a worker: its pool's clock
_LEFT_GARBAGE: list[bool] = []  # in a worker: a render's garbage awaits the next render's start


def _render_job(index: int, job: PdfJob) -> tuple[str, bytes | PdfFailure]:
    """One PDF (in a worker: the fonts and base folder come from the state the parent set before forking)."""
    path, html = job
    clock = _WORKER_CLOCK[0] if _WORKER_CLOCK else None
    if clock is not None:
        clock.start(index)
    try:
        return path, html_to_pdf(html, **_WORKER_STATE)
    except BadLayout as exc:
        return path, PdfFailure(failure_detail(exc), exc.faults[0])
    except Exception as exc:  # WeasyPrint, Pango, fontTools: any of them may fail on one document
        return path, PdfFailure(failure_detail(exc))
    finally:
        if clock is not None:
            clock.stop(index)


def render_pdfs(
    jobs: Sequence[PdfJob],
    fonts: FontSet,
    base_dir: Path,
    workers: int,
    tofu_allowed: bool = False,
    limit: float | None = None,
    fresh: bool = False,
) -> Iterator[tuple[str, bytes | PdfFailure]]:
    """Every job's PDF or the reason it failed; never raises, never waits for a worker that died.

    The PDFs are made in forked worker processes (one worker too: a crash inside a native
    library then ends a worker, not the build).  Several workers are forked after ``warm_up``,
    so each starts warm.  A worker that dies breaks the pool: the jobs it took down are run
    again one by one, each in a fresh process, so that only the document that kills its
    process is reported.  A job running longer than ``limit`` seconds (default ``time_limit()``)
    has its worker killed and fails with ``timeout_detail``.  Where processes cannot be forked
    (Windows, or inside a daemonic process) the PDFs are made here, one by one, without a limit.
    With ``fresh`` (this process holds a large office's records) all that happens in a new
    process instead (``_in_fresh_process``), whose workers are forked from it.
    """
    limit = time_limit() if limit is None else limit
    if fresh and "fork" in multiprocessing.get_all_start_methods():
        yield from _in_fresh_process(jobs, (fonts, base_dir, workers, tofu_allowed, limit))
        return
    # 附件1 of a long notice in a helper process only while a core has no PDF of its own: with every
    # core busy, the helper's extra work would slow the build (the bytes are the same either way).
    spare_core = len(jobs) < (os.cpu_count() or 1)
    _WORKER_STATE.update(fonts=fonts, base_dir=base_dir, tofu_allowed=tofu_allowed, helper=spare_core)
    workers = min(workers, len(jobs))
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        yield from (_render_job(index, job) for index, job in enumerate(jobs))
        return
    if workers > 1:
        try:
            warm_up(fonts)
        except Exception:  # the same failure is reported on every document below
            logging.getLogger(__name__).debug("warm-up render failed", exc_info=True)
    lost: list[PdfJob] = []
    for job, result in zip(jobs, _in_pool(jobs, workers, limit), strict=True):
        if result is None:
            lost.append(job)
        else:
            yield job[0], result
    for job in lost:
        (result,) = _in_pool([job], 1, limit)
        yield job[0], result or PdfFailure(_WORKER_DIED)


# The process ``_in_fresh_process`` starts (its argument: this process's id).
FRESH_COMMAND = (sys.executable, "-m", "reportgen.render.pdfchild")


def _in_fresh_process(
    jobs: Sequence[PdfJob], settings: tuple[FontSet, Path, int, bool, float]
) -> Iterator[tuple[str, bytes | PdfFailure]]:
    """``render_pdfs`` of the jobs in a new process; ``settings``: fonts, base folder, workers, tofu allowed, limit.

    A worker forked from this process has all of this process's memory resident as well, and
    what either writes to is copied: at 100,000 issues the build holds ~900 MB when it makes its
    PDFs, and a worker forked from it was 1.2 GB resident (620 MB its own) for a notice that a
    new process makes in 630 MB.  The new process is sent the jobs, forks its workers from itself,
    and sends back each result as it is made.  A job it did not send back (it died) fails as a
    worker's death does.  It is killed with this process, and its workers with it.
    """
    command = [*FRESH_COMMAND, str(os.getpid())]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=child_errors())
    assert child.stdin is not None and child.stdout is not None
    made: set[str] = set()
    try:
        with suppress(BrokenPipeError), child.stdin:
            pickle.dump((list(jobs), settings), child.stdin, pickle.HIGHEST_PROTOCOL)
        with suppress(EOFError, pickle.UnpicklingError):  # it died: the jobs not sent back fail below
            for _ in jobs:
                path, result = pickle.load(child.stdout)
                made.add(path)
                yield path, result
    finally:
        if len(made) < len(jobs):  # it died, or this process stopped reading (an interrupt)
            child.kill()
        child.wait()
        child.stdout.close()
    yield from ((path, PdfFailure(_WORKER_DIED)) for path, _ in jobs if path not in made)


def _in_pool(jobs: Sequence[PdfJob], workers: int, limit: float) -> Iterator[bytes | PdfFailure | None]:
    """Each job's result from a pool of forked workers, in order; None for a job lost with a dying worker.

    A job that runs longer than ``limit`` seconds is stopped: its worker is killed (which
    loses the jobs other workers were running: the caller runs those again).  Leaving early
    (an interrupt) cancels the jobs not started instead of waiting for all of them.
    """
    context = multiprocessing.get_context("fork")
    clock = _Clock(context, len(jobs))
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), clock))
    stopped: set[int] = set()  # the jobs whose worker was killed at the limit
    try:
        futures = [_submit(pool, index, job) for index, job in enumerate(jobs)]
        for index, future in enumerate(futures):
            yield None if future is None else _result(future, index, clock, limit, stopped)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _result(
    future: Future[tuple[str, bytes | PdfFailure]], index: int, clock: _Clock, limit: float, stopped: set[int]
) -> bytes | PdfFailure | None:
    """Job ``index``'s result; while waiting, every job of the pool over ``limit`` is stopped (added to ``stopped``)."""
    while True:
        try:
            return future.result(timeout=min(1.0, limit / 10))[1]
        except TimeoutError:
            stopped |= clock.kill_overdue(limit)
        except BrokenProcessPool:
            return PdfFailure(timeout_detail(limit)) if index in stopped else None


def _start_worker(parent: int, clock: _Clock) -> None:
    """In a new PDF worker: keep the pool's clock; be killed with the build that forked it.

    A worker otherwise waits for work forever once its parent is gone, so a killed build
    would leave it behind (Linux: PR_SET_PDEATHSIG; elsewhere nothing is done).
    """
    _WORKER_CLOCK[:] = [clock]
    gc.disable()  # a render's garbage is collected as the next starts (``_collector_paused``)
    end_with(parent)


def _submit(pool: ProcessPoolExecutor, index: int, job: PdfJob) -> Future[tuple[str, bytes | PdfFailure]] | None:
    """The job's future, or None when a worker has already died and broken the pool."""
    try:
        return pool.submit(_render_job, index, job)
    except BrokenProcessPool:
        return None


def pdf_problem(records: Records, info: BulletinInfo, templates_dir: Path | None, failure: PdfFailure) -> Problem:
    """E703 for a bulletin whose PDF failed: at its text's file when it has one, else at the template used."""
    from reportgen.render.bulletins import TEMPLATES

    name = TEMPLATES[info.kind]
    own = templates_dir / name if templates_dir is not None else None
    template: str | Words
    if own is not None and own.is_file():
        template_file, template = str(own), str(own)
    else:
        template_file, template = str(PACKAGE_DIR / "templates" / name), Words(f"自带模板 {name}", f"built-in {name}")
    text = records.bulletins.get(info.id)
    file = text.file if text else template_file
    if failure.fault is not None:
        fault = failure.fault
        params = {"bulletin": info.id, "page": str(fault.page), "detail": fault.detail}
        return Problem(file, 1, 1, fault.code, params, info.id)
    params = {"bulletin": info.id, "template": template, "detail": failure.detail}
    return Problem(file, 1, 1, "E703", params, info.id)
