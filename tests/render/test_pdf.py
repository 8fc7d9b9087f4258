"""The PDFs: pages, embedded subset fonts from the allow-list, text, and identical bytes.

Only three PDFs are made (the September notice twice, the Q3 review once) to keep the
suite fast.  Without libharfbuzz-subset0 WeasyPrint silently falls back to a subsetter ~10×
slower (FINDINGS.md): a test asserts the fast one is loaded instead of timing a render.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.model import Records
from reportgen.render import pdf as pdf_module
from reportgen.render.fonts import font_set
from reportgen.render.pdf import FetchRefused, html_to_pdf, restricted_fetcher, warm_up
from tests.render.fixture import render

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
ALLOWED_FONTS = re.compile(
    r"^[A-Z]{6}\+(Noto-Serif-CJK-SC(-Bold)?|Noto-Sans-CJK-SC|LXGW-WenKai|AR-PL-UKai-CN|reportgen-\w+)$"
)


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def monthly_pdf(records: Records, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    _, html = render(records, "monthly", "2021-09")
    pdf = html_to_pdf(html, font_set(records), records.root)
    path = tmp_path_factory.mktemp("pdf") / "2021-09-monthly.pdf"
    path.write_bytes(pdf)
    return path, pdf


def test_fast_font_subsetter_is_loaded() -> None:
    # WeasyPrint uses HarfBuzz's subsetter only when libharfbuzz-subset0 loads and HarfBuzz is ≥ 4.1
    # (weasyprint/pdf/fonts.py); otherwise fontTools, and a small notice takes ~11 s instead of < 1 s.
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "libharfbuzz-subset0 is not installed: PDFs would be ~10× slower"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_monthly_pdf_is_deterministic(records: Records, monthly_pdf: tuple[Path, bytes]) -> None:
    # The fixture's first render made the process's font configuration and stylesheet; later
    # renders reuse them (pdf._styling) and must give the same bytes.
    _, html = render(records, "monthly", "2021-09")
    assert html_to_pdf(html, font_set(records), records.root) == monthly_pdf[1]


def test_monthly_pdf_pages_fonts_text(monthly_pdf: tuple[Path, bytes]) -> None:
    path = monthly_pdf[0]
    info = _run("pdfinfo", path)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 5 <= pages <= 14
    assert re.search(r"^Title:\s+关于2021年9月份“万人助万企”活动开展情况的通报", info, re.M)
    assert re.search(r"^Author:\s+测试区“万人助万企”活动领导小组办公室", info, re.M)
    assert "CreationDate:    Fri Oct  8" in info or "2021" in info.split("CreationDate:")[1].splitlines()[0]
    fonts = _run("pdffonts", path).splitlines()[2:]
    assert fonts
    for line in fonts:
        name, *rest = line.split()
        assert ALLOWED_FONTS.match(name), f"unexpected font {name}"
        assert rest[-5:-3] == ["yes", "yes"], f"{name} not embedded as a subset"
    text = _run("pdftotext", "-layout", path, "-")
    for needle in ("测助企〔2021〕9号", "开展情况的通报", "截至2021年9月30日", "40.0%", "附件1", "逾期问题清单"):
        assert needle in text, needle
    assert re.search(r"—\s*1\s*—", text)


def test_quarterly_pdf(records: Records, tmp_path: Path) -> None:
    _, html = render(records, "quarterly", "2021-Q3")
    path = tmp_path / "q3.pdf"
    path.write_bytes(html_to_pdf(html, font_set(records), records.root))
    text = _run("pdftotext", path, "-")
    assert "第三季度" in text and "法治服务成效" in text


def test_styling_is_made_once_per_font_set(records: Records) -> None:
    fonts = font_set(records)
    styling = pdf_module._styling(fonts)
    assert pdf_module._styling(fonts) is styling
    other = dataclasses.replace(fonts, fallbacks=fonts.fallbacks[:1])
    assert other.css() != fonts.css()
    assert pdf_module._styling(other) is not styling
    assert pdf_module._styling(fonts) is not styling  # one kept per process: the latest
    assert pdf_module._styling(fonts).key == styling.key


def _small_pdf(html: str) -> bytes:
    return html_to_pdf(html, _FORK_STATE["fonts"], pdf_module.PACKAGE_DIR)


_FORK_STATE: dict[str, object] = {}


def test_workers_forked_after_warm_up_give_the_same_bytes(records: Records) -> None:
    """What the build's PDF pool may do: warm up in the parent, then fork (Pango state is inherited)."""
    fonts = font_set(records)
    warm_up(fonts)
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="dcterms.created" content="2021-11-30T00:00:00+08:00">'
        f"<style>{pdf_module.BULLETIN_CSS.read_text(encoding='utf-8')}</style></head>"
        f"<body>{pdf_module._WARM_UP_BODY}</body></html>"
    )
    _FORK_STATE["fonts"] = fonts
    in_parent = _small_pdf(html)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(_small_pdf, [html, html]) == [in_parent, in_parent]


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    fetch = restricted_fetcher([tmp_path])
    (tmp_path / "ok.css").write_text("p{}", encoding="utf-8")
    assert fetch((tmp_path / "ok.css").as_uri()).read() == b"p{}"
    for url in (
        "https://example.org/x.css",
        "http://127.0.0.1/",
        "file:///etc/passwd",
        (tmp_path / ".." / "x").as_uri(),
    ):
        with pytest.raises(FetchRefused):
            fetch(url)
