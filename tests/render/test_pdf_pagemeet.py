"""附件1 laid out twice at once, the layouts meeting at a page break (render/pagemeet.py, render/rowpages.py).

On the sample's December notice (附件1: 9 pages, about 125 ledger rows, ``MIN_ROWS`` lowered so
that it has a second layout), the second layout starts at the row ``rowpages`` guesses a page of
the first starts at; they meet there and 附件1 comes as two PDFs (four parts joined).  Started two
pages before a page start, they meet there: the same.  The bytes are the same made by a forked
helper and its second process, or all in one process, or with the helper failing; every page is
the one-process page.  Started where it never meets the first
layout, the second is abandoned after its probed pages, in one process as in two: three parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reportgen.render import latenumbers, pagemeet, pdfjoin, rowpages
from reportgen.render import pdf as pdf_module
from tests.render.conftest import Office
from tests.render.test_pdf import pytestmark as needs_poppler
from tests.render.test_pdf_split import _pages, _text

pytestmark = needs_poppler


@pytest.fixture(scope="module")
def starts(december: Office) -> list[int]:
    """The ledger row each page of 附件1 after its first starts at, in the one layout."""
    html, fonts, root = december
    part = pdfjoin.split_parts(pdf_module._typeset(html))[1]
    found: list[int] = []

    def pages_of(made: Any, context: Any, _root: Any) -> tuple[list[Any], int, int]:
        pages = list(made)
        found.extend(pagemeet._key(entry[0])[-1] for entry in context.page_maker[1 : len(pages)])  # type: ignore[index]
        return pages, 1, 0

    with latenumbers.kept_pages(pages_of):
        pdf_module._Renderer(fonts, root).layout(part)
    return found


def _render(december: Office, patch: pytest.MonkeyPatch, helper: bool) -> tuple[bytes, int]:
    """The notice in parts, its second layout from 1 row left on; the number of parts joined."""
    parts: list[int] = []
    join = pdf_module.join

    def counted(pdfs: Sequence[bytes]) -> bytes:
        parts.append(len(pdfs))
        return join(pdfs)

    patch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    patch.setattr(pagemeet, "MIN_ROWS", 1)
    patch.setattr(pdf_module, "join", counted)
    pdf = pdf_module.html_to_pdf(*december, helper=helper)
    return pdf, parts[0]


def test_the_guessed_page_starts_are_the_layouts(december: Office, starts: list[int]) -> None:
    assert len(starts) == 8
    html, fonts, root = december
    part = pdfjoin.split_parts(pdf_module._typeset(html))[1]
    guessed: list[int | None] = []

    def pages_of(made: Any, context: Any, root_box: Any) -> tuple[list[Any], int, int]:
        pages = list(made)
        key = pagemeet._key(context.page_maker[2][0])
        assert key is not None
        group = root_box
        for index in key[:-1]:
            group = group.children[index]
        row: int | None = key[-1]
        while row is not None:
            guessed.append(row)
            row = rowpages.guess(pages[1], group, row, row + 1)
        return pages, 1, 0

    with latenumbers.kept_pages(pages_of):
        pdf_module._Renderer(fonts, root).layout(part)
    assert guessed == starts[1:]


@pytest.mark.parametrize("second", [None, 81])
def test_met_in_two_processes_or_one_the_same_bytes_and_pages(
    december: Office, single: bytes, second: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if second is not None:  # B from row 81 meets A at row 110 after two pages (tr:last-child breaks there)
        monkeypatch.setattr(rowpages, "guess", lambda page, group, start, target: second)
    forked, forked_parts = _render(december, monkeypatch, helper=True)
    here, here_parts = _render(december, monkeypatch, helper=False)
    monkeypatch.setattr(pdf_module, "_help", lambda *args: pdf_module.os._exit(1))
    failed, _ = _render(december, monkeypatch, helper=True)
    assert (forked_parts, here_parts) == (4, 4)
    assert forked == here == failed
    pages = _pages(single, tmp_path / "single")
    assert len(pages) == 24
    assert _pages(forked, tmp_path / "split") == pages
    assert _text(forked, tmp_path / "split.pdf") == _text(single, tmp_path / "single.pdf")


def test_without_a_meeting_one_pdf_for_the_attachment_in_two_processes_or_one(
    december: Office, single: bytes, starts: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between two page starts of a ledger of even rows: the layouts keep their offset.
    monkeypatch.setattr(rowpages, "guess", lambda page, group, start, target: starts[3] + 5)
    forked, forked_parts = _render(december, monkeypatch, helper=True)
    here, here_parts = _render(december, monkeypatch, helper=False)
    assert (forked_parts, here_parts) == (3, 3)
    assert forked == here
    assert _pages(forked, tmp_path / "split") == _pages(single, tmp_path / "single")


@pytest.mark.parametrize(
    ("text", "room", "count"),
    [
        ("川汇信恒机械设备有限公司", 7.16, 2),
        ("招商引资奖励资金", 7.16, 2),
        ("招商引资奖励资", 7.16, 1),
        ("办理中\n（超期）", 4.05, 2),
        ("一二三四五六七，", 7.16, 2),
        ("Q00039", 3.65, 1),
        ("8月10日", 3.85, 1),
        ("", 3.0, 1),
    ],
)
def test_lines_of_a_cell(text: str, room: float, count: int) -> None:
    assert rowpages.lines(text, room) == count


def test_one_pdf_job_or_two_the_same_bytes(december: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    # One job: a core is free, the helper and its second process make 附件1; two jobs: each worker alone.
    html, fonts, root = december
    monkeypatch.setattr(pdf_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    monkeypatch.setattr(pagemeet, "MIN_ROWS", 1)
    one = dict(pdf_module.render_pdfs([("a.pdf", html)], fonts, root, 1))
    two = dict(pdf_module.render_pdfs([("a.pdf", html), ("b.pdf", html)], fonts, root, 2))
    assert isinstance(one["a.pdf"], bytes)
    assert one["a.pdf"] == two["a.pdf"] == two["b.pdf"]
