"""The lean user-agent stylesheet (``uasheet``): the same PDF, and WeasyPrint's own where a document may need it."""

from __future__ import annotations

import pytest
import weasyprint

from reportgen.render import pdf as pdf_module
from reportgen.render import uasheet
from tests.render.conftest import Office


def test_the_notice_is_the_same_pdf_with_weasyprint_s_own_stylesheet(
    december: Office, single: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pdf_module._styling(december[1]).lean_sheet is not None  # the notice was made with the lean one
    monkeypatch.setattr(pdf_module, "_STYLING", [])
    monkeypatch.setattr(uasheet, "lean_sheet", lambda _text: None)
    assert pdf_module.html_to_pdf(*december) == single


def test_the_lean_stylesheet_leaves_out_the_rules_for_pseudo_elements_of_every_element() -> None:
    sheet = uasheet.lean_sheet("p { color: black }")
    element = weasyprint.HTML(string="<p>x</p><ul><li>y</li></ul>").wrapper_element
    paragraph, item = element.query("p"), element.query("li")
    assert paragraph is not None and item is not None
    pseudo = {match[2] for match in sheet.matcher.match(paragraph)}
    assert pseudo == {None}
    assert "marker" in {match[2] for match in sheet.matcher.match(item)}


@pytest.mark.parametrize(
    "said",
    [
        "<style>aside { float: footnote }</style>",
        '<p style="position: note()">',
        "<style>dt { display: list-item }</style>",
    ],
)
def test_a_document_that_may_have_those_pseudo_elements_gets_weasyprint_s_own(said: str) -> None:
    sheet = uasheet.lean_sheet("p { color: black }")
    assert type(uasheet.html(f"<html><head>{said}</head><body><p>x</p></body></html>", sheet)) is weasyprint.HTML
    assert type(uasheet.html("<p>x</p>", sheet)) is not weasyprint.HTML
    assert uasheet.lean_sheet(said) is None
