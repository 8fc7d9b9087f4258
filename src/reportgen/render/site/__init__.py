"""Stage 4 — the published static site: dashboard, archive, ledger, units, lists, feeds.

``render_site`` returns every file as bytes keyed by its relative path; ``publish``
writes them.  Links are relative, so the site works under any base path and from disk.
"""

from __future__ import annotations

import jinja2

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import PROFILES, BulletinInfo
from reportgen.render.site.builder import SiteBuilder


def render_site(
    records: Records,
    engine: StatsEngine,
    bulletins: list[BulletinInfo],
    env: jinja2.Environment,
    profile: str,
) -> dict[str, bytes]:
    """Every file of the static site: relative posix path → content, sorted by path.

    Pure and deterministic: no clock (a date only from ``SOURCE_DATE_EPOCH`` when set),
    and in the ``public`` profile no private value reaches any file.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
    files = SiteBuilder(records, engine, bulletins, env, profile).build()
    return dict(sorted(files.items()))


__all__ = ["render_site"]
