"""Hostile content through ``build --no-pdf`` (and the PDF renderer): escaped, sanitised, literal
template syntax, long lines that wrap, and never a network fetch or a read outside the allowed folders.
"""

from __future__ import annotations

import html.parser
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from content import CASES, LONG, LONG_MD, ContentCase, read_tree, write_content_repository
from harness import isolated, log

from reportgen.publish.build import BuildOptions, build
from reportgen.render import pdf as pdf_module

MARKUP_SUFFIXES = (".html", ".atom", ".xml", ".svg")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The content repository built once (HTML only), in a child with a time limit."""
    base = tmp_path_factory.mktemp("content")
    root = write_content_repository(base / "records")
    out = base / "out"

    def run() -> tuple[bool, str | None, list[str]]:
        result = build(BuildOptions(root, out, pdf=False))
        return result.ok, result.error, [p.message() for p in result.report.errors]

    outcome = isolated(run, timeout=120)
    log("content", "build --no-pdf", outcome, outcome.status == "ok" and outcome.value[0])
    assert outcome.status == "ok", outcome.error
    ok, error, problems = outcome.value
    assert ok, (error, problems)
    return read_tree(out)


def _markup(tree: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    return ((path, data) for path, data in tree.items() if path.endswith(MARKUP_SUFFIXES))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_content_case(built: dict[str, bytes], case: ContentCase) -> None:
    page = built[case.output].decode("utf-8")
    found = case.expected in page
    leaks = sorted(path for f in case.forbidden for path, data in _markup(built) if f.encode() in data)
    log("content", case.name, _fake_outcome(), found and not leaks)
    assert found, f"{case.expected!r} not in {case.output}"
    assert not leaks, leaks


def _fake_outcome() -> Any:
    from harness import Outcome

    return Outcome("ok", None, "", 0.0, 0.0, 0.0)


def test_no_script_element_except_the_sites_own(built: dict[str, bytes]) -> None:
    for path, data in _markup(built):
        for tag in re.findall(rb"<script\b[^>]*>", data, re.IGNORECASE):
            assert re.fullmatch(rb'<script src="[./]*static/[a-z]+\.js"( defer)?>', tag), (path, tag)


class _Attributes(html.parser.HTMLParser):
    """Every attribute of every element, as the browser would see it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)


def test_no_event_handler_or_dangerous_scheme(built: dict[str, bytes]) -> None:
    for path, data in _markup(built):
        if not path.endswith(".html"):
            continue
        parser = _Attributes()
        parser.feed(data.decode("utf-8"))
        for tag, name, value in parser.found:
            assert not name.startswith("on"), (path, tag, name, value)
            if name in ("href", "src", "action", "formaction", "data"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)[0]
                assert scheme not in ("javascript", "vbscript", "data"), (path, tag, name, value)
            if name == "style":
                assert not re.search(r"expression\(|javascript:|url\(", value, re.IGNORECASE), (path, tag, value)


def test_long_lines_appear_whole_and_the_css_wraps_them(built: dict[str, bytes]) -> None:
    assert LONG.encode() in built["ledger.html"]
    assert LONG_MD.encode() in built["bulletins/2021-08-monthly.html"]
    site_css = built["static/site.css"].decode()
    assert re.search(r"overflow-wrap:\s*anywhere", site_css), "site.css must break words without spaces"
    bulletin = built["bulletins/2021-08-monthly.html"].decode()
    assert '<link rel="stylesheet" href="../static/site.css">' in bulletin, "the bulletin's web page wraps by site.css"


def test_xml_outputs_are_well_formed(built: dict[str, bytes]) -> None:
    import xml.dom.minidom

    for path, data in built.items():
        if path.endswith((".atom", ".xml", ".svg")):
            xml.dom.minidom.parseString(data)


# -- the PDF renderer: no network, nothing outside the allowed folders ------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request (there must be none)."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    finally:
        server.shutdown()
        server.server_close()


