"""Fixtures of the render tests: the office's records, rendered once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import pdf as pdf_module
from reportgen.render.bulletins import bulletin_info, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.render.fonts import FontSet, font_set
from reportgen.validate import check_repository
from tests.render.fixture import load

SAMPLE = Path(__file__).resolve().parents[2] / "records"
Office = tuple[str, FontSet, Path]  # a notice's print HTML, the office's fonts, its folder


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """The render fixture office (scenario + bulletin texts)."""
    return load(tmp_path_factory.mktemp("office") / "records")


@pytest.fixture
def fresh_root(tmp_path: Path) -> Path:
    """A folder for an office a test changes."""
    return tmp_path / "records"


@pytest.fixture(scope="session")
def december(tmp_path_factory: pytest.TempPathFactory) -> Office:
    """The sample's December notice: its print HTML, the office's fonts and its folder (a copy)."""
    root = tmp_path_factory.mktemp("sample") / "records"
    shutil.copytree(SAMPLE, root)
    records = check_repository(root).records
    info = bulletin_info(records, "monthly", parse_period("2021-12"), with_pdf=True)
    html = render_bulletin_html(records, StatsEngine(records), info, template_environment(None), "public")
    return html, font_set(records), root


@pytest.fixture(scope="session")
def single(december: Office) -> bytes:
    """That notice's PDF, made in this process."""
    return pdf_module.html_to_pdf(*december)
