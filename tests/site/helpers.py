"""Shared helpers of the site tests: the environment, bulletins, rendering into a folder."""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import BulletinInfo
from reportgen.render.bulletins import bulletin_info, bulletin_periods, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.render.site import render_site
from reportgen.render.site.bulletin_page import bulletin_page
from tests.compute.scenario import scenario_files

PLACEHOLDER = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>通报</title></head><body></body></html>'
)


def site_env() -> jinja2.Environment:
    """The environment the build renders with (package templates only)."""
    return template_environment(None)


def sample_bulletins(records: Records) -> list[BulletinInfo]:
    """Every bulletin the build would make for ``records``, with PDFs."""
    return [bulletin_info(records, kind, period, True) for kind, period in bulletin_periods(records)]


def render(records: Records, profile: str) -> dict[str, bytes]:
    """The site for ``records`` in ``profile``."""
    return render_site(records, StatsEngine(records), sample_bulletins(records), site_env(), profile)


def write_site(files: dict[str, bytes], out: Path, bulletins: list[BulletinInfo]) -> Path:
    """Write the site into ``out``, with stand-ins for the bulletin files ``publish`` would add."""
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for b in bulletins:
        for rel in (b.html, b.pdf, b.docx):
            if rel:
                path = out / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(PLACEHOLDER, encoding="utf-8")
    return out


def write_bulletin_pages(records: Records, site: Path, bulletins: list[BulletinInfo]) -> Path:
    """Replace the stand-ins of ``bulletins`` in ``site`` by their real web pages, as the build writes them."""
    engine, env = StatsEngine(records), site_env()
    for info in bulletins:
        print_html = render_bulletin_html(records, engine, info, env, "public")
        (site / info.html).write_text(bulletin_page(records, info, print_html, env, "public"), encoding="utf-8")
    return site


# Distinctive private values: any of them in a public file is a leak, never a coincidence.
CONTACTS = {
    "E001": {"name": "甄秘密", "phone": "13800009901", "title": "私密职务甲"},
    "E002": {"name": "贾隐私", "phone": "0394-8239902"},
}
STAFF_PHONES = {"S001": "13800009911", "S002": "13800009912"}
ISSUE_NOTES = {"Q0001": "内部备注：企业不愿公开融资细节XYZ"}
VISIT_NOTES = {"V0001": "内部备注：走访时企业提到的私事ABC"}


def private_office_files() -> dict[str, Any]:
    """The hand-checked scenario office plus contact details, staff phones and internal notes."""
    files = scenario_files()
    for path, data in files.items():
        if not isinstance(data, dict):
            continue
        record_id = data.get("id")
        if path.startswith("enterprises/") and record_id in CONTACTS:
            data["contact"] = CONTACTS[record_id]
        if path.startswith("staff/") and record_id in STAFF_PHONES:
            data["phone"] = STAFF_PHONES[record_id]
        if path.startswith("issues/") and record_id in ISSUE_NOTES:
            data["internal_notes"] = ISSUE_NOTES[record_id]
        if path.startswith("visits/") and record_id in VISIT_NOTES:
            data["internal_notes"] = VISIT_NOTES[record_id]
    files["bulletins/2021-09-monthly.md"] = (
        "---\nkind: monthly\nperiod: 2021-09\nnumber: 9\nissued: 2021-10-08\n---\n本月工作正常开展。\n"
    )
    return files


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextlib.contextmanager
def serve_under(site: Path, prefix: str = "sub/dir") -> Iterator[str]:
    """Serve ``site`` at http://127.0.0.1:PORT/{prefix}/ on loopback; yields that base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        mount = Path(tmp) / prefix
        mount.parent.mkdir(parents=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        handler = functools.partial(_Quiet, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/{prefix}/"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


class LinkParser(html.parser.HTMLParser):
    """Collects href/src references and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember links, assets and anchors."""
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.refs.append(value)
            elif name == "id":
                self.ids.add(value)


def parse_page(text: str) -> LinkParser:
    """The references and ids of ``text``."""
    parser = LinkParser()
    parser.feed(text)
    parser.close()
    return parser
