"""A bulletin's web page: its text in the site's frame, readable on a phone.

The print layout (templates/bulletin/) is made for the PDF and the Word copy: a fixed
156 mm text block, the red header at the official size.  The web page takes that
layout's body — one source of the wording — and shows it in the site's navigation and
landmarks, styled by site.css, with links to the PDF and the Word copy.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import jinja2
from markupsafe import Markup

from reportgen.formatting import date_zh
from reportgen.model import Records
from reportgen.render import PUBLIC, BulletinInfo
from reportgen.render.bulletins import KIND_NAMES
from reportgen.render.cjk import chinese_text
from reportgen.render.site.context import shared_context
from reportgen.schema.kinds import PUBLISH_DRAFTS

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_DRAFT_MARK = re.compile(r'<div class="draft-mark"[^>]*>.*?</div>\s*', re.S)
# the print layout's own landmarks become plain blocks inside the site's <main>
_LANDMARKS = re.compile(r"<(/?)(header|main|footer)\b([^>]*)>")


def bulletin_body(print_html: str) -> str:
    """The print layout's body without its landmarks and its print-only draft watermark."""
    found = _BODY.search(print_html)
    body = chinese_text(found.group(1) if found else print_html)  # as the PDF prints it: （周口）, no stray spaces
    body = _DRAFT_MARK.sub("", body)
    body = _LANDMARKS.sub(lambda m: f"<{m.group(1)}div{m.group(3) if not m.group(1) else ''}>", body)
    # a phone scrolls a wide table inside its own frame, never the page
    body = body.replace("<table", '<div class="table-scroll"><table').replace("</table>", "</table></div>")
    # one h1 a page: the title; the attachments' titles become second-level headings
    title, end, rest = body.partition("</h1>")
    return title + end + rest.replace("<h1", "<h2").replace("</h1>", "</h2>")


def bulletin_page(records: Records, info: BulletinInfo, print_html: str, env: jinja2.Environment, profile: str) -> str:
    """The web page of ``info``, from the HTML its PDF is made from."""
    return env.get_template("site/bulletin.html").render(
        **shared_context(records, info.html, profile),
        title=info.title,
        nav="archive",
        info=info,
        kind_name=KIND_NAMES.get(info.kind, "通报"),
        draft=not info.issued,
        issued_text=date_zh(info.issued) if info.issued else None,
        body=Markup(bulletin_body(print_html)),
        # the PDF is reused only when this page is byte-identical: the print layout's hash keeps them in step
        source_sha=hashlib.sha256(print_html.encode("utf-8")).hexdigest(),
    )


def published(config: dict[str, Any], info: BulletinInfo, profile: str) -> bool:
    """Whether ``info`` is built in ``profile``: a draft reaches the public site only when the config says so."""
    return bool(info.issued) or profile != PUBLIC or bool(config.get(PUBLISH_DRAFTS.name))
