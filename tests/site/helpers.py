"""Shared helpers of the site tests: the environment, bulletins, rendering into a folder."""

from __future__ import annotations

from pathlib import Path

import jinja2

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import BulletinInfo
from reportgen.render.bulletins import bulletin_info, bulletin_periods
from reportgen.render.environment import template_environment
from reportgen.render.site import render_site

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
        for rel in (b.html, b.pdf):
            if rel:
                path = out / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(PLACEHOLDER, encoding="utf-8")
    return out