def _hostile_html(base: str, secret: Path) -> str:
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title>
<link rel="stylesheet" href="{base}/style.css">
<style>
@import url("{base}/import.css");
@font-face {{ font-family: Evil; src: url("{base}/font.ttf"); }}
body {{ background: url("{base}/bg.png"); font-family: Evil, serif; }}
p.secret {{ background: url("file://{secret}"); }}
</style></head><body>
<p class="secret">通报正文：走访企业。</p>
<img src="{base}/img.png"><img src="file:///etc/passwd"><img src="../../../../etc/passwd">
<img src="{secret}"><img src="file://localhost{secret}">
<object data="{base}/obj.svg"></object><iframe src="{base}/frame.html"></iframe>
<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg.png" width="10" height="10"/></svg>
</body></html>"""


def test_pdf_fetches_nothing_from_the_network_or_outside(
    loopback: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen.render.fonts import font_set

    base, seen = loopback
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(b"SECRET-OUTSIDE")
    records = tmp_path / "records"
    records.mkdir()
    asked: list[tuple[str, str]] = []
    real = pdf_module.restricted_fetcher

    def recording(allowed: Any) -> Any:
        fetcher = real(allowed)
        fetch = fetcher.fetch

        def wrapper(url: str, *args: Any, **kwargs: Any) -> Any:
            try:
                answer = fetch(url, *args, **kwargs)
            except pdf_module.FetchRefused:
                asked.append((url, "refused"))
                raise
            asked.append((url, "served"))
            return answer

        fetcher.fetch = wrapper
        return fetcher

    monkeypatch.setattr(pdf_module, "restricted_fetcher", recording)
    from reportgen.model import Records

    fonts = font_set(Records(root=records, config={}))
    data = pdf_module.html_to_pdf(_hostile_html(base, secret), fonts, records)
    assert data.startswith(b"%PDF")
    assert seen == [], f"the PDF renderer fetched from the network: {seen}"
    served = [url for url, what in asked if what == "served"]
    assert all(url.startswith(pdf_module.PACKAGE_DIR.as_uri()) for url in served), served
    refused = {url for url, what in asked if what == "refused"}
    assert f"{base}/img.png" in refused and "file:///etc/passwd" in refused
    assert f"file://{secret}" in refused
    log_ok = not seen and all(u.startswith(pdf_module.PACKAGE_DIR.as_uri()) for u in served)
    from harness import log_event

    log_event("pdf", "fetcher: network and outside files", log_ok, refused=len(refused))


def _words_beyond(pdf: Path, right_edge_pt: float) -> list[str]:
    """Words whose box ends to the right of ``right_edge_pt`` (pdftotext -bbox)."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', text).group(1))  # type: ignore[union-attr]
    assert abs(width - 595.3) < 2, "A4"
    return [
        m.group(2) for m in re.finditer(r'xMax="([\d.]+)"[^>]*>([^<]*)<', text) if float(m.group(1)) > right_edge_pt
    ]


def test_bulletin_pdf_with_hostile_content(loopback: tuple[str, list[str]], tmp_path: Path) -> None:
    """A real build with PDFs: Markdown images pointing at the loopback server, long lines."""
    base, seen = loopback
    cases = [c for c in CASES if c.target in ("body", "title")] + [
        ContentCase("pdf_remote_image", "body", f"P01![图]({base}/md.png)", "", ""),
        ContentCase("pdf_long_list_item", "body", "- P02" + "长" * 400, "", ""),
        ContentCase("pdf_long_code", "body", "    P03" + "x" * 600, "", ""),
        ContentCase("pdf_long_quote", "body", "> P04" + "引" * 400, "", ""),
    ]
    root = write_content_repository(tmp_path / "records", cases)
    out = tmp_path / "out"

    def run() -> tuple[bool, str | None, list[str]]:
        result = build(BuildOptions(root, out, periods=("2021-08",), pdf=True, jobs=1))
        return result.ok, result.error, [p.message() for p in result.report.errors]

    outcome = isolated(run, timeout=240)
    assert outcome.status == "ok", outcome.error
    assert outcome.value[0], outcome.value
    assert seen == []
    pdf = out / "bulletins" / "2021-08-monthly.pdf"
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))  # type: ignore[union-attr]
    assert 1 <= count <= 40, count
    # the text block ends 28 mm + 156 mm from the left edge (GB/T 9704); allow a character's slack
    # (the red issuing-office name in the header is drawn wider than the text block by design)
    office = "川汇区“万人助万企”活动领导小组办公室"
    beyond = [w for w in _words_beyond(pdf, (28 + 156 + 6) / 25.4 * 72) if w != office]
    log_event_ok = not seen and not beyond
    from harness import log_event

    log_event("pdf", "bulletin with hostile content: no fetch, no overflow", log_event_ok, pages=count)
    assert not beyond, beyond[:5]
