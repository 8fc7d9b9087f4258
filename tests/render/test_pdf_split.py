"""A notice rendered in two processes and joined (render/pdfjoin.py) is the notice rendered in one.

The September notice is split whatever its ledger's length (``SPLIT_ROWS`` lowered to 1) and
compared with its single-process PDF: every page at 50 dpi, the text, the outline, the fonts,
and the structure tree of every page.  Two split renders give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from reportgen.model import Records
from reportgen.render import pdf as pdf_module
from reportgen.render import pdfjoin
from reportgen.render.fonts import font_set
from reportgen.render.pdf import html_to_pdf
from tests.render.fixture import render
from tests.render.test_pdf import pytestmark as needs_poppler

pytestmark = needs_poppler


@pytest.fixture(scope="module")
def notice(records: Records) -> str:
    _, html = render(records, "monthly", "2021-09")
    return html


@pytest.fixture(scope="module")
def single(records: Records, notice: str) -> bytes:
    return html_to_pdf(notice, font_set(records), records.root)


def _by_helpers(records: Records, notice: str, **limits: int) -> list[bytes]:
    """Two renders of the notice in parts, with ``pdfjoin``'s ``limits`` (row counts) lowered; nothing may be made here
    instead of by a forked helper (checked)."""
    joined = []
    with pytest.MonkeyPatch.context() as patch:
        for name, rows in limits.items():
            patch.setattr(pdfjoin, name, rows)
        made_here = []
        here = pdf_module._Made.here

        def spy(source: str, render: Any, first: int) -> Any:
            made_here.append(source)
            return here(source, render, first)

        patch.setattr(pdf_module._Made, "here", spy)
        for _ in range(2):
            joined.append(html_to_pdf(notice, font_set(records), records.root))
    assert made_here == []
    return joined


@pytest.fixture(scope="module")
def split(records: Records, notice: str) -> list[bytes]:
    """Two renders of the notice in parts, 附件1 by a forked helper."""
    return _by_helpers(records, notice, SPLIT_ROWS=1)


def _pages(pdf: bytes, folder: Path) -> list[str]:
    """The MD5 of each page rasterised at 50 dpi."""
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(folder / "doc.pdf"), str(folder / "p")], check=True)
    return [hashlib.md5(page.read_bytes()).hexdigest() for page in sorted(folder.glob("p-*.png"))]


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_split_pages_and_text_are_the_single_process_ones(single: bytes, split: list[bytes], tmp_path: Path) -> None:
    pages = _pages(single, tmp_path / "single")
    assert len(pages) > 3
    assert _pages(split[0], tmp_path / "split") == pages
    assert _text(split[0], tmp_path / "split.pdf") == _text(single, tmp_path / "single.pdf")


def test_split_render_is_byte_stable(split: list[bytes]) -> None:
    assert split[0] == split[1]


def _outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every outline entry, in order."""
    pages = [page.obj.objgen for page in pdf.pages]
    with pdf.open_outline() as outline:

        def walk(items: list[Any], depth: int) -> list[tuple[int, str, int]]:
            found = []
            for item in items:
                found.append((depth, item.title, pages.index(item.destination[0].objgen)))
                found += walk(item.children, depth + 1)
            return found

        return walk(outline.root, 0)


def test_split_outline_lands_on_the_same_pages(single: bytes, split: list[bytes]) -> None:
    expected = _outline(_open(single))
    assert len(expected) > 3
    assert _outline(_open(split[0])) == expected


def _open(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.Pdf.open(io.BytesIO(pdf))


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]


def test_split_fonts_are_embedded_subsets_with_distinct_names(split: list[bytes]) -> None:
    joined = _open(split[0])
    fonts = [font for font in _fonts(joined) if "/DescendantFonts" in font]
    names = [str(font.BaseFont) for font in fonts]
    assert len(fonts) > 4
    assert len(set(names)) == len(names)
    for font in fonts:
        descriptor = font.DescendantFonts[0].FontDescriptor
        assert str(descriptor.FontName) == str(font.BaseFont)
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3"))


