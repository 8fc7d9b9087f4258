"""The office's own templates/ folder overrides package templates by name."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from reportgen.render.environment import template_environment
from tests.render.fixture import load, render


def test_user_template_overrides_one_template(fresh_root: Path) -> None:
    records = load(fresh_root)
    override = fresh_root / "templates" / "bulletin" / "macros.html.j2"
    override.parent.mkdir(parents=True)
    package = Path(template_environment(None).loader.searchpath[-1])  # type: ignore[union-attr]
    text = (package / "bulletin" / "macros.html.j2").read_text(encoding="utf-8")
    override.write_text(
        text.replace('<h1 class="f-xbs">指标解释</h1>', '<h1 class="f-xbs">指标解释（本办版式）</h1>'), encoding="utf-8"
    )
    _, monthly = render(records, "monthly", "2021-09")
    assert "指标解释（本办版式）" in monthly
    assert "一、总体情况" in monthly  # everything else still from the package


def test_package_templates_without_user_folder(fresh_root: Path) -> None:
    records = load(fresh_root)
    _, html = render(records, "monthly", "2021-09")
    assert "（本办版式）" not in html


def test_environment_is_strict_and_escapes() -> None:
    env = template_environment(None)
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ 0.654 | percent }} {{ '2021-09-30' | date_zh }}").render() == "65.4% 2021年9月30日"
