"""Every internal link and asset reference resolves: on disk, and served from a sub-path."""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from tests.site.helpers import parse_page, serve_under

pytest_plugins = ["tests.site.fixtures"]

EXTERNAL = ("http:", "https:", "mailto:", "data:", "tag:")


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the site."""
    return sorted(site.rglob("*.html"))


def test_links_resolve_on_disk(site_dir: Path) -> None:
    pages = {p.relative_to(site_dir).as_posix(): parse_page(p.read_text("utf-8")) for p in html_files(site_dir)}
    broken, absolute = [], []
    for page, parsed in pages.items():
        for ref in parsed.refs:
            if ref.startswith(EXTERNAL):
                continue
            if ref.startswith("/"):
                absolute.append((page, ref))
                continue
            path, fragment = urldefrag(ref)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) if path else page
            if (
                target.startswith("..")
                or not (site_dir / target).is_file()
                or (fragment and target in pages and fragment not in pages[target].ids)
            ):
                broken.append((page, ref))
    assert absolute == [], "links must be relative"
    assert broken == []


def test_no_external_resources(site_dir: Path) -> None:
    for page in html_files(site_dir):
        parsed = parse_page(page.read_text("utf-8"))
        assert not [r for r in parsed.refs if r.startswith(("http:", "https:", "//"))], page


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_links_resolve_under_a_sub_path(site_dir: Path) -> None:
    with serve_under(site_dir) as base:
        targets: dict[str, str] = {}
        for page in html_files(site_dir):
            url = urljoin(base, page.relative_to(site_dir).as_posix())
            with urllib.request.urlopen(url, timeout=10) as response:
                parsed = parse_page(response.read().decode("utf-8"))
            for ref in parsed.refs:
                if not ref.startswith(EXTERNAL):
                    targets.setdefault(urldefrag(urljoin(url, ref))[0], url)
        outside = [t for t in targets if not urlsplit(t).path.startswith(urlsplit(base).path)]
        assert outside == [], "a link escapes the base path"
        broken = [(t, page) for t, page in sorted(targets.items()) if _status(t) != 200]
        assert broken == []