def _marked(page: pikepdf.Page) -> set[int]:
    """The MCIDs of the page's marked content."""
    found = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            found.add(int(operands[1].MCID))
    return found


def _reached(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """Page index → the MCIDs the structure tree reaches from its root down (each element visited once)."""
    pages = [page.obj.objgen for page in pdf.pages]
    found: dict[int, set[int]] = {}
    seen: set[tuple[int, int]] = set()

    def walk(kid: Any, page: Any) -> None:
        if isinstance(kid, int):
            found.setdefault(pages.index(page.objgen), set()).add(kid)
        elif isinstance(kid, pikepdf.Array):
            for item in kid:
                walk(item, page)
        elif kid.get("/Type") == "/MCR":
            found.setdefault(pages.index(kid.get("/Pg", page).objgen), set()).add(int(kid.MCID))
        elif "/K" in kid:
            assert kid.objgen not in seen
            seen.add(kid.objgen)
            walk(kid.K, kid.get("/Pg", page))

    walk(pdf.Root.StructTreeRoot.K, None)
    return found


def test_split_structure_tree_reaches_every_marked_item(single: bytes, split: list[bytes]) -> None:
    whole, joined = _open(single), _open(split[0])
    tree = joined.Root.StructTreeRoot
    (document,) = tree.K
    nums = tree.ParentTree.Nums
    parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    assert sorted(parents) == list(range(len(joined.pages)))
    for index, page in enumerate(joined.pages):
        marked = _marked(page)
        assert marked == _marked(whole.pages[index])
        elements = parents[int(page.obj.StructParents)]
        # Every marked item has its element, on this page, and a parent chain up to the one Document.
        assert set(range(len(elements))) == marked
        for element in elements:
            assert element.Pg.objgen == page.obj.objgen
            while element.objgen != document.objgen:
                element = element.P
    # From the root down: what the single-process file reaches (WeasyPrint lists no margin box there).
    assert _reached(joined) == _reached(whole)
    assert sum(len(ids) for ids in _reached(joined).values()) > 100


def test_a_failing_helper_gives_the_same_pdf(
    records: Records, notice: str, split: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    monkeypatch.setattr(pdf_module, "_help", lambda *args: pdf_module.os._exit(1))
    assert html_to_pdf(notice, font_set(records), records.root) == split[0]


def test_the_rest_is_laid_out_before_the_helper_tells_its_page_count(
    records: Records, notice: str, split: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    events: list[str] = []
    layout, pages = pdf_module._Renderer.layout, pdf_module._Helper.pages

    def laid_out(render: Any, source: str, *args: Any) -> Any:
        events.append("附件2–3" if 'class="banji' in source else "body")  # the last part has the 版记
        return layout(render, source, *args)

    def told(helper: Any) -> int | None:
        events.append("page count")
        return pages(helper)

    monkeypatch.setattr(pdf_module._Renderer, "layout", laid_out)
    monkeypatch.setattr(pdf_module._Helper, "pages", told)
    assert html_to_pdf(notice, font_set(records), records.root) == split[0]
    # the rest ends on an odd page: moving its 版记 to an even one needs its side, so it is laid out again, numbered
    assert events == ["body", "附件2–3", "page count", "附件2–3"]


def test_without_fork_the_parts_are_made_here_the_same(
    records: Records, notice: str, split: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    monkeypatch.setattr(pdf_module, "_can_fork", lambda: False)
    assert html_to_pdf(notice, font_set(records), records.root) == split[0]


def test_without_a_helper_the_parts_are_made_here_the_same(
    records: Records, notice: str, split: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    monkeypatch.setattr(pdf_module, "_Helper", None)  # called, it would fail the render
    assert html_to_pdf(notice, font_set(records), records.root, helper=False) == split[0]


@pytest.fixture(scope="module")
def long_rest(records: Records, notice: str) -> list[bytes]:
    """Two renders with the rest (附件2–3) as long (``LONG_REST_ROWS`` lowered to 1): by a helper of its own, as
    附件1 is."""
    return _by_helpers(records, notice, SPLIT_ROWS=1, LONG_REST_ROWS=1)


def test_a_long_rest_by_its_own_helper_gives_the_notice_s_pages(
    single: bytes, long_rest: list[bytes], tmp_path: Path
) -> None:
    assert _pages(long_rest[0], tmp_path / "long") == _pages(single, tmp_path / "single")
    assert _text(long_rest[0], tmp_path / "long.pdf") == _text(single, tmp_path / "single.pdf")
    assert long_rest[0] == long_rest[1]


@pytest.mark.parametrize("way", ["no fork", "failing helpers"])
def test_a_long_rest_made_here_is_the_same_pdf(
    records: Records, notice: str, long_rest: list[bytes], way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfjoin, "SPLIT_ROWS", 1)
    monkeypatch.setattr(pdfjoin, "LONG_REST_ROWS", 1)
    if way == "no fork":
        monkeypatch.setattr(pdf_module, "_can_fork", lambda: False)
    else:
        monkeypatch.setattr(pdf_module, "_help", lambda *args: pdf_module.os._exit(1))
    assert html_to_pdf(notice, font_set(records), records.root) == long_rest[0]


def test_long_rest_counts_the_last_part_s_rows() -> None:
    rows = "<tr><td>1</td></tr>" * pdfjoin.LONG_REST_ROWS
    assert pdfjoin.long_rest(["正文", "附件1", f"<table>{rows}</table>"])
    assert not pdfjoin.long_rest(["正文", "附件1", f"<table>{rows[len('<tr><td>1</td></tr>') :]}</table>"])
    assert not pdfjoin.long_rest(["正文", f"<table>{rows}</table>"])


@pytest.mark.parametrize(("jobs", "helper"), [(1, True), (2, False), (3, False)])
def test_a_helper_only_while_a_core_has_no_pdf(
    records: Records, jobs: int, helper: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html, **state: repr(state["helper"]).encode())
    made = pdf_module.render_pdfs([(f"{n}.pdf", "") for n in range(jobs)], font_set(records), records.root, 1)
    assert dict(made) == {f"{n}.pdf": repr(helper).encode() for n in range(jobs)}


def test_split_parts_cuts_before_the_first_two_attachments() -> None:
    head = '<html><head></head>\n<body class="monthly">\n'
    sections = [f'<section class="attachment">\n附件{n}\n</section>\n' for n in (1, 2, 3)]
    end = "</body>\n</html>\n"
    assert pdfjoin.split_parts(head + "正文\n" + "".join(sections) + end) == [
        head + "正文\n" + end,
        head + sections[0] + end,
        head + sections[1] + sections[2] + end,
    ]
    assert pdfjoin.split_parts(head + "正文\n" + end) == [head + "正文\n" + end]


def test_worth_splitting_counts_the_ledger_rows() -> None:
    rows = "<tr><td>1</td></tr>" * pdfjoin.SPLIT_ROWS
    assert pdfjoin.worth_splitting(["正文", f"<table>{rows}</table>", "附件2"])
    assert not pdfjoin.worth_splitting(["正文", f"<table>{rows[len('<tr><td>1</td></tr>') :]}</table>", "附件2"])
    assert not pdfjoin.worth_splitting(["正文", f"<table>{rows}</table>"])


def test_numbered_sets_the_first_page_and_its_side() -> None:
    head = "<html><head><style>p {}</style></head>\n<body>\n"
    assert pdfjoin.numbered(head, 1) == head
    assert pdfjoin.numbered(head, 13) == head.replace(
        "</head>", "<style>@page :first { counter-increment: page 13; }</style></head>"
    )
    assert pdfjoin.numbered(head, 10) == head.replace(
        "</head>", "<style>@page :first { counter-increment: page 10; } html { break-before: left; }</style></head>"
    )
