"""HTML → print-ready PDF with WeasyPrint: fonts pinned, no network, byte-stable output.

The PDF's dates come from the HTML's ``dcterms.created``/``dcterms.modified`` (the
bulletin's date, never the clock), its title, author and subject from the HTML's
metadata; WeasyPrint derives the file identifier from the content, so the same HTML
gives the same bytes.  The ``url_fetcher`` reads only files inside the package, the
records folder and the office's configured font files, and never the network.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from reportgen.render.fonts import FontSet

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PDF_CSS = PACKAGE_DIR / "templates" / "bulletin" / "pdf.css"
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


def html_to_pdf(html: str, fonts: FontSet, base_dir: Path) -> bytes:
    """The bulletin's PDF.  Raises ``MissingGlyphs`` rather than return a PDF with tofu."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if not fonts.fallbacks:
        # WeasyPrint crashes without any font; never start a render that cannot succeed.
        raise MissingGlyphs("no CJK font is installed (fonts-noto-cjk)")
    font_config = FontConfiguration()
    fetcher = restricted_fetcher([PACKAGE_DIR, base_dir, *fonts.files])
    try:
        with _watch_glyphs() as watch:
            css = fonts.css() + PDF_CSS.read_text(encoding="utf-8")
            stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher)
            document = HTML(string=html, base_url=str(base_dir.resolve()) + "/", url_fetcher=fetcher)
            pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=font_config, uncompressed_pdf=False)
        if watch.messages:
            raise MissingGlyphs("; ".join(sorted(set(watch.messages))))
        return pdf
    finally:
        gc.collect()
