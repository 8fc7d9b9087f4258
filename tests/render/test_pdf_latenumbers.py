"""A part laid out before its first page number is known (render/latenumbers.py) is the part numbered beforehand.

附件1 and the rest of the test office's September notice, laid out as if from page 1 and told
their first page (odd: the page counter moved on; even: the sides turned as well) once their
pages are made, give the bytes of the same part numbered from that page in its HTML
(``pdfjoin.numbered``).  Where that cannot be done, ``_layout_from`` lays the part out again,
numbered: the same bytes.
"""

from __future__ import annotations

from typing import Any

import pytest

from reportgen.model import Records
from reportgen.render import latenumbers, pagemeet, pdfjoin
from reportgen.render import pdf as pdf_module
from reportgen.render.fonts import font_set
from tests.render.fixture import render

# A page whose own style depends on its side: its pages cannot be turned after their layout.
_SIDED = "<style>@page :left { margin-left: 30mm; }</style></head>"


@pytest.fixture(scope="module")
def parts(records: Records) -> list[str]:
    _, html = render(records, "monthly", "2021-09")
    return pdfjoin.split_parts(pdf_module._typeset(html))


@pytest.fixture(scope="module")
def renderer(records: Records) -> Any:
    return pdf_module._Renderer(font_set(records), records.root)


def _numbered_late(first: int) -> Any:
    """Within: a part laid out is numbered from page ``first`` once its pages are made."""
    return latenumbers.kept_pages(lambda made, _context, _root: (list(made), first, 0))


def _numbered_before(renderer: Any, part: str, first: int) -> bytes:
    document, _ = renderer.layout(pdfjoin.numbered(part, first))
    return bytes(renderer.write(document))


@pytest.mark.parametrize(("index", "first", "pages"), [(1, 13, 1), (1, 10, 1), (2, 3, 6), (2, 17, 6)])
def test_numbered_late_gives_the_part_numbered_before(
    renderer: Any, parts: list[str], index: int, first: int, pages: int
) -> None:
    with _numbered_late(first):
        document, _ = renderer.layout(parts[index])
    assert len(document.pages) == pages
    assert renderer.write(document) == _numbered_before(renderer, parts[index], first)


def test_the_first_page_is_asked_once_every_page_is_made_and_before_any_margin_box(
    renderer: Any, parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint import layout

    events: list[str] = []
    margins = layout.make_margin_boxes

    def margin_boxes(context: Any, page: Any, state: Any) -> Any:
        events.append(f"margins {state[1]['page'][0]}")
        return margins(context, page, state)

    def first() -> int:
        events.append("asked")
        return 11

    monkeypatch.setattr(layout, "make_margin_boxes", margin_boxes)
    document, _ = pdf_module._layout_from(parts[2], renderer, pagemeet.Meeting(first))
    assert len(document.pages) == 6
    assert events == ["asked", *(f"margins {n}" for n in range(11, 17))]


def test_a_side_dependent_page_is_laid_out_again_numbered(renderer: Any, parts: list[str]) -> None:
    sided = parts[2].replace("</head>", _SIDED, 1)
    with pytest.raises(latenumbers.Unsupported), _numbered_late(10):
        renderer.layout(sided)
    asked: list[int] = []
    document, _ = pdf_module._layout_from(sided, renderer, pagemeet.Meeting(lambda: asked.append(10) or 10))
    assert asked == [10]
    assert renderer.write(document) == _numbered_before(renderer, sided, 10)


def test_a_banji_moved_to_an_even_page_is_laid_out_again_numbered(renderer: Any, parts: list[str]) -> None:
    # from page 2 the rest's text ends on page 6, its 版记 alone on page 7, an odd one: past a blank page, to 8
    with pytest.raises(latenumbers.Unsupported, match="a break to a left or right page"), _numbered_late(2):
        renderer.layout(parts[2])
    document, _ = pdf_module._layout_from(parts[2], renderer, pagemeet.Meeting(lambda: 2))
    assert [page._page_box.page_type.blank for page in document.pages] == [False] * 5 + [True, False]
    assert renderer.write(document) == _numbered_before(renderer, parts[2], 2)


def test_without_the_hook_the_part_is_laid_out_numbered(
    renderer: Any, parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(latenumbers, "available", lambda: False)
    with pytest.raises(latenumbers.Unsupported), _numbered_late(10):
        pass
    document, _ = pdf_module._layout_from(parts[1], renderer, pagemeet.Meeting(lambda: 10))
    assert renderer.write(document) == _numbered_before(renderer, parts[1], 10)


def test_the_hook_is_there() -> None:
    assert latenumbers.available()
