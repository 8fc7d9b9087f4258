"""The Atom feed of bulletins and the sitemap.

With ``site_url`` in the config, links and ids are absolute.  Without it the feed uses
relative links (resolved against the feed's own address, as Atom allows) and ``tag:``
ids, which are valid and stable wherever the site is served.
"""

from __future__ import annotations

import datetime as dt
from html import escape as _escape
from urllib.parse import quote

from reportgen.render import BulletinInfo
from reportgen.render.bulletins import DRAFT_TAG, KIND_NAMES

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped.

    (``xml.sax.saxutils`` does the same, but importing it imports ``urllib.request``, ``http.client``
    and ``ssl``: ~15 ms of every build, which writes a feed only when a bulletin changes.)
    """
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value (a line break or tab kept as a character reference)."""
    return '"' + escape(text).translate(_IN_ATTRIBUTE) + '"'


_IN_ATTRIBUTE = str.maketrans({'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _stamp(day: str | dt.date) -> str:
    """An RFC 3339 time at the start of ``day`` in China Standard Time."""
    iso = day if isinstance(day, str) else day.isoformat()
    return f"{iso}T00:00:00+08:00"


def absolute(site_url: str | None, path: str) -> str:
    """``path`` under ``site_url`` when there is one, else ``path`` as it is (relative)."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def tag_uri(doc_prefix: str, campaign_start: dt.date, specific: str) -> str:
    """A ``tag:`` URI (RFC 4151) for this office's site: stable without knowing where it is served."""
    return f"tag:reportgen.invalid,{campaign_start.isoformat()}:{quote(doc_prefix, safe='')}/{specific}"


def atom_feed(
    title: str,
    office: str,
    doc_prefix: str,
    campaign_start: dt.date,
    site_url: str | None,
    bulletins: list[BulletinInfo],
    fallback_updated: dt.date,
) -> bytes:
    """The bulletins as an Atom 1.0 feed, newest first."""
    entries = sorted(bulletins, key=lambda b: (b.date, b.id), reverse=True)
    updated = max((b.date for b in entries), default=fallback_updated.isoformat())

    def ident(path: str) -> str:
        return absolute(site_url, path) if site_url else tag_uri(doc_prefix, campaign_start, path)

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(ident('feed.atom'))}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(office)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(site_url, "feed.atom"))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(site_url, "archive.html"))}/>',
        "  <generator>reportgen</generator>",
    ]
    for b in entries:
        lines += _entry(b, ident(b.html), site_url)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(b: BulletinInfo, ident: str, site_url: str | None) -> list[str]:
    """One bulletin's entry; a draft (published only where the office's config says so) is marked as one, in its
    title and summary, as the archive marks it: a reader of the feed sees no other page."""
    summary = f"{b.period_name}{KIND_NAMES.get(b.kind, '')}" + (f"（{b.doc_number}）" if b.doc_number else "")
    title = b.title if b.issued else f"{b.title}（草稿）"
    summary = summary if b.issued else f"{summary} · {DRAFT_TAG}"
    lines = [
        "  <entry>",
        f"    <title>{escape(title)}</title>",
        f"    <id>{escape(ident)}</id>",
        f"    <updated>{_stamp(b.date)}</updated>",
    ]
    if b.issued:
        lines.append(f"    <published>{_stamp(b.issued)}</published>")
    lines.append(f'    <link rel="alternate" type="text/html" href={quoteattr(absolute(site_url, b.html))}/>')
    if b.pdf:
        lines.append(f'    <link rel="enclosure" type="application/pdf" href={quoteattr(absolute(site_url, b.pdf))}/>')
    lines += [
        f'    <category term="{b.kind}" label="{KIND_NAMES.get(b.kind, b.kind)}"/>',
        f"    <summary>{escape(summary)}</summary>",
        "  </entry>",
    ]
    return lines


def sitemap(site_url: str | None, pages: list[str]) -> bytes:
    """A sitemap of the HTML pages.

    The sitemap protocol wants absolute addresses, so they are absolute only when the
    config gives ``site_url``; otherwise the locations are relative to the site root.
    """
    lines = ['<?xml version="1.0" encoding="utf-8"?>']
    if not site_url:
        lines.append(
            "<!-- 未配置 site_url：地址为相对站点根目录的路径。在 config.yaml 中填写 site_url 可生成完整网址。 -->"
        )
    lines.append(f'<urlset xmlns="{SITEMAP_NS}">')
    lines += [f"  <url><loc>{escape(absolute(site_url, quote(p)))}</loc></url>" for p in sorted(pages)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
