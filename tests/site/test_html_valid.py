"""The Nu HTML Checker finds no error in any generated page.

The checker is a Java program from the npm package vnu-jar; ``scripts/dev.sh test``
installs it into .cache/vnu.  Without java or the jar the test is skipped, saying why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["tests.site.fixtures"]

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MAX_LISTS = 200  # list pages share one template: beyond this many, check those of the whole office only


def pages_to_check(site: Path) -> list[Path]:
    """Every page, except that a big site's unit-level list pages are left to the small fixture's run."""
    pages = sorted(site.rglob("*.html"))
    lists = [p for p in pages if p.relative_to(site).parts[0] == "lists"]
    if len(lists) > MAX_LISTS:
        pages = [p for p in pages if p not in lists or p.relative_to(site).parts[1] == "all"]
    return pages


def test_nu_html_checker_finds_no_errors(site_dir: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("没有 java：Nu HTML Checker 需要 Java（apt install default-jre-headless）")
    if not VNU.is_file():
        pytest.skip(
            f"没有 {VNU.relative_to(REPO)}：运行 scripts/dev.sh test，或 npm install --prefix .cache/vnu vnu-jar"
        )
    pages = pages_to_check(site_dir)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:5000]
