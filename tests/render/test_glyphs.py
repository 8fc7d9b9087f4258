"""A character no font has is an error naming the record, file and field it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import reportgen.render.fonts as fonts_module
from reportgen.problems import Severity
from reportgen.render.fonts import check_glyphs, font_set
from tests.compute.scenario import history
from tests.render.fixture import load, render


def _with_title(title: str) -> dict[str, object]:
    return {
        "issues/2021-09/Q0006.yaml": {
            "id": "Q0006",
            "enterprise": "E002",
            "raised": dt.date(2021, 9, 20),
            "source": "走访",
            "category": "其他",
            "title": title,
            "description": "情况说明。",
            "lead_department": "D03",
            "history": history((dt.date(2021, 9, 20), "问题收集")),
        }
    }


def test_clean_bulletin_has_no_problem(fresh_root: Path) -> None:
    records = load(fresh_root)
    info, html = render(records, "monthly", "2021-09")
    assert check_glyphs(records, html, font_set(records), info) == []


def test_private_use_character_is_an_error(fresh_root: Path) -> None:
    records = load(fresh_root, _with_title("标牌\ue000问题"))
    info, html = render(records, "monthly", "2021-09")
    problems = check_glyphs(records, html, font_set(records), info)
    assert problems, "U+E000 must be reported"
    (problem,) = problems
    assert problem.code == "E701" and problem.severity is Severity.ERROR
    assert problem.record == "Q0006" and problem.field == "title"
    assert problem.file.endswith("issues/2021-09/Q0006.yaml")
    assert problem.line > 1
    assert "U+E000" in problem.message()


def test_missing_glyphs_can_be_a_warning(fresh_root: Path) -> None:
    records = load(fresh_root, _with_title("标牌\ue000问题"), config={"missing_glyphs": "warning"})
    info, html = render(records, "monthly", "2021-09")
    (problem,) = check_glyphs(records, html, font_set(records), info)
    assert problem.code == "W701" and problem.severity is Severity.WARNING


def test_rare_but_covered_character_passes(fresh_root: Path) -> None:
    records = load(fresh_root, _with_title("𰻞𰻞面馆用电"))  # U+30EDE: Noto CJK has it
    info, html = render(records, "monthly", "2021-09")
    assert check_glyphs(records, html, font_set(records), info) == []


def test_a_clean_bulletin_is_cleared_without_parsing_it(fresh_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = load(fresh_root)
    info, html = render(records, "monthly", "2021-09")

    def no_parse(html: str) -> dict[str, set[str]]:
        raise AssertionError("every character is in every role's fonts: no per-role analysis needed")

    monkeypatch.setattr(fonts_module, "text_by_role", no_parse)
    assert check_glyphs(records, html, font_set(records), info) == []
