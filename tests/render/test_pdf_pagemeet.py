"""附件1 laid out by the helper and a second process that meet at a page break (render/pagemeet.py).

On the sample's December notice (附件1: 9 pages of ledger), the second process started where
a page of the one-process layout starts: 附件1 comes as two PDFs (four parts joined) with the
pages, text and bytes of the one-process PDF's, twice the same.  Started between two page starts
of a ledger of even rows, it never meets the helper: the helper's pages are all of them.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.render import latenumbers, pagemeet, pdfjoin
from reportgen.render import pdf as pdf_module
from reportgen.render.bulletins import bulletin_info, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.render.fonts import FontSet, font_set
from reportgen.validate import check_repository
from tests.render.test_pdf import pytestmark as needs_poppler

pytestmark = needs_poppler
SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, FontSet, Path]:
    """The December notice's print HTML, the sample's fonts and its folder (a copy)."""
    root = tmp_path_factory.mktemp("sample") / "records"
    shutil.copytree(SAMPLE, root)
    records = check_repository(root).records
    info = bulletin_info(records, "monthly", parse_period("2021-12"), with_pdf=True)
    html = render_bulletin_html(records, StatsEngine(records), info, template_environment(None), "public")
    return html, font_set(records), root


@pytest.fixture(scope="module")
def single(office: tuple[str, FontSet, Path]) -> bytes:
    return pdf_module.html_to_pdf(*office)


@pytest.fixture(scope="module")
def starts(office: tuple[str, FontSet, Path]) -> list[Any]:
    """Where each page of 附件1 after its first starts (WeasyPrint's ``resume_at``)."""
    html, fonts, root = office
    part = pdfjoin.split_parts(pdf_module._typeset(html))[1]
    found: list[Any] = []

    def pages_of(made: Any, context: Any, _root: Any) -> tuple[list[Any], int, int]:
        pages = list(made)
        found.extend(entry[0] for entry in context.page_maker[1 : len(pages)])
        return pages, 1, 0

    with latenumbers.kept_pages(pages_of):
        pdf_module._Renderer(fonts, root).layout(part)
    return found


def _joined(office: tuple[str, FontSet, Path], patch: pytest.MonkeyPatch) -> tuple[list[bytes], list[int]]:
    """Two renders in parts, and the number of parts joined each time."""
    parts: list[int] = []
    join = pdf_module.join

    def counted(pdfs: Sequence[bytes]) -> bytes:
        parts.append(len(pdfs))
        return join(pdfs)

    patch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    patch.setattr(pdf_module, "join", counted)
    return [pdf_module.html_to_pdf(*office) for _ in range(2)], parts


def _pages(pdf: bytes, folder: Path) -> list[str]:
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(folder / "doc.pdf"), str(folder / "p")], check=True)
    return [hashlib.md5(page.read_bytes()).hexdigest() for page in sorted(folder.glob("p-*.png"))]


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_second_process_from_a_page_start_gives_the_one_process_pages(
    office: tuple[str, FontSet, Path], single: bytes, starts: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(starts) == 8
    monkeypatch.setattr(pagemeet, "_row_resume", lambda start, root_box, share: starts[3])
    pdfs, parts = _joined(office, monkeypatch)
    assert parts == [4, 4]
    assert pdfs[0] == pdfs[1]
    pages = _pages(single, tmp_path / "single")
    assert len(pages) == 24
    assert _pages(pdfs[0], tmp_path / "split") == pages
    assert _text(pdfs[0], tmp_path / "split.pdf") == _text(single, tmp_path / "single.pdf")


def test_a_second_process_that_never_meets_the_helper_is_dropped(
    office: tuple[str, FontSet, Path], single: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagemeet, "MIN_ROWS", 1)
    pdfs, parts = _joined(office, monkeypatch)
    assert parts == [3, 3]
    assert pdfs[0] == pdfs[1]
    assert _pages(pdfs[0], tmp_path / "split") == _pages(single, tmp_path / "single")


class TableRowGroupBox:
    """A stand-in for WeasyPrint's row group: only its rows are looked at."""

    def __init__(self, rows: int) -> None:
        self.children = [None] * rows


class _Box:
    def __init__(self, *children: Any) -> None:
        self.children = list(children)


def test_the_second_process_starts_halfway_down_the_rows_left_of_a_long_ledger() -> None:
    def root(rows: int) -> _Box:
        return _Box(_Box(None, _Box(None, None, None, _Box(TableRowGroupBox(rows)))))

    start = {0: {1: {3: {0: {17: None}}}}}
    assert pagemeet._row_resume(start, root(996), 0.5) == {0: {1: {3: {0: {17 + 489: None}}}}}
    assert pagemeet._row_resume(start, root(17 + pagemeet.MIN_ROWS), 0.5) == {0: {1: {3: {0: {77: None}}}}}
    assert pagemeet._row_resume(start, root(16 + pagemeet.MIN_ROWS), 0.5) is None
    assert pagemeet._row_resume({0: {1: {3: {0: None}}}}, root(996), 0.5) is None
    assert pagemeet._row_resume({0: {1: None}}, root(996), 0.5) is None
    assert pagemeet._row_resume(None, root(996), 0.5) is None
